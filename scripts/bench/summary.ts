/**
 * Pure: turns the raw runs of every case into the figures the report shows — spreads over runs,
 * the added median over direct and the ratios to the best peer, each computed within one run
 * (results vary on a shared machine; ratios within a run are what compare).
 */
import { type Percentiles, type Spread, spread } from "./stats.ts";

/** One run of one case. NaN where the run could not measure (see `error`). */
export interface CaseRun extends Percentiles {
  /** calls/s per session count, in the order of `sessions`. */
  callsPerSecond: number[];
  /** Serving process RSS after the sequential calls, MiB. */
  rssMiB: number;
  /** CPU time of the serving process per sequential call, µs (100 Hz ticks: coarse below ~1,000 calls). */
  cpuUsPerCall: number;
  /** Sequential calls measured, and in how many turns (batches taken between the other cases'). */
  calls?: number;
  turns?: number;
  error?: string;
}

/** What a case is, for the summary. */
export interface CaseInfo {
  id: string;
  label: string;
  group: "direct" | "floor" | "janus" | "peer";
  transport: "stdio" | "http";
  revision: string;
}

/** A case's figures over every run. */
export interface CaseSummary extends CaseInfo {
  runs: CaseRun[];
  medianMs: Spread;
  p90Ms: Spread;
  p99Ms: Spread;
  /** This case's median minus direct's, per run. */
  addedMedianMs: Spread;
  /** Added median ÷ the best (lowest) peer's added median, per run. */
  addedMedianVsBestPeer: Spread;
  throughput: { sessions: number; callsPerSecond: Spread; vsBestPeer: Spread }[];
  rssMiB: Spread;
  cpuUsPerCall: Spread;
}

/** Summarises cases whose runs line up by index (run i of every case measured in the same round). */
export function summarise(cases: { info: CaseInfo; runs: CaseRun[] }[], sessions: number[]): CaseSummary[] {
  const rounds = Math.max(0, ...cases.map((c) => c.runs.length));
  const direct = cases.find((c) => c.info.group === "direct");
  const peers = cases.filter((c) => c.info.group === "peer");
  const perRound = <T>(f: (round: number) => T) => Array.from({ length: rounds }, (_, round) => f(round));
  const directMedian = perRound((r) => direct?.runs[r]?.medianMs ?? Number.NaN);
  const added = (run: CaseRun | undefined, r: number) => (run?.medianMs ?? Number.NaN) - directMedian[r];
  const best = (values: number[], pick: (...n: number[]) => number) => {
    const measured = values.filter(Number.isFinite);
    return measured.length ? pick(...measured) : Number.NaN;
  };
  const bestPeerAdded = perRound((r) => best(peers.map((p) => added(p.runs[r], r)), Math.min));
  const bestPeerCalls = sessions.map((_, s) =>
    perRound((r) => best(peers.map((p) => p.runs[r]?.callsPerSecond[s] ?? Number.NaN), Math.max))
  );
  return cases.map(({ info, runs }) => ({
    ...info,
    runs,
    medianMs: spread(runs.map((run) => run.medianMs)),
    p90Ms: spread(runs.map((run) => run.p90Ms)),
    p99Ms: spread(runs.map((run) => run.p99Ms)),
    addedMedianMs: spread(runs.map((run, r) => added(run, r))),
    addedMedianVsBestPeer: spread(runs.map((run, r) => added(run, r) / bestPeerAdded[r])),
    throughput: sessions.map((count, s) => ({
      sessions: count,
      callsPerSecond: spread(runs.map((run) => run.callsPerSecond[s] ?? Number.NaN)),
      vsBestPeer: spread(runs.map((run, r) => (run.callsPerSecond[s] ?? Number.NaN) / bestPeerCalls[s][r])),
    })),
    rssMiB: spread(runs.map((run) => run.rssMiB)),
    cpuUsPerCall: spread(runs.map((run) => run.cpuUsPerCall)),
  }));
}
