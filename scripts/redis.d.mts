// Types of scripts/redis.mjs, for the TypeScript test suites that import it.

/** A running redis-server. */
export interface RunningRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Ends the server and removes its working directory. */
  stop(): Promise<void>;
}

/** The path of an installed redis-server, or undefined. */
export function findRedisServer(): string | undefined;

/** The path of redis-server, installing the Debian package first when it is missing. */
export function ensureRedisServer(): string;

/** Starts redis-server on 127.0.0.1 on a free port, without persistence. */
export function startRedis(): Promise<RunningRedis>;
