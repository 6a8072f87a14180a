// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Runs the official MCP conformance suite (server scenarios, every one applicable to each revision)
 * against JanusMCP serving the conformance fixture as its only account:
 *
 *   deno run -A scripts/conformance.ts                    # start the broker over HTTP, test it, stop it
 *   deno run -A scripts/conformance.ts --url URL          # test any running server instead
 *   deno run -A scripts/conformance.ts --spec-version 2026-07-28 --scenario tools-list --verbose
 *
 * Writes a temp config whose one account runs tests/fixtures/conformance_upstream.ts, starts
 * `main.ts serve --http --port <free port>`, waits for GET /healthz, then runs
 * `conformance server --url …/mcp --spec-version V --suite all` for each revision (with
 * `--expected-failures scripts/conformance-expected-failures-<upstream kind>.yml` if it exists). Prints a
 * summary per revision and the total time; exits 1 when any check failed (or, with a baseline,
 * when the suite's baseline check failed). The broker is always stopped.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { messageOf } from "../lib/errors.ts";
import { BROKER_RUN_FLAGS } from "../lib/run_flags.ts";

const SUITE = "npm:@modelcontextprotocol/conformance@0.2.0-alpha.12";
const REVISIONS = ["2025-11-25", "2026-07-28"];
const REPO = fileURLToPath(new URL("../", import.meta.url));
/** Expected failures, with reasons, per upstream kind (only across revisions may some be expected). */
const baselineFor = (kind: string) => `${REPO}scripts/conformance-expected-failures-${kind}.yml`;
const UPSTREAM_KINDS = ["dual", "legacy", "modern"];
const HEALTH_TIMEOUT_MS = 30_000;

const USAGE =
  `Usage: deno run -A scripts/conformance.ts [--url URL] [--spec-version V]... [--scenario NAME] [--verbose]

  --url URL           test this MCP endpoint instead of starting the broker
  --spec-version V    only this revision (repeatable; default: ${REVISIONS.join(" and ")})
  --scenario NAME     run one scenario instead of the whole suite (for debugging)
  --upstream KIND     the fixture speaks dual (default: both revisions), legacy (2025-11-25 only)
                      or modern (2026-07-28 only): the last two test the broker's bridging
  --verbose           show the suite's own output as it runs`;

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | "SKIPPED";
  errorMessage?: string;
}

export interface ScenarioResult {
  scenario: string;
  /** The ids of the checks that passed. */
  passedIds: string[];
  passed: number;
  failed: number;
  warnings: number;
  failures: Check[];
}

export interface RunResult {
  revision: string;
  exitCode: number;
  seconds: number;
  scenarios: ScenarioResult[];
  log: string;
}

/** The suite process currently running, so a signal can stop it too. */
let runningSuite: Deno.ChildProcess | undefined;

/** A running broker: its URL, a way to stop it, and its stderr so far. */
export interface Broker {
  url: string;
  stderr: string[];
  stop(): Promise<void>;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      url: { type: "string" },
      "spec-version": { type: "string", multiple: true },
      scenario: { type: "string" },
      upstream: { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const revisions = values["spec-version"] ?? REVISIONS;
  const upstream = values.upstream ?? "dual";
  if (!UPSTREAM_KINDS.includes(upstream)) {
    console.error(`conformance: --upstream must be one of ${UPSTREAM_KINDS.join(", ")}`);
    return 2;
  }
  const started = performance.now();
  const workDir = await Deno.makeTempDir({ prefix: "janus-conformance-" });
  const baseline = await exists(baselineFor(upstream)) ? baselineFor(upstream) : undefined;

  let broker: Broker | undefined;
  const stopOnSignal = () => {
    void (async () => {
      try {
        runningSuite?.kill("SIGTERM");
      } catch {
        // already gone
      }
      await broker?.stop();
      Deno.exit(130);
    })();
  };
  Deno.addSignalListener("SIGINT", stopOnSignal);
  Deno.addSignalListener("SIGTERM", stopOnSignal);
  const results: RunResult[] = [];
  try {
    let url = values.url;
    if (url === undefined) {
      const args = [...STDIO_FIXTURE_ACCOUNT.args, ...(upstream === "dual" ? [] : [upstream])];
      broker = await startBroker(workDir, { ...STDIO_FIXTURE_ACCOUNT, args });
      url = broker.url;
    }
    console.log(
      `Conformance suite ${SUITE.slice(4)} against ${url} (${upstream})${
        baseline ? ` (baseline ${baseline})` : ""
      }`,
    );
    for (const revision of revisions) {
      const result = await runSuite(url, revision, workDir, {
        baseline,
        scenario: values.scenario,
        verbose: values.verbose === true,
      });
      results.push(result);
      printRun(result);
    }
  } catch (error) {
    console.error(`conformance: ${messageOf(error)}`);
    if (broker && broker.stderr.length > 0) {
      console.error(`broker stderr:\n${broker.stderr.slice(-30).join("\n")}`);
    }
    return 1;
  } finally {
    await broker?.stop();
    Deno.removeSignalListener("SIGINT", stopOnSignal);
    Deno.removeSignalListener("SIGTERM", stopOnSignal);
  }

  const ok = results.every((result) => result.exitCode === 0);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n${results.map((r) => `${r.revision}: ${verdict(r)}`).join("; ")} — total ${seconds.toFixed(1)} s` +
      `\n${ok ? "conformance: OK" : `conformance: FAILED (logs in ${workDir})`}`,
  );
  if (ok) await Deno.remove(workDir, { recursive: true }).catch(() => {});
  return ok ? 0 : 1;
}

/** The account the broker fronts by default: the conformance fixture over stdio. */
const STDIO_FIXTURE_ACCOUNT = {
  id: "conformance",
  service: "conformance",
  label: "MCP conformance fixture",
  command: "deno",
  args: [
    "run",
    "--quiet",
    `--config=${REPO}deno.json`,
    "--allow-env",
    `${REPO}tests/fixtures/conformance_upstream.ts`,
  ],
  cwd: REPO,
};

/** Writes a one-account config (by default the stdio fixture) and starts the broker on a free loopback port. */
export async function startBroker(
  workDir: string,
  account: Record<string, unknown> = STDIO_FIXTURE_ACCOUNT,
): Promise<Broker> {
  const configPath = `${workDir}/config.json`;
  await Deno.writeTextFile(
    configPath,
    JSON.stringify(
      {
        defaultAccount: account.id,
        accounts: [account],
      },
      null,
      2,
    ),
  );
  const port = freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--quiet",
      `--config=${REPO}deno.json`,
      ...BROKER_RUN_FLAGS,
      `${REPO}main.ts`,
      "serve",
      "--http",
      "--port",
      String(port),
      "--config",
      configPath,
    ],
    cwd: REPO,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr: string[] = [];
  const drained = collectLines(child.stderr, stderr);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const broker: Broker = {
    url: `${origin}/mcp`,
    stderr,
    async stop() {
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch {
            // already gone
          }
        }, 5_000);
        await status;
        clearTimeout(timer);
      }
      await drained;
    },
  };
  try {
    await waitForHealth(`${origin}/healthz`, status);
  } catch (error) {
    await broker.stop();
    const tail = stderr.slice(-30).join("\n");
    throw new Error(
      `${messageOf(error)}${tail ? `\nbroker stderr:\n${tail}` : ""}`,
    );
  }
  return broker;
}

/** Polls GET /healthz until it answers 2xx, the broker exits, or the time runs out. */
async function waitForHealth(url: string, status: Promise<Deno.CommandStatus>): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let exitCode: number | undefined;
  status.then((s) => exitCode = s.code);
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`the broker exited (code ${exitCode}) before ${url} answered`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${HEALTH_TIMEOUT_MS / 1000} s`);
}

/** Runs the suite at one revision; results come from the per-scenario checks.json files. */
export async function runSuite(
  url: string,
  revision: string,
  workDir: string,
  options: { baseline?: string; scenario?: string; verbose: boolean },
): Promise<RunResult> {
  const outDir = `${workDir}/results-${revision}`;
  const log = `${workDir}/suite-${revision}.log`;
  // --no-config/--no-lock (and a cwd outside the repo): the suite must not land in deno.lock.
  const args = [
    "run",
    "-A",
    "--no-config",
    "--no-lock",
    SUITE,
    "server",
    "--url",
    url,
    "--spec-version",
    revision,
  ];
  args.push("-o", outDir);
  args.push(...(options.scenario ? ["--scenario", options.scenario] : ["--suite", "all"]));
  if (options.baseline) args.push("--expected-failures", options.baseline);
  console.log(`\n$ deno ${args.join(" ")}`);
  const started = performance.now();
  const child = new Deno.Command("deno", {
    args,
    cwd: workDir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  runningSuite = child;
  const file = await Deno.open(log, { write: true, create: true, truncate: true });
  const lines: string[] = [];
  const [status] = await Promise.all([
    child.status,
    tee(child.stdout, file, options.verbose ? Deno.stdout : undefined, lines),
    tee(child.stderr, undefined, options.verbose ? Deno.stderr : undefined, lines),
  ]);
  file.close();
  runningSuite = undefined;
  if (options.baseline && !options.verbose) {
    // The baseline verdict (expected / stale / unexpected) is printed after the summary.
    const at = lines.findIndex((line) =>
      /^(Expected failures|Stale baseline|Unexpected failures|Baseline)/.test(strip(line))
    );
    if (at >= 0) console.log(lines.slice(at).map(strip).join("\n"));
  }
  return {
    revision,
    exitCode: status.code,
    seconds: (performance.now() - started) / 1000,
    scenarios: await readResults(outDir),
    log,
  };
}

/** Copies a stream to a file and/or a terminal and keeps its lines. */
async function tee(
  stream: ReadableStream<Uint8Array>,
  file: Deno.FsFile | undefined,
  terminal: { write(p: Uint8Array): Promise<number> } | undefined,
  lines: string[],
): Promise<void> {
  const decoder = new TextDecoder();
  let partial = "";
  for await (const chunk of stream) {
    if (file) await file.write(chunk);
    if (terminal) await terminal.write(chunk);
    const parts = (partial + decoder.decode(chunk, { stream: true })).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
  }
  if (partial) lines.push(partial);
}

/** Reads `<outDir>/server-<scenario>-<timestamp>/checks.json`, one per scenario. */
async function readResults(outDir: string): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  if (!await exists(outDir)) return results;
  for await (const entry of Deno.readDir(outDir)) {
    if (!entry.isDirectory) continue;
    const checks: Check[] = JSON.parse(await Deno.readTextFile(`${outDir}/${entry.name}/checks.json`));
    const count = (status: Check["status"]) => checks.filter((check) => check.status === status).length;
    results.push({
      scenario: entry.name.replace(/^server-/, "").replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, ""),
      passedIds: checks.filter((check) => check.status === "SUCCESS").map((check) => check.id),
      passed: count("SUCCESS"),
      failed: count("FAILURE"),
      warnings: count("WARNING"),
      failures: checks.filter((check) => check.status === "FAILURE" || check.status === "WARNING"),
    });
  }
  return results.sort((a, b) => a.scenario.localeCompare(b.scenario));
}

/** One line per revision: scenarios clean, checks passed, failed and warnings. */
export function verdict(result: RunResult): string {
  const sum = (key: "passed" | "failed" | "warnings") => result.scenarios.reduce((n, s) => n + s[key], 0);
  const clean = result.scenarios.filter((s) => s.failed === 0).length;
  return `${clean}/${result.scenarios.length} scenarios clean, ${sum("passed")} checks passed, ${
    sum("failed")
  } failed, ` +
    `${sum("warnings")} warnings (${result.seconds.toFixed(1)} s${
      result.exitCode === 0 ? "" : `, suite exit ${result.exitCode}`
    })`;
}

function printRun(result: RunResult): void {
  console.log(`${result.revision}: ${verdict(result)}`);
  for (const scenario of result.scenarios) {
    for (const check of scenario.failures) {
      const mark = check.status === "FAILURE" ? "✗" : "!";
      console.log(
        `  ${mark} ${scenario.scenario}:${check.id} — ${
          (check.errorMessage ?? "").split("\n")[0].slice(0, 240)
        }`,
      );
    }
  }
  if (result.scenarios.length === 0) console.log(`  (no results; see ${result.log})`);
}

/** A loopback port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function collectLines(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  let partial = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    into.push(...lines);
  }
  if (partial) into.push(partial);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Drops ANSI colour codes. */
function strip(line: string): string {
  // deno-lint-ignore no-control-regex
  return line.replace(/\x1b\[[0-9;]*m/g, "");
}

if (import.meta.main) Deno.exit(await main());
