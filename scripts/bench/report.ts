/**
 * Pure: the JanusMCP-only figures summarised, the targets judged (printed as pass/fail,
 * never asserted), and the markdown tables the bench prints and the README shows.
 */
import { formatSpread, type Spread, spread } from "./stats.ts";
import type { CaseSummary } from "./summary.ts";

/** One run of the JanusMCP-only figures; a figure left out of the run is absent. */
export interface JanusRun {
  coldStartMs?: Record<string, number>;
  /** Cold start to the first call's answer (see `coldCalls`). */
  coldCallMs?: Record<string, number>;
  switchMs?: { session: number; global: number };
  memory?: { idleMiB: number; firstSessionMiB: number; perSessionKiB: number; streamFloorKiB?: number };
  toolsListBytes?: { one: number; five: number };
  /** path → size in bytes → median ms (NaN: the call failed). */
  largeResultMs?: Record<string, Record<string, number>>;
}

/** Spreads of every JanusMCP-only figure, keyed as in `JanusRun` (nested keys joined by "."). */
export function summariseJanus(runs: JanusRun[]): Record<string, Spread> {
  const series = new Map<string, number[]>();
  const add = (key: string, value: number, run: number) => {
    const values = series.get(key) ?? Array<number>(runs.length).fill(Number.NaN);
    values[run] = value;
    series.set(key, values);
  };
  runs.forEach((run, i) => {
    for (const [name, ms] of Object.entries(run.coldStartMs ?? {})) add(`coldStartMs.${name}`, ms, i);
    if (run.coldStartMs) {
      add(
        "coldStartRatio.janusVsUpstream",
        run.coldStartMs.janusEverything / run.coldStartMs.everythingDirect,
        i,
      );
      if (run.coldStartMs.floorRelayEverything !== undefined) {
        add(
          "coldStartRatio.floorVsUpstream",
          run.coldStartMs.floorRelayEverything / run.coldStartMs.everythingDirect,
          i,
        );
      }
      if (run.coldStartMs.janusEverythingAgain !== undefined) {
        add(
          "coldStartRatio.janusAgainVsUpstream",
          run.coldStartMs.janusEverythingAgain / run.coldStartMs.everythingDirect,
          i,
        );
      }
      add(
        "coldStartRatio.emptyJanusVsMinimal",
        run.coldStartMs.janusNoAccount / run.coldStartMs.minimalSdkServer,
        i,
      );
    }
    for (const [name, ms] of Object.entries(run.coldCallMs ?? {})) add(`coldCallMs.${name}`, ms, i);
    if (run.coldCallMs?.janusEverythingAgain !== undefined) {
      add(
        "coldCallRatio.janusAgainVsUpstream",
        run.coldCallMs.janusEverythingAgain / run.coldCallMs.everythingDirect,
        i,
      );
    }
    if (run.switchMs) {
      for (const [scope, ms] of Object.entries(run.switchMs)) add(`switchMs.${scope}`, ms, i);
    }
    if (run.memory) {
      for (const [name, value] of Object.entries(run.memory)) add(`memory.${name}`, value, i);
    }
    if (run.toolsListBytes) {
      add("toolsListBytes.one", run.toolsListBytes.one, i);
      add("toolsListBytes.five", run.toolsListBytes.five, i);
      add("toolsListBytes.ratio", run.toolsListBytes.five / run.toolsListBytes.one, i);
    }
    for (const [path, sizes] of Object.entries(run.largeResultMs ?? {})) {
      for (const [size, ms] of Object.entries(sizes)) {
        add(`largeResultMs.${path}.${size}`, ms, i);
        if (path !== "direct" && path !== "rawPipe") {
          add(`largeResultRatio.${path}.${size}`, ms / (run.largeResultMs?.direct?.[size] ?? NaN), i);
        }
        if (path !== "rawPipe") {
          add(`largeResultVsRawPipe.${path}.${size}`, ms / (run.largeResultMs?.rawPipe?.[size] ?? NaN), i);
        }
      }
    }
  });
  return Object.fromEntries([...series].map(([key, values]) => [key, spread(values)]));
}

/** A target of the issue, judged on the median over runs. */
export interface Target {
  text: string;
  value: number;
  limit: number;
  /** undefined: not measured in this run. */
  pass?: boolean;
  /** The same figure for what no broker code can go below on this machine (a floor case), when measured. */
  floor?: number;
}

function target(
  text: string,
  value: number | undefined,
  limit: number,
  atMost = true,
  floor?: number,
): Target {
  const measuredFloor = floor !== undefined && Number.isFinite(floor) ? { floor } : {};
  if (value === undefined || !Number.isFinite(value)) {
    return { text, value: Number.NaN, limit, ...measuredFloor };
  }
  return { text, value, limit, pass: atMost ? value <= limit : value >= limit, ...measuredFloor };
}

/** The targets against this run's figures. */
export function judgeTargets(cases: CaseSummary[], janus: Record<string, Spread>): Target[] {
  const targets: Target[] = [];
  const floorOf = (id: string) => cases.find((c) => c.id === id)?.addedMedianMs.median;
  for (const c of cases.filter((c) => c.group === "janus")) {
    if (c.transport === "http") {
      targets.push(
        target(`${c.id}: added median ≤ ½ best peer's (ratio)`, c.addedMedianVsBestPeer.median, 0.5),
      );
      const floor = c.revision === "2025-11-25" ? floorOf("floor-http") : undefined; // the floor speaks 2025 only
      targets.push(target(`${c.id}: added median ≤ 0.5 ms`, c.addedMedianMs.median, 0.5, true, floor));
      const sixteen = c.throughput.find((t) => t.sessions === 16);
      if (sixteen) {
        targets.push(
          target(`${c.id}: calls/s with 16 sessions ≥ 2× best peer's`, sixteen.vsBestPeer.median, 2, false),
        );
      }
    } else {
      targets.push(
        target(`${c.id}: added median ≤ 0.2 ms`, c.addedMedianMs.median, 0.2, true, floorOf("floor-stdio")),
      );
    }
  }
  const at = (key: string) => janus[key]?.median;
  targets.push(
    target(
      "cold start to first tools/list ≤ 1.1× the upstream's own",
      at("coldStartRatio.janusVsUpstream"),
      1.1,
      true,
      at("coldStartRatio.floorVsUpstream"),
    ),
  );
  // The next start of the same config answers the handshake from its early-answer record.
  targets.push(
    target(
      "cold start to first tools/list ≤ 1.1× the upstream's own, config served before",
      at("coldStartRatio.janusAgainVsUpstream"),
      1.1,
      true,
      at("coldStartRatio.floorVsUpstream"),
    ),
  );
  targets.push(
    target("switch (warm upstream) → list_changed ≤ 2 ms, session scope", at("switchMs.session"), 2),
  );
  targets.push(
    target("switch (warm upstream) → list_changed ≤ 2 ms, global scope", at("switchMs.global"), 2),
  );
  targets.push(
    target("tools/list bytes, 5 accounts of one service ≤ 1.15× one", at("toolsListBytes.ratio"), 1.15),
  );
  const eight = String(8 * 2 ** 20);
  targets.push(target("8 MiB result over stdio ≤ 2× direct", at(`largeResultRatio.janusStdio.${eight}`), 2));
  targets.push(target("8 MiB result over HTTP ≤ 2× direct", at(`largeResultRatio.janusHttp.${eight}`), 2));
  // The issue says MB and KB: 70 MB = 66.8 MiB, 50 KB = 48.8 KiB.
  targets.push(target("RSS idle with 50 accounts ≤ 70 MB (66.8 MiB)", at("memory.idleMiB"), 70e6 / 2 ** 20));
  targets.push(
    target(
      "RSS per extra idle HTTP session ≤ 50 KB (48.8 KiB)",
      at("memory.perSessionKiB"),
      50e3 / 1024,
      true,
      at("memory.streamFloorKiB"),
    ),
  );
  return targets;
}

/** The pass/fail lines. */
export function targetLines(targets: Target[]): string[] {
  return targets.map((t) => {
    const verdict = t.pass === undefined ? "n/a " : t.pass ? "PASS" : "FAIL";
    const value = Number.isFinite(t.value) ? t.value.toFixed(2) : "not measured";
    const floor = t.floor === undefined ? "" : `; floor, a bare Deno relay or server: ${t.floor.toFixed(2)}`;
    return `${verdict}  ${t.text}: ${value} (limit ${Number(t.limit.toFixed(2))}${floor})`;
  });
}

/** The per-path table (markdown). Cells: median over runs, (min – max) when runs differ. */
export function caseTable(cases: CaseSummary[]): string[] {
  const sessions = cases[0]?.throughput.map((t) => t.sessions) ?? [];
  const head = [
    "path",
    "median ms",
    "p90 ms",
    "p99 ms",
    "added median ms",
    "added ÷ best peer's",
    ...sessions.flatMap((n) => [`calls/s, ${n} sessions`, `÷ best peer (${n})`]),
    "CPU µs/call",
    "RSS MiB",
  ];
  const rows = cases.map((c) => [
    c.label,
    formatSpread(c.medianMs),
    formatSpread(c.p90Ms),
    formatSpread(c.p99Ms),
    c.group === "direct" ? "—" : formatSpread(c.addedMedianMs),
    c.group === "direct" ? "—" : formatSpread(c.addedMedianVsBestPeer),
    ...c.throughput.flatMap((t) => [formatSpread(t.callsPerSecond, 0), formatSpread(t.vsBestPeer)]),
    formatSpread(c.cpuUsPerCall, 0),
    formatSpread(c.rssMiB, 0),
  ]);
  return [head, head.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`);
}

/** What the short names in figure keys stand for, in the table. */
const NAMES: Record<string, string> = {
  minimalSdkServer: "a minimal SDK server, the payload fixture",
  everythingDirect: "server-everything itself",
  janusNoAccount: "JanusMCP, no account",
  janusEverything: "JanusMCP with one server-everything account",
  janusEverythingAgain: "JanusMCP with one server-everything account, config served before",
  floorRelayEverything: "floor: bare Deno relay in front of server-everything",
  floorVsUpstream: "floor: bare Deno relay in front of server-everything ÷ server-everything itself",
  janusVsUpstream: "JanusMCP with one account ÷ server-everything itself",
  janusAgainVsUpstream: "JanusMCP with one account, config served before ÷ server-everything itself",
  emptyJanusVsMinimal: "JanusMCP without accounts ÷ minimal SDK server",
  rawPipe: "raw Deno pipe, no SDK",
  direct: "direct (SDK stdio client)",
  janusStdio: "via JanusMCP stdio",
  janusHttp: "via JanusMCP HTTP 2025-11-25",
};
const name = (key: string) => NAMES[key] ?? key;

/** The JanusMCP-only figures (markdown), with what each is. */
export function janusTable(janus: Record<string, Spread>): string[] {
  const lines = ["| figure | value |", "|---|---|"];
  const labels: [RegExp, (m: RegExpMatchArray) => string, number][] = [
    [/^coldStartMs\.(.+)$/, (m) => `cold start to first tools/list, ${name(m[1])} (ms)`, 0],
    [/^coldStartRatio\.(.+)$/, (m) => `cold start, ${name(m[1])}`, 2],
    [/^coldCallMs\.(.+)$/, (m) => `cold start to first echo call answered, ${name(m[1])} (ms)`, 0],
    [/^coldCallRatio\.(.+)$/, (m) => `cold start to first echo call, ${name(m[1])}`, 2],
    [/^switchMs\.(.+)$/, (m) => `switch → list_changed, warm upstream, ${m[1]} scope (ms)`, 2],
    [/^memory\.idleMiB$/, () => "broker RSS idle, 50 accounts configured, before any request (MiB)", 1],
    [
      /^memory\.firstSessionMiB$/,
      () => "broker RSS, 50 accounts, one HTTP session open, no upstream (MiB)",
      1,
    ],
    [
      /^memory\.perSessionKiB$/,
      () => "broker RSS per extra idle 2025-11-25 HTTP session, slope over 200 (KiB)",
      1,
    ],
    [
      /^memory\.streamFloorKiB$/,
      () =>
        "floor: bare Deno.serve RSS per held GET stream (what each such session's stream costs in Deno), slope over 200 (KiB)",
      1,
    ],
    [
      /^toolsListBytes\.(one|five)$/,
      (m) => `tools/list bytes, ${m[1] === "one" ? "1 account" : "5 accounts"} of server-everything`,
      0,
    ],
    [/^toolsListBytes\.ratio$/, () => "tools/list bytes, 5 accounts ÷ 1", 2],
    [/^largeResultMs\.(\w+)\.(\d+)$/, (m) => `${Number(m[2]) / 2 ** 20} MiB result, ${name(m[1])} (ms)`, 1],
    [
      /^largeResultRatio\.(\w+)\.(\d+)$/,
      (m) => `${Number(m[2]) / 2 ** 20} MiB result, ${name(m[1])} ÷ direct`,
      2,
    ],
    [
      /^largeResultVsRawPipe\.(\w+)\.(\d+)$/,
      (m) => `${Number(m[2]) / 2 ** 20} MiB result, ${name(m[1])} ÷ raw pipe`,
      1,
    ],
  ];
  for (const [key, value] of Object.entries(janus)) {
    const label = labels.map(([re, f, digits]) => [key.match(re), f, digits] as const).find(([m]) => m);
    if (!label?.[0]) continue;
    const text = Number.isFinite(value.median) ? formatSpread(value, label[2]) : "failed";
    lines.push(`| ${label[1](label[0])} | ${text} |`);
  }
  return lines;
}
