/**
 * The benchmark runs end to end in quick mode on a small selection (the upstream direct and
 * JanusMCP over HTTP 2026, plus the switch figure) and writes a report of the documented shape.
 * No timing is asserted: speed lives in `deno task bench`, not in tests.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

async function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command("deno", {
    args: ["run", "-A", `--config=${REPO}deno.json`, `${REPO}scripts/bench.ts`, ...args],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const isSpread = (value: unknown): boolean => {
  const spread = value as { median?: unknown; min?: unknown; max?: unknown; runs?: unknown };
  return typeof spread === "object" && spread !== null && "median" in spread && "min" in spread &&
    "max" in spread && Array.isArray(spread.runs);
};

/** Runs the bench with `args`, writing its JSON report to a temp file, and reads the report back. */
async function benchReport(args: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "janus-bench-test-" });
  const jsonPath = `${dir}/report.json`;
  try {
    const run = await bench([...args, "--json", jsonPath]);
    assert.equal(run.code, 0, run.stderr);
    return { run, report: JSON.parse(await Deno.readTextFile(jsonPath)) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("bench --quick on two cases writes a report with per-case spreads, JanusMCP figures and targets", async () => {
  const { run, report } = await benchReport([
    "--quick",
    "--cases",
    "direct,janus-http-2026",
    "--figures",
    "switch",
  ]);

  assert.equal(report.version, 1);
  for (const field of ["cpuModel", "cores", "memoryGiB", "deno"]) assert.ok(field in report.machine, field);
  assert.equal(report.settings.quick, true);
  assert.equal(report.settings.batch, 20);
  assert.deepEqual(report.settings.sessions, [2, 4]);

  assert.deepEqual(report.cases.map((c: { id: string }) => c.id), ["direct", "janus-http-2026"]);
  const [direct, http] = report.cases;
  for (const c of report.cases) {
    assert.equal(c.runs.length, 1);
    assert.equal(c.runs[0].error, undefined, `${c.id}: ${c.runs[0].error}`);
    for (
      const key of [
        "medianMs",
        "p90Ms",
        "p99Ms",
        "addedMedianMs",
        "addedMedianVsBestPeer",
        "rssMiB",
        "cpuUsPerCall",
      ]
    ) {
      assert.ok(isSpread(c[key]), `${c.id}.${key}`);
    }
    assert.ok(c.medianMs.median > 0, `${c.id} measured a median`);
    // The cases took turns: 100 calls each, 20 at a time.
    assert.deepEqual([c.runs[0].calls, c.runs[0].turns], [100, 5], c.id);
    assert.ok(c.p99Ms.median >= c.medianMs.median, `${c.id}: p99 is not below the median`);
    assert.deepEqual(c.throughput.map((t: { sessions: number }) => t.sessions), [2, 4]);
  }
  // stdio has one session per process: no throughput; HTTP has calls/s for each session count.
  assert.equal(direct.throughput[0].callsPerSecond.median, null);
  assert.ok(
    http.throughput.every((t: { callsPerSecond: { median: number } }) => t.callsPerSecond.median > 0),
  );
  assert.equal(direct.addedMedianMs.median, 0);

  assert.ok(isSpread(report.janus.summary["switchMs.session"]));
  assert.ok(isSpread(report.janus.summary["switchMs.global"]));
  assert.ok(report.janus.summary["switchMs.session"].median > 0);

  assert.ok(report.targets.length > 0);
  for (const target of report.targets) {
    assert.equal(typeof target.text, "string");
    assert.equal(typeof target.limit, "number");
    assert.ok(target.pass === undefined || typeof target.pass === "boolean");
  }
  // A figure not asked for is reported as not measured rather than guessed.
  const cold = report.targets.find((t: { text: string }) => t.text.startsWith("cold start"));
  assert.equal(cold.pass, undefined);

  assert.match(run.stdout, /^Machine: /m);
  assert.match(run.stdout, /\| JanusMCP \(HTTP 2026-07-28 → stdio\) \|/);
  assert.match(run.stdout, /^(PASS|FAIL|n\/a ) {2}switch/m);
});

Deno.test("the floor cases relay real calls: a bare Deno relay over stdio and over HTTP", async () => {
  const { run, report } = await benchReport([
    "--quick",
    "--cases",
    "direct,floor-stdio,floor-http",
    "--figures",
    "none",
  ]);
  const [stdio, http] = report.cases.slice(1);
  for (const c of [stdio, http]) {
    assert.equal(c.runs[0].error, undefined, `${c.id}: ${c.runs[0].error}`);
    assert.ok(c.medianMs.median > 0, `${c.id} measured a median`);
    // The cases took turns: 100 calls each, 20 at a time.
    assert.deepEqual([c.runs[0].calls, c.runs[0].turns], [100, 5], c.id);
  }
  // Over HTTP several sessions share the relay's one upstream: each got its own answers.
  assert.ok(
    http.throughput.every((t: { callsPerSecond: { median: number } }) => t.callsPerSecond.median > 0),
  );
  assert.match(run.stdout, /\| floor: bare Deno relay \(HTTP 2025-11-25 → stdio\) \|/);
});

Deno.test("the memory figure reports the held-stream floor of a bare Deno.serve next to the broker's per-session slope", async () => {
  const { run, report } = await benchReport(["--quick", "--cases", "none", "--figures", "memory"]);
  const summary = report.janus.summary;
  // Quick mode holds too few streams for a meaningful slope: only that both were measured.
  for (const key of ["memory.perSessionKiB", "memory.streamFloorKiB"]) {
    assert.ok(isSpread(summary[key]), key);
    assert.ok(Number.isFinite(summary[key].median), `${key} is a number`);
  }
  assert.match(run.stdout, /\| floor: bare Deno\.serve RSS per held GET stream .*\| -?\d/);
});

Deno.test("the cold-start figure times a bare Deno relay in front of the upstream and prints it as the cold-start floor", async () => {
  const { run, report } = await benchReport(["--quick", "--cases", "none", "--figures", "cold"]);
  const summary = report.janus.summary;
  for (const key of ["coldStartMs.floorRelayEverything", "coldStartRatio.floorVsUpstream"]) {
    assert.ok(Number.isFinite(summary[key]?.median) && summary[key].median > 0, key);
  }
  const first = report.targets.find((t: { text: string }) =>
    t.text === "cold start to first tools/list ≤ 1.1× the upstream's own"
  );
  assert.equal(first.floor, summary["coldStartRatio.floorVsUpstream"].median);
  assert.match(
    run.stdout,
    /\| cold start to first tools\/list, floor: bare Deno relay in front of server-everything \(ms\) \| \d/,
  );
  assert.match(
    run.stdout,
    /cold start to first tools\/list ≤ 1\.1× the upstream's own: [\d.]+ \(limit 1\.1; floor, a bare Deno relay or server: [\d.]+\)/,
  );
});

Deno.test("bench refuses an unknown case by name, listing the known ones, before starting anything", async () => {
  const run = await bench(["--quick", "--cases", "direct,nope"]);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /--cases: unknown nope \(known: direct, floor-stdio, floor-http, janus-stdio-2025,/,
  );
  assert.equal(run.stdout, "");
});

Deno.test("bench refuses a zero repeat count and an unknown flag with its usage", async () => {
  const zero = await bench(["--repeats", "0"]);
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /--repeats must be a positive number, got "0"/);
  const unknown = await bench(["--fast"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown option '--fast'[\s\S]*Usage: deno task bench/);
});
