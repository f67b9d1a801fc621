/**
 * Deno lint plugin: keeps `src/` and `plugins/` on web-standard APIs (DESIGN.md §4).
 * Flags `node:*` imports and any use of the `Buffer` or `process` globals there; runtime-specific
 * code belongs behind its own subpath. (`src/env.ts` reads the environment by feature detection
 * through `globalThis[...]` lookups, which this rule does not flag.)
 *
 * @module
 */
const portable = /[\\/](src|plugins)[\\/]/;
const testFile = /[\\/]tests[\\/]/;

const plugin: Deno.lint.Plugin = {
  name: "vobiz",
  rules: {
    "web-standard-only": {
      create(context) {
        if (!portable.test(context.filename) || testFile.test(context.filename)) return {};
        const report = (node: Deno.lint.Node, what: string) =>
          context.report({
            node,
            message: `${what} is not available on every runtime (DESIGN.md §4)`,
            hint: "Use a web-standard API, or move runtime-specific code behind its own subpath.",
          });
        const checkSource = (node: Deno.lint.Node, source: string) => {
          if (source.startsWith("node:")) report(node, `Import of "${source}"`);
        };
        return {
          ImportDeclaration(node) {
            checkSource(node, node.source.value);
          },
          ExportAllDeclaration(node) {
            checkSource(node, node.source.value);
          },
          ImportExpression(node) {
            if (node.source.type === "Literal" && typeof node.source.value === "string") {
              checkSource(node, node.source.value);
            }
          },
          Identifier(node) {
            if (node.name !== "Buffer" && node.name !== "process") return;
            const parent = node.parent;
            // `x.process` / `{ process: 1 }` are property names, not the global.
            if (
              parent.type === "MemberExpression" && parent.property === node && !parent.computed
            ) {
              return;
            }
            if (parent.type === "Property" && parent.key === node) return;
            report(node, `The \`${node.name}\` global`);
          },
        };
      },
    },
  },
};

export default plugin;
