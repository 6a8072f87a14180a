/** The per-call measurements: sequential latency on one session, and throughput over many. */
import type { Client } from "@modelcontextprotocol/client";
import type { BenchSession, StartedCase } from "./cases.ts";
import { type Percentiles, percentiles } from "./stats.ts";

/** One `echo` call, checked: a path that answers wrongly must not look fast. */
export async function echo(client: Client, message: string): Promise<void> {
  const result = await client.callTool({ name: "echo", arguments: { message } });
  const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
  if (result.isError || first?.text !== `Echo: ${message}`) {
    throw new Error(`echo answered ${JSON.stringify(result).slice(0, 200)}`);
  }
}

/** `calls` unmeasured echo calls. */
export async function warmUp(client: Client, calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) await echo(client, `warm ${i}`);
}

/** `calls` sequential echo calls after `warmup` unmeasured ones: their latency percentiles. */
export async function sequentialLatency(client: Client, calls: number, warmup: number): Promise<Percentiles> {
  await warmUp(client, warmup);
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await echo(client, `call ${i}`);
    samples.push(performance.now() - start);
  }
  return percentiles(samples);
}

/** Opens `count` sessions, a few at a time (some peers start an upstream per session). */
export async function openSessions(started: StartedCase, count: number): Promise<BenchSession[]> {
  const sessions: BenchSession[] = [];
  try {
    while (sessions.length < count) {
      const batch = Math.min(4, count - sessions.length);
      sessions.push(...await Promise.all(Array.from({ length: batch }, () => started.open())));
    }
  } catch (error) {
    await closeSessions(sessions);
    throw error;
  }
  await Promise.all(sessions.map((session, i) => echo(session.client, `warm ${i}`)));
  return sessions;
}

export async function closeSessions(sessions: readonly BenchSession[]): Promise<void> {
  await Promise.all(sessions.map((session) => session.close().catch(() => {})));
}

/**
 * Every session calling back to back for `seconds`: the calls answered, and the seconds they took
 * (a call in flight at the deadline is waited for and counted).
 */
export async function callWindow(
  sessions: readonly BenchSession[],
  seconds: number,
): Promise<{ calls: number; seconds: number }> {
  let calls = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(sessions.map(async (session, i) => {
    for (let n = 0; performance.now() < deadline; n++) {
      await echo(session.client, `s${i} ${n}`);
      calls++;
    }
  }));
  return { calls, seconds: (performance.now() - start) / 1000 };
}
