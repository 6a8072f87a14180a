/**
 * One run of every case. The cases are started together and their sequential calls are taken in
 * turns — a batch of each case, then the next, the order reversed every round — so that every
 * case's latency comes from the same minutes. Run one after the other, each case met whatever the
 * machine did during its own minute (which core its processes shared, other work): on the
 * 2-core machine the same build's added median over direct read anywhere from 0.16 to 0.39 ms
 * between runs, more than any change it was meant to judge. Throughput takes turns the same way:
 * every HTTP case holds its sessions open, and each calls flat out for a slice of the window while
 * the others wait.
 */
import type { BenchCase, BenchSession, StartedCase } from "./cases.ts";
import { callWindow, closeSessions, echo, openSessions, warmUp } from "./measure.ts";
import type { PeerInstall } from "./peers.ts";
import { percentiles } from "./stats.ts";
import type { CaseRun } from "./summary.ts";

/** What a round measures. */
export interface RoundSettings {
  /** Sequential calls measured per case. */
  calls: number;
  /** Unmeasured calls per case before the first batch. */
  warmup: number;
  /** Sequential calls a case makes in one turn. */
  batch: number;
  /** Session counts for throughput (HTTP cases). */
  sessions: number[];
  seconds: number;
}

/**
 * Unmeasured calls at the start of each turn: a case that waited through the others' batches has
 * gone cold (its processes asleep, its caches taken), which the first calls after a pause pay for
 * and a long sequential run would not show.
 */
const REWARM_CALLS = 5;

/** How many slices each case's throughput window is taken in. */
const THROUGHPUT_TURNS = 4;

/** A case in the round: its started processes, its one latency session, what it measured. */
interface Lane {
  benchCase: BenchCase;
  run: CaseRun;
  started?: StartedCase;
  session?: BenchSession;
  samples: number[];
  cpuSeconds: number;
  turns: number;
}

/** Measures one run of `cases`; `progress` is told what happens. */
export async function runRound(
  cases: readonly BenchCase[],
  settings: RoundSettings,
  peers: PeerInstall | undefined,
  progress: (line: string) => void,
): Promise<Map<string, CaseRun>> {
  const lanes: Lane[] = cases.map((benchCase) => ({
    benchCase,
    run: emptyRun(settings),
    samples: [],
    cpuSeconds: 0,
    turns: 0,
  }));
  const fail = (lane: Lane, error: unknown) => {
    lane.run.error = error instanceof Error ? error.message : String(error);
    progress(`${lane.benchCase.id} failed: ${lane.run.error}`);
  };
  try {
    for (const lane of lanes) {
      progress(`starting ${lane.benchCase.label}`);
      try {
        lane.started = await lane.benchCase.start({ peers });
        lane.session = await lane.started.open();
        await warmUp(lane.session.client, settings.warmup);
      } catch (error) {
        fail(lane, error);
      }
    }
    progress(`${settings.calls} sequential calls per case, ${settings.batch} at a time in turns`);
    await takeTurns(lanes.filter((lane) => !lane.run.error), settings, fail);
    for (const lane of lanes) {
      if (lane.run.error || !lane.started) continue;
      Object.assign(lane.run, percentiles(lane.samples));
      lane.run.cpuUsPerCall = lane.cpuSeconds * 1e6 / lane.samples.length;
      lane.run.calls = lane.samples.length;
      lane.run.turns = lane.turns;
      lane.run.rssMiB = lane.started.rssMiB();
    }
    const http = lanes.filter((lane) => lane.benchCase.transport === "http");
    for (const lane of http) await lane.session?.close().catch(() => {});
    for (const [i, count] of settings.sessions.entries()) {
      progress(`throughput: ${count} sessions per HTTP case, ${THROUGHPUT_TURNS} turns each`);
      await throughputTurns(http, count, settings.seconds, fail, (lane, callsPerSecond) => {
        lane.run.callsPerSecond[i] = callsPerSecond;
      });
    }
  } finally {
    await Promise.all(lanes.map((lane) => lane.started?.stop().catch(() => {})));
  }
  return new Map(lanes.map((lane) => [lane.benchCase.id, lane.run]));
}

/** The sequential calls, a batch per case in turn, until every case has made its `calls`. */
async function takeTurns(
  lanes: Lane[],
  settings: RoundSettings,
  fail: (lane: Lane, error: unknown) => void,
): Promise<void> {
  for (let turn = 0; lanes.some((lane) => !lane.run.error && lane.samples.length < settings.calls); turn++) {
    const order = turn % 2 === 0 ? lanes : [...lanes].reverse();
    for (const lane of order) {
      const { session, started } = lane;
      if (lane.run.error || !session || !started) continue;
      const count = Math.min(settings.batch, settings.calls - lane.samples.length);
      try {
        await warmUp(session.client, REWARM_CALLS);
        const cpuBefore = started.cpuSeconds();
        for (let i = 0; i < count; i++) {
          const start = performance.now();
          await echo(session.client, `call ${lane.samples.length}`);
          lane.samples.push(performance.now() - start);
        }
        lane.cpuSeconds += started.cpuSeconds() - cpuBefore;
        lane.turns++;
      } catch (error) {
        fail(lane, error);
      }
    }
  }
}

/**
 * Calls/s of every lane with `count` sessions open each: `seconds` per lane in total, in turns.
 * A lane that fails is marked and skipped from then on.
 */
async function throughputTurns(
  lanes: Lane[],
  count: number,
  seconds: number,
  fail: (lane: Lane, error: unknown) => void,
  record: (lane: Lane, callsPerSecond: number) => void,
): Promise<void> {
  const open = new Map<Lane, { sessions: BenchSession[]; calls: number; seconds: number }>();
  try {
    for (const lane of lanes) {
      if (lane.run.error || !lane.started) continue;
      try {
        open.set(lane, { sessions: await openSessions(lane.started, count), calls: 0, seconds: 0 });
      } catch (error) {
        fail(lane, error);
      }
    }
    for (let turn = 0; turn < THROUGHPUT_TURNS; turn++) {
      const order = turn % 2 === 0 ? [...open.keys()] : [...open.keys()].reverse();
      for (const lane of order) {
        const state = open.get(lane);
        if (!state || lane.run.error) continue;
        try {
          const window = await callWindow(state.sessions, seconds / THROUGHPUT_TURNS);
          state.calls += window.calls;
          state.seconds += window.seconds;
        } catch (error) {
          fail(lane, error);
        }
      }
    }
    for (const [lane, state] of open) if (!lane.run.error) record(lane, state.calls / state.seconds);
  } finally {
    await Promise.all([...open.values()].map((state) => closeSessions(state.sessions)));
  }
}

function emptyRun(settings: RoundSettings): CaseRun {
  return {
    medianMs: NaN,
    p90Ms: NaN,
    p99Ms: NaN,
    callsPerSecond: settings.sessions.map(() => NaN),
    rssMiB: NaN,
    cpuUsPerCall: NaN,
  };
}
