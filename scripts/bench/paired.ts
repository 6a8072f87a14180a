// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * A/B of this checkout's HTTP broker against another checkout's, both running at once: batches
 * of sequential `echo` calls alternate between the two, and each batch's CPU is read from the
 * serving process's threads (/proc/PID/task/*\/schedstat, nanoseconds). Alternating small
 * batches puts the other load of a shared machine on both sides alike: an A/A run (`--base` this
 * checkout) spread ±4 µs/call in December 2026 at load 5–8, where `deno task bench` rounds spread
 * ±60.
 *
 *   deno run -A scripts/bench/paired.ts --base /work/wt-base [--revision 2026-07-28] [--batch 200] [--pairs 60]
 */
import { parseArgs } from "node:util";
import { echo, warmUp } from "./measure.ts";
import {
  account,
  brokerLine,
  EVERYTHING,
  httpClient,
  removeTempDirs,
  REPO,
  type Revision,
  type ServerProcess,
  spawnServer,
  waitFor,
  writeConfig,
} from "./processes.ts";
import { percentile } from "./stats.ts";

/** CPU seconds every thread of `pid` has run so far (schedstat: nanoseconds, unlike /proc/PID/stat's ticks). */
function threadSeconds(pid: number): number {
  let ns = 0;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/schedstat`).split(" ")[0]);
    } catch {
      // the thread ended
    }
  }
  return ns / 1e9;
}

/** `serve --http` of the checkout at `root`, listening. */
async function startBroker(root: string, config: string): Promise<{ server: ServerProcess; url: string }> {
  const line = brokerLine(["serve", "--http", "--port", "0", "--config", config]);
  const server = spawnServer({
    command: line.command,
    args: line.args.map((arg) => arg.replaceAll(REPO, root)),
  });
  const url = await waitFor(
    "the broker to listen",
    () => /listening on (http:\/\/\S+\/mcp)/.exec(server.stderr())?.[1],
  );
  return { server, url };
}

/** Median (q1, q3) of `samples`. */
function quartiles(samples: number[], digits: number): string {
  const [median, q1, q3] = [0.5, 0.25, 0.75].map((q) => percentile(samples, q).toFixed(digits));
  return `${median} (q1 ${q1}, q3 ${q3})`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      base: { type: "string" },
      revision: { type: "string", default: "2026-07-28" },
      batch: { type: "string", default: "200" },
      pairs: { type: "string", default: "60" },
    },
  });
  if (!values.base) {
    throw new Error("--base DIR: the other checkout (e.g. git worktree add --detach DIR main)");
  }
  const base = values.base.endsWith("/") ? values.base : `${values.base}/`;
  const revision = values.revision as Revision;
  const [batch, pairs] = [Number(values.batch), Number(values.pairs)];
  const config = await writeConfig({ accounts: [account("everything", EVERYTHING)] });
  const sides = { base: await startBroker(base, config), this: await startBroker(REPO, config) };
  const clients = {
    base: await httpClient(sides.base.url, revision),
    this: await httpClient(sides.this.url, revision),
  };
  try {
    for (const side of ["base", "this"] as const) await warmUp(clients[side].client, 1000);
    const cpu = { base: [] as number[], this: [] as number[] };
    const latency = { base: [] as number[], this: [] as number[] };
    const differences: number[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      const order = pair % 2 === 0 ? ["base", "this"] as const : ["this", "base"] as const;
      for (const side of order) {
        const pid = sides[side].server.pid;
        const before = threadSeconds(pid);
        for (let i = 0; i < batch; i++) {
          const start = performance.now();
          await echo(clients[side].client, `call ${i}`);
          latency[side].push(performance.now() - start);
        }
        cpu[side].push((threadSeconds(pid) - before) * 1e6 / batch);
      }
      differences.push(cpu.this[pair] - cpu.base[pair]);
    }
    console.log(`HTTP ${revision} → stdio, ${pairs} alternating pairs of ${batch} sequential echo calls`);
    console.log(`CPU µs/call, base: ${quartiles(cpu.base, 0)}`);
    console.log(`CPU µs/call, this: ${quartiles(cpu.this, 0)}`);
    console.log(`CPU µs/call, this − base per pair: ${quartiles(differences, 0)}`);
    console.log(`latency ms, base: ${quartiles(latency.base, 3)}`);
    console.log(`latency ms, this: ${quartiles(latency.this, 3)}`);
  } finally {
    for (const side of ["base", "this"] as const) {
      await clients[side].close();
      await sides[side].server.stop();
    }
    await removeTempDirs();
  }
}

if (import.meta.main) await main();
