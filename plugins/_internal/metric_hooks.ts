// Registers a plugin's handlers one `hook` call each, and removes them all with one function.
import type { Hookable } from "hookable";
import type { VobizHooks } from "../../src/hooks.ts";

/** Hooks every handler of `handlers`; the function returned unhooks them. */
export function listen(hooks: Hookable<VobizHooks>, handlers: Partial<VobizHooks>): () => void {
  const offs = Object.entries(handlers).map(([name, handler]) =>
    hooks.hook(name as keyof VobizHooks, handler as never)
  );
  return () => offs.forEach((off) => off());
}
