// The hook bus of a client: hookable's Hookable, dispatching without console.createTask.
//
// hookable's callHook runs every dispatch inside `console.createTask(name)` where the runtime has it
// (Node, Deno): named async stack traces in devtools, at a cost of microseconds per dispatch — paid
// several times per call by the core and the plugins' events. The bus keeps hookable's semantics
// (handlers in registration order, each awaited when it returns a promise, a throw becomes a
// rejection, beforeEach/afterEach observers) through its own `callHookWith`, minus the task.
import { Hookable } from "hookable";
import type { VobizHooks } from "../hooks.ts";

type Handler = (...args: unknown[]) => unknown;

// callHookWith calls it as (handlers, args, name): the name is not a start index.
const serially = (handlers: Handler[], args: unknown[]): Promise<void> | void =>
  runFrom(handlers, args, 0);

function runFrom(handlers: Handler[], args: unknown[], from: number): Promise<void> | void {
  for (let i = from; i < handlers.length; i++) {
    try {
      const result = handlers[i]!(...args);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
        return Promise.resolve(result).then(() => runFrom(handlers, args, i + 1));
      }
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** hookable's `Hookable`, typed with every hook of a client; `callHook` without a devtools task. */
export class HookBus extends Hookable<VobizHooks> {
  override callHook<NameT extends keyof VobizHooks>(
    name: NameT,
    ...args: Parameters<VobizHooks[NameT]>
  ): Promise<void> | void {
    return this.callHookWith(serially as never, name, args);
  }
}
