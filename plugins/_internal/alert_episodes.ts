// The life of each alert: it fires once when its condition becomes true (an episode starts), stays
// quiet while the condition holds, and resolves once when it clears. A condition that comes back
// within the cool-down after the last firing starts no new episode until the cool-down is over, so a
// flapping condition cannot flood the notifier.
import type { AlertEvent } from "../../src/hooks.ts";

/** What a rule reports about one subject at one moment. */
export interface Observation {
  readonly rule: string;
  /** What the alert is about (a currency, a trunk); `""` for client-wide rules. */
  readonly subject: string;
  readonly firing: boolean;
  readonly message: string;
  readonly value?: number;
  readonly threshold?: number;
}

/** An alert to announce. */
export interface Transition {
  readonly kind: "fired" | "resolved";
  readonly event: AlertEvent;
}

/** Alert states by rule and subject. */
export interface Episodes {
  /** Applies an observation; returns the transition to announce, if any. */
  update(observation: Observation, at: number): Transition | undefined;
  /** The alerts currently firing (their `alert:fired` payloads). */
  active(): AlertEvent[];
}

interface State {
  firing: AlertEvent | undefined;
  lastFiredAt: number;
}

/** Episodes with a cool-down of `cooldownMs`, tracking at most `maxAlerts` rule/subject pairs. */
export function createEpisodes(cooldownMs: number, maxAlerts = 1000): Episodes {
  const states = new Map<string, State>();
  return {
    update(observation, at) {
      const key = `${observation.rule}\u0000${observation.subject}`;
      let state = states.get(key);
      if (!observation.firing) {
        if (!state?.firing) return undefined;
        state.firing = undefined;
        return { kind: "resolved", event: eventOf(observation, at) };
      }
      if (state?.firing) return undefined;
      if (state && at - state.lastFiredAt < cooldownMs) return undefined;
      if (!state) {
        if (states.size >= maxAlerts) evictQuiet(states);
        state = { firing: undefined, lastFiredAt: at };
        states.set(key, state);
      }
      state.firing = eventOf(observation, at);
      state.lastFiredAt = at;
      return { kind: "fired", event: state.firing };
    },
    active() {
      return [...states.values()].flatMap((state) => state.firing ? [state.firing] : []);
    },
  };
}

function eventOf(observation: Observation, at: number): AlertEvent {
  const event: {
    rule: string;
    message: string;
    at: number;
    subject?: string;
    value?: number;
    threshold?: number;
  } = { rule: observation.rule, message: observation.message, at };
  if (observation.subject !== "") event.subject = observation.subject;
  if (observation.value !== undefined) event.value = observation.value;
  if (observation.threshold !== undefined) event.threshold = observation.threshold;
  return event;
}

// Forgets the oldest alert that is not firing (or the oldest of all when every one is).
function evictQuiet(states: Map<string, State>): void {
  for (const [key, state] of states) {
    if (!state.firing) {
      states.delete(key);
      return;
    }
  }
  const oldest = states.keys().next();
  if (!oldest.done) states.delete(oldest.value);
}
