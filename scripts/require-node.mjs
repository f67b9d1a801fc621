// `pretest` guard. Plain JS so it also runs (and fails clearly) on an old Node.
// Inside npm scripts node_modules/.bin comes first on PATH, so `node` here is the Node from the
// `node` devDependency; without it (e.g. `npm install --ignore-scripts`) we would fall back to the
// system Node, which may be too old to strip TypeScript types.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `Node ${process.version} (${process.execPath}) cannot run .ts tests (needs >= 22.18). ` +
      "The `node` devDependency is missing: re-run `npm install` with install scripts enabled.",
  );
  process.exit(1);
}
console.log(`using node ${process.version} (${process.execPath})`);
