// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * The benchmark (issue 13): what a call costs through JanusMCP, side by side with the upstream
 * reached directly and with the peers a user would pick instead (supergateway, mcp-proxy; pinned,
 * installed by this script into a temp dir), plus figures only the broker has (cold start,
 * switch, memory, tools/list size, large results). Every case is started fresh in every run, and
 * within a run the cases take turns at their sequential calls (bench/round.ts); each figure is
 * measured `--repeats` times and reported with its spread. Targets from the issue
 * are printed as pass/fail lines, never asserted.
 *
 *   deno task bench [--quick] [--json PATH] [--repeats N] [--calls N] [--batch N] [--seconds S]
 *                   [--sessions 16,32] [--cases id,…] [--figures cold,switch,memory,bytes,large|none]
 *                   [--peers-dir DIR]
 */
import { parseArgs } from "node:util";
import { type BenchCase, CASES } from "./bench/cases.ts";
import {
  coldCalls,
  coldStarts,
  largeResults,
  memory,
  switchMs,
  toolsListBytes,
} from "./bench/janus_figures.ts";
import { describeMachine, machineLine } from "./bench/machine.ts";
import { installPeers, PEER_PACKAGES, type PeerInstall } from "./bench/peers.ts";
import { removeTempDirs } from "./bench/processes.ts";
import { runRound } from "./bench/round.ts";
import {
  caseTable,
  type JanusRun,
  janusTable,
  judgeTargets,
  summariseJanus,
  targetLines,
} from "./bench/report.ts";
import { percentile } from "./bench/stats.ts";
import { type CaseRun, summarise } from "./bench/summary.ts";

const FIGURES = ["cold", "switch", "memory", "bytes", "large"] as const;

const USAGE = `Usage: deno task bench [options]

  --quick             few iterations (1 run, 100 calls, 1 s, sessions 2,4): a smoke test, not figures
  --json PATH         where the JSON report goes (default: a new temp file, printed at the end)
  --repeats N         runs of every case and figure (default 3; each case is started fresh every run)
  --calls N           sequential echo calls per case and run (default 1000, after 100 warm-up calls)
  --batch N           sequential calls a case makes per turn; the cases take turns (default 100)
  --seconds S         throughput window per session count (default 4)
  --sessions LIST     concurrent HTTP sessions for throughput (default 16,32)
  --cases LIST        ${CASES.map((c) => c.id).join(", ")} (default all)
  --figures LIST      ${FIGURES.join(", ")}, or none (default all)
  --peers-dir DIR     install the pinned peers into DIR (reused when already there) instead of a temp dir`;
type Figure = typeof FIGURES[number];

/** The run's settings, after flags and `--quick`. */
interface Settings {
  quick: boolean;
  repeats: number;
  calls: number;
  warmup: number;
  batch: number;
  seconds: number;
  sessions: number[];
  cases: BenchCase[];
  figures: Figure[];
  jsonPath: string;
  peersDir?: string;
}

function parseSettings(args: string[]): Settings {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "string" },
      repeats: { type: "string" },
      calls: { type: "string" },
      batch: { type: "string" },
      seconds: { type: "string" },
      sessions: { type: "string" },
      cases: { type: "string" },
      figures: { type: "string" },
      "peers-dir": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const quick = values.quick === true;
  const count = (name: string, text: string | undefined, fallback: number) => {
    const n = text === undefined ? fallback : Number(text);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number, got "${text}"`);
    return n;
  };
  const list = <T extends string>(name: string, text: string | undefined, known: readonly T[]): T[] => {
    if (text === undefined) return [...known];
    if (text === "none") return [];
    const asked = text.split(",").map((s) => s.trim()) as T[];
    const unknown = asked.filter((s) => !known.includes(s));
    if (unknown.length) {
      throw new Error(`--${name}: unknown ${unknown.join(", ")} (known: ${known.join(", ")})`);
    }
    return asked;
  };
  const caseIds = list("cases", values.cases, CASES.map((c) => c.id));
  return {
    quick,
    repeats: count("repeats", values.repeats, quick ? 1 : 3),
    calls: count("calls", values.calls, quick ? 100 : 1000),
    warmup: quick ? 20 : 100,
    batch: count("batch", values.batch, quick ? 20 : 100),
    seconds: count("seconds", values.seconds, quick ? 1 : 4),
    sessions: (values.sessions ?? (quick ? "2,4" : "16,32")).split(",").map((s) => count("sessions", s, 1)),
    cases: CASES.filter((c) => caseIds.includes(c.id)),
    figures: list("figures", values.figures, FIGURES),
    jsonPath: values.json ?? Deno.makeTempFileSync({ prefix: "janus-bench-", suffix: ".json" }),
    peersDir: values["peers-dir"],
  };
}

const progress = (line: string) => console.error(`bench: ${line}`);

/** One run of the figures only JanusMCP has. */
async function runFigures(settings: Settings): Promise<JanusRun> {
  const run: JanusRun = {};
  const want = (figure: Figure) => settings.figures.includes(figure);
  const attempt = async (figure: Figure, work: () => Promise<void>) => {
    if (!want(figure)) return;
    progress(`figure ${figure}`);
    await work().catch((error) => progress(`figure ${figure} failed: ${(error as Error).message}`));
  };
  await attempt("cold", async () => {
    run.coldStartMs = await coldStarts();
    run.coldCallMs = await coldCalls();
  });
  await attempt("switch", async () => {
    const ms = await switchMs(settings.quick ? 4 : 20);
    run.switchMs = { session: percentile(ms.session, 0.5), global: percentile(ms.global, 0.5) };
  });
  await attempt("memory", async () => {
    run.memory = await memory(settings.quick ? 2 : 8, settings.quick ? 3 : 25, settings.quick ? 200 : 1000);
  });
  await attempt("bytes", async () => {
    run.toolsListBytes = await toolsListBytes();
  });
  await attempt("large", async () => {
    run.largeResultMs = await largeResults([2 ** 20, 8 * 2 ** 20], settings.quick ? 1 : 3);
  });
  return run;
}

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = parseSettings(Deno.args);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
  const startedAt = new Date().toISOString();
  const machine = await describeMachine();
  const needsPeers = settings.cases.some((c) => c.group === "peer");
  let peers: PeerInstall | undefined;
  if (needsPeers) {
    progress(`installing ${Object.entries(PEER_PACKAGES).map(([n, v]) => `${n}@${v}`).join(", ")}`);
    peers = await installPeers(settings.peersDir);
  }

  const caseRuns = new Map(settings.cases.map((c) => [c.id, [] as CaseRun[]]));
  const janusRuns: JanusRun[] = [];
  for (let round = 1; round <= settings.repeats; round++) {
    if (settings.cases.length) {
      progress(`run ${round}/${settings.repeats}: ${settings.cases.map((c) => c.id).join(", ")}`);
      const runs = await runRound(settings.cases, settings, peers, progress);
      for (const [id, run] of runs) caseRuns.get(id)?.push(run);
    }
    if (settings.figures.length) janusRuns.push(await runFigures(settings));
  }

  const cases = summarise(
    settings.cases.map((c) => ({
      info: { id: c.id, label: c.label, group: c.group, transport: c.transport, revision: c.revision },
      runs: caseRuns.get(c.id) ?? [],
    })),
    settings.sessions,
  );
  const janus = summariseJanus(janusRuns);
  const targets = judgeTargets(cases, janus);
  const command = `deno task bench${Deno.args.length ? ` ${Deno.args.join(" ")}` : ""}`;
  const report = {
    version: 1,
    command,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    settings: {
      quick: settings.quick,
      repeats: settings.repeats,
      calls: settings.calls,
      warmup: settings.warmup,
      batch: settings.batch,
      seconds: settings.seconds,
      sessions: settings.sessions,
      upstream: "@modelcontextprotocol/server-everything@2026.8.31 (echo), run by deno",
      peers: PEER_PACKAGES,
    },
    cases,
    janus: { runs: janusRuns, summary: janus },
    targets,
  };
  await Deno.writeTextFile(settings.jsonPath, JSON.stringify(report, null, 2) + "\n");

  console.log(`Machine: ${machineLine(machine)}`);
  console.log(
    `Command: ${command} — ${settings.calls} sequential echo calls after ${settings.warmup} warm-up, ` +
      `the cases taking turns ${settings.batch} calls at a time; ` +
      `throughput ${settings.seconds} s per session count; ${settings.repeats} run(s), every case started fresh each run; ` +
      `cells: median over runs (min – max)\n`,
  );
  for (const line of caseTable(cases)) console.log(line);
  if (janusRuns.length) {
    console.log("");
    for (const line of janusTable(janus)) console.log(line);
  }
  console.log("\nTargets (issue 13; judged on the median over runs, never asserted):");
  for (const line of targetLines(targets)) console.log(line);
  console.log(`\nJSON: ${settings.jsonPath}`);
}

if (import.meta.main) {
  try {
    await main();
  } finally {
    await removeTempDirs();
  }
}
