/** The benchmark's pure parts: percentiles, spreads, ratios within a run, targets, profile reading. */
import assert from "node:assert/strict";
import { percentile, percentiles, slope, spread } from "../../scripts/bench/stats.ts";
import { type CaseRun, summarise } from "../../scripts/bench/summary.ts";
import { judgeTargets, summariseJanus, targetLines } from "../../scripts/bench/report.ts";
import { type CpuProfile, originOf, summariseProfile } from "../../scripts/bench/cpu_profile.ts";

const run = (medianMs: number, callsPerSecond: number[] = []): CaseRun => ({
  medianMs,
  p90Ms: medianMs * 2,
  p99Ms: medianMs * 3,
  callsPerSecond,
  rssMiB: 50,
  cpuUsPerCall: 100,
});

Deno.test("percentiles use the nearest rank and leave the input unsorted", () => {
  const samples = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
  assert.equal(percentile(samples, 0.5), 5);
  assert.deepEqual(percentiles(samples), { medianMs: 5, p90Ms: 9, p99Ms: 10 });
  assert.deepEqual(samples, [5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});

Deno.test("the per-session slope is the least-squares fit over every block, so one step does not decide it", () => {
  assert.equal(slope([0, 25, 50, 75, 100], [10, 11, 12, 13, 14]), 0.04);
  // A 6 MiB step inside one of four blocks: that block alone reads 6 or 0 per block, the fit 1.8.
  assert.equal(slope([0, 1, 2, 3, 4], [0, 0, 6, 6, 6]), 1.8);
  assert.ok(Number.isNaN(slope([3, 3], [1, 2])));
});

Deno.test("a spread leaves failed runs out of median and range but keeps them listed", () => {
  assert.deepEqual(spread([3, Number.NaN, 1, 2]), { median: 2, min: 1, max: 3, runs: [3, Number.NaN, 1, 2] });
  assert.ok(Number.isNaN(spread([Number.NaN]).median));
});

Deno.test("added median and ratios to the best peer are taken within each run, not across runs", () => {
  const info = (id: string, group: "direct" | "janus" | "peer") => ({
    id,
    label: id,
    group,
    transport: "http" as const,
    revision: "2025-11-25",
  });
  const [, janus] = summarise([
    { info: info("direct", "direct"), runs: [run(1), run(10)] },
    { info: info("janus", "janus"), runs: [run(2, [400]), run(12, [100])] },
    { info: info("slow-peer", "peer"), runs: [run(5, [100]), run(20, [50])] },
    { info: info("fast-peer", "peer"), runs: [run(3, [200]), run(14, [25])] },
  ], [16]);
  assert.deepEqual(janus.addedMedianMs.runs, [1, 2]);
  // best peer per run: fast-peer added 2 in run 1, 4 in run 2; throughput best 200, then 50.
  assert.deepEqual(janus.addedMedianVsBestPeer.runs, [0.5, 0.5]);
  assert.deepEqual(janus.throughput[0].vsBestPeer.runs, [2, 2]);
});

Deno.test("targets are judged on medians, and a figure that was not measured is neither pass nor fail", () => {
  const janus = summariseJanus([{ switchMs: { session: 1.5, global: 3 } }]);
  const targets = judgeTargets([], janus);
  const find = (prefix: string) => targets.find((t) => t.text.startsWith(prefix));
  assert.equal(find("switch (warm upstream) → list_changed ≤ 2 ms, session")?.pass, true);
  assert.equal(find("switch (warm upstream) → list_changed ≤ 2 ms, global")?.pass, false);
  assert.equal(find("cold start")?.pass, undefined);
});

Deno.test("latency and per-session targets carry their floor when the floor was measured, and print it", () => {
  const info = (
    id: string,
    group: "direct" | "floor" | "janus",
    transport: "stdio" | "http",
    revision = "2025-11-25",
  ) => ({
    id,
    label: id,
    group,
    transport,
    revision,
  });
  const cases = summarise([
    { info: info("direct", "direct", "stdio"), runs: [run(1)] },
    { info: info("floor-stdio", "floor", "stdio"), runs: [run(1.1)] },
    { info: info("floor-http", "floor", "http"), runs: [run(1.25)] },
    { info: info("janus-stdio-2025", "janus", "stdio"), runs: [run(1.3)] },
    { info: info("janus-http-2025", "janus", "http"), runs: [run(1.4)] },
    { info: info("janus-http-2026", "janus", "http", "2026-07-28"), runs: [run(1.6)] },
  ], [16]);
  const janus = summariseJanus([{
    memory: { idleMiB: 60, firstSessionMiB: 80, perSessionKiB: 95, streamFloorKiB: 78 },
  }]);
  const targets = judgeTargets(cases, janus);
  const find = (text: string) => targets.find((t) => t.text === text);
  assert.ok(Math.abs((find("janus-stdio-2025: added median ≤ 0.2 ms")?.floor ?? 0) - 0.1) < 1e-9);
  assert.ok(Math.abs((find("janus-http-2025: added median ≤ 0.5 ms")?.floor ?? 0) - 0.25) < 1e-9);
  // The HTTP floor speaks 2025-11-25 only: a 2026 target gets none.
  assert.equal(find("janus-http-2026: added median ≤ 0.5 ms")?.floor, undefined);
  assert.equal(find("RSS per extra idle HTTP session ≤ 50 KB (48.8 KiB)")?.floor, 78);
  assert.equal(find("cold start to first tools/list ≤ 1.1× the upstream's own")?.floor, undefined);
  const lines = targetLines(targets);
  assert.ok(
    lines.includes(
      "FAIL  janus-stdio-2025: added median ≤ 0.2 ms: 0.30 (limit 0.2; floor, a bare Deno relay or server: 0.10)",
    ),
  );
  assert.ok(
    lines.some((line) => line.startsWith("FAIL  janus-http-2026: added median ≤ 0.5 ms: 0.60 (limit 0.5)")),
  );
});

Deno.test("the cold-start targets carry the bare relay's ratio to the upstream as their floor, within each run", () => {
  const cold = (direct: number, floor: number, janus: number) => ({
    coldStartMs: {
      everythingDirect: direct,
      floorRelayEverything: floor,
      janusEverything: janus,
      janusEverythingAgain: janus / 4,
      janusNoAccount: 1,
      minimalSdkServer: 1,
    },
  });
  const janus = summariseJanus([cold(100, 120, 200), cold(200, 220, 300), cold(100, 130, 180)]);
  assert.deepEqual(janus["coldStartRatio.floorVsUpstream"].runs, [1.2, 1.1, 1.3]);
  const targets = judgeTargets([], janus);
  const find = (text: string) => targets.find((t) => t.text === text);
  assert.equal(find("cold start to first tools/list ≤ 1.1× the upstream's own")?.floor, 1.2);
  assert.equal(
    find("cold start to first tools/list ≤ 1.1× the upstream's own, config served before")?.floor,
    1.2,
  );
  assert.ok(
    targetLines(targets).includes(
      "FAIL  cold start to first tools/list ≤ 1.1× the upstream's own: 1.80 (limit 1.1; floor, a bare Deno relay or server: 1.20)",
    ),
  );
});

Deno.test("large results are compared with direct in the same run", () => {
  const janus = summariseJanus([{ largeResultMs: { direct: { "8": 10 }, janusHttp: { "8": 25 } } }]);
  assert.equal(janus["largeResultRatio.janusHttp.8"].median, 2.5);
  assert.equal(janus["largeResultRatio.direct.8"], undefined);
});

Deno.test("a CPU profile is read into self time per function and origin, idle apart, recursion counted once", () => {
  const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 4] },
      { id: 2, callFrame: frame("callTool", "file:///x/lib/broker/broker.ts"), children: [3] },
      {
        id: 3,
        callFrame: frame("parse", "file:///c/node_modules/.deno/zod@4/node_modules/zod/v4/a.js"),
        children: [5],
      },
      { id: 4, callFrame: frame("(idle)") },
      { id: 5, callFrame: frame("parse", "file:///c/node_modules/.deno/zod@4/node_modules/zod/v4/a.js") },
    ],
    startTime: 0,
    endTime: 4000,
    samples: [2, 3, 5, 4],
    timeDeltas: [1000, 1000, 1000, 1000],
  };
  const summary = summariseProfile(profile);
  assert.equal(summary.totalMs, 4);
  assert.equal(summary.idlePercent, 25);
  assert.deepEqual(summary.selfByOrigin.map((s) => [s.name, s.ms]), [["npm:zod", 2], [
    "lib/broker/broker.ts",
    1,
  ]]);
  const inclusive = Object.fromEntries(summary.inclusiveByFunction.map((s) => [s.name.split(" ")[0], s.ms]));
  assert.deepEqual(inclusive, { callTool: 3, parse: 2 });
});

Deno.test("a CPU profile counts the self time spent inside pipe and socket ops apart", () => {
  const frame = (functionName: string) => ({ functionName, url: "", lineNumber: 0 });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 3, 4] },
      { id: 2, callFrame: frame("op_write_all") },
      { id: 3, callFrame: frame("op_read") },
      { id: 4, callFrame: frame("JSON.parse") },
    ],
    startTime: 0,
    endTime: 6000,
    samples: [2, 3, 4, 2],
    timeDeltas: [1000, 2000, 1000, 2000],
  };
  assert.equal(summariseProfile(profile).ioOpsMs, 5);
});

Deno.test("profile origins name the npm package, the broker file, or the runtime", () => {
  assert.equal(
    originOf("file:///r/.cache/deno/npm/registry.npmjs.org/@modelcontextprotocol/server/2.4.0/dist/a.mjs"),
    "npm:@modelcontextprotocol/server",
  );
  assert.equal(originOf("file:///work/x/lib/transport/http.ts"), "lib/transport/http.ts");
  assert.equal(originOf("ext:deno_node/internal/streams.mjs"), "deno ext:deno_node");
  assert.equal(originOf(""), "(native / V8)");
});
