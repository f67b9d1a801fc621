// The `vobiz-kit` command, run as a user runs it: a child process, its output and its exit code.
// Node-only (the Deno test run has no permission to spawn processes), but the runtime smoke tests
// below spawn Deno and Bun too, so the command is checked on all three. All traffic stays on
// 127.0.0.1: `load` and `check-call` use the mock served by the child itself.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "cli", "main.ts");
const BIN = join(ROOT, "node_modules", ".bin");
const AUTH = { "X-Auth-ID": "MA_MOCK0001", "X-Auth-Token": "mock-auth-token" };
// The child's environment: no Vobiz credentials leak in from the developer's shell.
const ENV: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter((entry): entry is [string, string] =>
    entry[1] !== undefined && !entry[0].startsWith("VOBIZ_")
  ),
);

/** How each runtime runs a TypeScript file. */
const RUNTIMES: Record<string, { command: string; args: string[] }> = {
  node: { command: process.execPath, args: [MAIN] },
  deno: { command: join(BIN, "deno"), args: ["run", "-A", MAIN] },
  bun: { command: join(BIN, "bun"), args: [MAIN] },
};

interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "vobiz-kit-cli-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start(args: string[], runtime = "node", env: Record<string, string> = ENV): ChildProcess {
  const { command, args: prefix } = RUNTIMES[runtime]!;
  return spawn(command, [...prefix, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the command to its end (killed after 60 s, which fails the test). */
function run(
  args: string[],
  runtime = "node",
  env: Record<string, string> = ENV,
): Promise<Outcome> {
  const child = start(args, runtime, env);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => stdout += chunk);
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr += chunk);
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Writes a JSON file into the test's temporary directory. */
async function file(name: string, data: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(data));
  return path;
}

// deno-lint-ignore no-explicit-any -- assertions read arbitrary JSON
async function readJson(path: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(path, "utf8"));
}

/** Starts `vobiz-kit mock` and resolves with the base URL it prints first on stdout. */
async function startMock(
  args: string[],
  runtime = "node",
): Promise<{ child: ChildProcess; baseUrl: string; done: Promise<Outcome> }> {
  const child = start(["mock", "--port", "0", ...args], runtime);
  let stdout = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr += chunk);
  const done = new Promise<Outcome>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = stdout.split("\n");
      if (line.length > 1) resolve(line[0]!);
    });
    void done.then((outcome) => reject(new Error(`mock exited early: ${outcome.stderr}`)));
  });
  return { child, baseUrl, done };
}

describe("vobiz-kit mock", () => {
  test("serves the mock API with scripted faults and seed data, and stops on SIGTERM", async () => {
    const faults = await file("mock-faults.json", [
      { method: "GET", path: "/auth/me", status: 503, retryAfter: 2, times: 1 },
    ]);
    const seed = await file("mock-seed.json", { balance: 42 });
    const { child, baseUrl, done } = await startMock(["--faults", faults, "--seed", seed]);
    assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);

    const faulted = await fetch(`${baseUrl}/auth/me`, { headers: AUTH });
    assert.equal(faulted.status, 503);
    assert.equal(faulted.headers.get("retry-after"), "2");
    await faulted.body?.cancel();
    const me = await fetch(`${baseUrl}/auth/me`, { headers: AUTH });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).auth_id, "MA_MOCK0001");
    const balance = await fetch(`${baseUrl}/Account/MA_MOCK0001/balance/INR`, { headers: AUTH });
    assert.equal((await balance.json()).balance, 42);

    child.kill("SIGTERM");
    const outcome = await done;
    assert.equal(outcome.code, 0);
    assert.match(outcome.stderr, /stopped \(SIGTERM\) after 3 request\(s\)/);
    await assert.rejects(fetch(`${baseUrl}/auth/me`, { headers: AUTH }));
  });

  test("stops cleanly on SIGINT (Ctrl-C) too", async () => {
    const { child, done } = await startMock([]);
    child.kill("SIGINT");
    const outcome = await done;
    assert.equal(outcome.code, 0);
    assert.match(outcome.stderr, /stopped \(SIGINT\)/);
  });
});

describe("vobiz-kit load", () => {
  // 20 calls/s for 2 s against a mock account limited to 10 calls/s.
  const LOAD = ["load", "--cps", "20", "--duration", "2s", "--mock-cps-limit", "10"];

  test("without the rate limiter the mock answers 429s, and --max-429 fails the run", async () => {
    const json = join(dir, "no-limit.json");
    const outcome = await run([...LOAD, "--no-rate-limit", "--max-429", "0", "--json", json]);
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.stderr, /answers were 429, more than --max-429 0/);
    const { results, plan } = await readJson(json);
    assert.equal(plan.rateLimit, false);
    assert.equal(results.started, 40);
    assert.ok(results.rateLimited > 0, `429s: ${results.rateLimited}`);
    assert.equal(results.statuses["429"], results.rateLimited);
    assert.ok(results.callsCreated < 40);
    // The report a person reads.
    assert.match(outcome.stdout, /429 answers +[1-9]/);
    assert.match(outcome.stdout, /POST +\/Account\/\{auth_id\}\/Call\/ +40 /);
    assert.match(outcome.stdout, /p50 ms +p95 ms +p99 ms/);
  });

  // The limiter runs at exactly the account's limit (its cps_limit, read from /auth/me).
  test("with the rate limiter the mock answers no 429", async () => {
    const json = join(dir, "limit.json");
    const args = ["load", "--cps", "20", "--duration", "1s", "--mock-cps-limit", "10"];
    const outcome = await run([...args, "--max-429", "0", "--json", json]);
    assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
    assert.match(outcome.stderr, /rate limiter at 10 calls\/s/);
    const { results } = await readJson(json);
    assert.equal(results.rateLimited, 0);
    assert.equal(results.statuses["429"], undefined);
    assert.equal(results.callsCreated, 20);
    assert.deepEqual(results.errors, {});
    assert.ok(results.limiter.queued > 0, "the limiter held calls back");
  });

  test("reads and mixed scenarios drive the read routes", async () => {
    const json = join(dir, "mixed.json");
    const outcome = await run([
      "load",
      "--scenario",
      "mixed",
      "--cps",
      "4",
      "--rps",
      "8",
      "--duration",
      "1s",
      "--json",
      json,
    ]);
    assert.equal(outcome.code, 0, outcome.stderr);
    // By default the rate limiter takes the account's cps_limit from GET /auth/me.
    assert.match(outcome.stderr, /rate limiter at 10 calls\/s/);
    const { results } = await readJson(json);
    assert.equal(results.started, 12);
    assert.equal(results.callsCreated, 4);
    const routes = results.routes.map((r: { method: string; route: string }) =>
      `${r.method} ${r.route}`
    ).sort();
    assert.deepEqual(routes, [
      "GET /Account/{auth_id}/Call",
      "GET /Account/{auth_id}/balance/{currency}",
      "GET /Account/{auth_id}/cdr",
      "GET /auth/me",
      "POST /Account/{auth_id}/Call/",
    ]);
  });
});

// Each test waits for a mock call of about 1.4 s; they run side by side.
describe("vobiz-kit check-call", { concurrency: true }, () => {
  const CALL = [
    "check-call",
    "--from",
    "+918000000001",
    "--to",
    "+919800000001",
    "--answer-url",
    "https://example.com/answer.xml",
    "--poll",
    "50ms",
  ];
  // Mock calls that ring after 0.2 s, are answered at 0.3 s and end at 1.4 s: 1 s billed at
  // 1 INR a second.
  const FAST = {
    postDialDelayMs: 200,
    answerDelayMs: 300,
    callDurationMs: 1400,
    callRatePerMinute: 60,
  };
  const CDR = "/Account/{auth_id}/cdr/{call_id}";
  const BALANCE = "/Account/{auth_id}/balance/{currency}";

  test("passes on the mock: CDR present, short PDD, balance debited by the CDR's cost", async () => {
    const seed = await file("call-seed.json", FAST);
    const json = join(dir, "call-pass-report.json");
    const outcome = await run([...CALL, "--seed", seed, "--timeout", "20s", "--json", json]);
    assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /^\[pass\] call placed: [0-9a-f-]{36}$/m);
    assert.match(
      outcome.stdout,
      /^\[pass\] CDR present after [\d.]+s \(NORMAL_CLEARING, 1s billed\)$/m,
    );
    assert.match(outcome.stdout, /^\[pass\] post-dial delay 0\.2s \(limit 3s\)$/m);
    assert.match(
      outcome.stdout,
      /^\[pass\] balance debited by 1 INR \(1000 → 999\); the CDR's cost is 1$/m,
    );
    assert.match(outcome.stdout, /^\[pass\] MOS 4\.3 \(limit 3\.5\), packet loss 0$/m);
    assert.match(outcome.stdout, /^PASS$/m);
    const document = await readJson(json);
    assert.equal(document.passed, true);
    assert.equal(document.report.postDialDelayMs, 200);
    assert.equal(document.report.cost, 1);
    assert.deepEqual(document.report.issues, []);
  });

  test("fails on a post-dial delay over the limit", async () => {
    const seed = await file("call-seed-pdd.json", FAST);
    const outcome = await run([...CALL, "--seed", seed, "--max-pdd", "100ms", "--timeout", "20s"]);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /^\[FAIL\] post-dial delay 0\.2s \(limit 0\.1s\)$/m);
    assert.match(outcome.stdout, /^\[pass\] balance debited/m);
    assert.match(outcome.stdout, /^FAIL$/m);
  });

  test("fails on a poor MOS", async () => {
    const seed = await file("call-seed-mos.json", { ...FAST, callMos: 2.9 });
    const outcome = await run([...CALL, "--seed", seed, "--timeout", "20s"]);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /^\[FAIL\] MOS 2\.9 \(limit 3\.5\)/m);
  });

  test("fails when the balance was not debited by the CDR's cost", async () => {
    const seed = await file("call-seed-debit.json", FAST);
    const faults = await file("call-debit.json", [
      {
        method: "GET",
        path: BALANCE,
        status: 200,
        body: { currency: "INR", balance: 1000 },
        times: "always",
      },
    ]);
    const args = [...CALL, "--seed", seed, "--faults", faults, "--timeout", "2500ms"];
    const outcome = await run(args);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /^\[pass\] CDR present/m);
    assert.match(
      outcome.stdout,
      /^\[FAIL\] balance debited by 0 INR \(1000 → 1000\); the CDR's cost is 1$/m,
    );
    assert.match(outcome.stdout, /^FAIL$/m);
  });

  test("fails when no CDR appears in time, and hangs the call up", async () => {
    const seed = await file("call-seed-cdr.json", { ...FAST, callDurationMs: 60_000 });
    const faults = await file("call-no-cdr.json", [
      { method: "GET", path: CDR, status: 404, errorCode: "CDR_NOT_FOUND", times: "always" },
    ]);
    const outcome = await run([...CALL, "--seed", seed, "--faults", faults, "--timeout", "500ms"]);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /^\[FAIL\] CDR present: none within 0\.5\d*s$/m);
    assert.match(outcome.stdout, /was still live and has been hung up/);
    assert.match(outcome.stdout, /^FAIL$/m);
  });

  test("fails when the call is refused", async () => {
    const faults = await file("call-refused.json", [
      {
        method: "POST",
        path: "/Account/{auth_id}/Call/",
        status: 402,
        errorCode: "INSUFFICIENT_BALANCE",
      },
    ]);
    const outcome = await run([...CALL, "--faults", faults]);
    assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
    assert.match(
      outcome.stdout,
      /^\[FAIL\] POST \/Account\/\{auth_id\}\/Call\/: HTTP_ERROR: .*402/m,
    );
    assert.match(outcome.stdout, /^FAIL$/m);
  });
});

describe("bad arguments exit 2 with a message", () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /Usage: vobiz-kit <command>/],
    [["dial"], /unknown command "dial"/],
    [["load"], /--cps is required/],
    [["load", "--cps", "fast"], /--cps must be a number; got "fast"/],
    [
      ["load", "--cps", "5", "--duration", "30"],
      /--duration must be a duration such as 500ms, 30s/,
    ],
    [
      ["load", "--cps", "5", "--scenario", "calls-and-reads"],
      /--scenario must be one of calls, reads, mixed/,
    ],
    [["load", "--cps", "5", "--rate-limit", "--no-rate-limit"], /cannot both be given/],
    [["load", "--cps", "5", "--rps", "10"], /--rps only applies to --scenario mixed/],
    [["load", "--cps", "5", "--limit-cps", "2.5"], /--limit-cps must be a whole number/],
    [["load", "--cps", "5", "--auth-token", "secret"], /Unknown option '--auth-token'/],
    [["mock", "--port", "70000"], /--port must be from 0 to 65535; got 70000/],
    [["mock", "extra"], /Unexpected argument 'extra'/],
    [
      ["mock", "--faults", "/nonexistent/faults.json"],
      /--faults: cannot read \/nonexistent\/faults.json \(ENOENT\)/,
    ],
    [
      ["check-call", "--to", "+919800000001", "--answer-url", "https://e.com/a"],
      /--from is required/,
    ],
    [
      ["check-call", "--from", "+918000000001", "--to", "12345", "--answer-url", "https://e.com/a"],
      /--to: each destination must be an E\.164 number/,
    ],
    [["load", "--cps", "1", "--answer-url", "http://127.0.0.1/answer.xml"], /--answer-url: /],
  ];
  for (const [args, message] of cases) {
    test(`vobiz-kit ${args.join(" ")}`, async () => {
      const outcome = await run(args);
      assert.equal(outcome.code, 2, outcome.stderr);
      assert.match(outcome.stderr, message);
      assert.equal(outcome.stdout, "");
    });
  }

  test("a fault file with a typo names the field", async () => {
    const faults = await file("typo.json", [{ path: "/auth/me", stauts: 500 }]);
    const outcome = await run(["mock", "--faults", faults]);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /fault 0: .*stauts/);
  });

  test("--target live takes credentials from the environment only", async () => {
    const outcome = await run(["load", "--target", "live", "--scenario", "reads", "--cps", "1"]);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /VOBIZ_AUTH_ID and VOBIZ_AUTH_TOKEN/);
  });

  test("--target live refuses plain http, even to loopback", async () => {
    const env = { ...ENV, VOBIZ_AUTH_ID: "MA_TEST0001", VOBIZ_AUTH_TOKEN: "test-token" };
    const args = ["load", "--target", "live", "--scenario", "reads", "--cps", "1"];
    const outcome = await run([...args, "--base-url", "http://127.0.0.1:9/api/v1"], "node", env);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /https/i);
  });

  test("--target live asks for --yes before placing calls", async () => {
    const env = { ...ENV, VOBIZ_AUTH_ID: "MA_TEST0001", VOBIZ_AUTH_TOKEN: "test-token" };
    const call = [
      "--from",
      "+918000000001",
      "--to",
      "+919800000001",
      "--answer-url",
      "https://e.com/a",
    ];
    const load = await run(
      ["load", "--target", "live", "--cps", "2", "--duration", "10s", ...call],
      "node",
      env,
    );
    assert.equal(load.code, 2);
    assert.match(load.stderr, /place up to 20 real calls .* rerun with --yes/);
    const check = await run(["check-call", "--target", "live", ...call], "node", env);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /place a real call .* rerun with --yes/);
  });
});

describe("--help", () => {
  for (const command of ["mock", "load", "check-call"]) {
    test(`vobiz-kit ${command} --help`, async () => {
      const outcome = await run([command, "--help"]);
      assert.equal(outcome.code, 0);
      assert.ok(outcome.stdout.startsWith(`Usage: vobiz-kit ${command}`), outcome.stdout);
    });
  }
  test("vobiz-kit --help lists the commands", async () => {
    const outcome = await run(["--help"]);
    assert.equal(outcome.code, 0);
    assert.match(outcome.stdout, /mock .*\n.*load .*\n.*check-call/);
  });
});

describe("runs on Deno and Bun too", () => {
  for (const runtime of ["deno", "bun"]) {
    test(`${runtime}: mock answers and stops on SIGTERM`, async () => {
      const { child, baseUrl, done } = await startMock([], runtime);
      const me = await fetch(`${baseUrl}/auth/me`, { headers: AUTH });
      assert.equal((await me.json()).auth_id, "MA_MOCK0001");
      child.kill("SIGTERM");
      const outcome = await done;
      assert.equal(outcome.code, 0);
      assert.match(outcome.stderr, /stopped \(SIGTERM\)/);
    });

    test(`${runtime}: load and bad arguments`, async () => {
      const json = join(dir, `${runtime}-load.json`);
      const outcome = await run(
        ["load", "--cps", "5", "--duration", "1s", "--json", json],
        runtime,
      );
      assert.equal(outcome.code, 0, outcome.stderr);
      const { results } = await readJson(json);
      assert.equal(results.callsCreated, 5);
      const bad = await run(["load", "--cps", "0"], runtime);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--cps must be from 0\.1 to 10000; got 0/);
    });
  }
});
