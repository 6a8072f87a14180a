// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * A/B of this checkout's broker against another checkout's, both running at once (`serve --http`,
 * or with `--transport stdio` each a `serve` child of this process): batches of sequential `echo`
 * calls alternate between the two, and each batch's CPU is read from the serving process's
 * threads (/proc/PID/task/*\/schedstat, nanoseconds). Alternating small batches puts the other
 * load of a shared machine on both sides alike: an A/A run (`--base` this checkout) spread
 * ±4 µs/call over HTTP in December 2026 at load 5–8, where `deno task bench` rounds spread ±60.
 *
 *   deno run -A scripts/bench/paired.ts --base /work/wt-base [--transport http|stdio]
 *     [--revision 2026-07-28] [--base-revision REV] [--batch 200] [--pairs 60]
 *
 * `--base-revision` gives the base side's client another revision than `--revision` (e.g. both
 * sides this checkout, 2025 against 2026: what the 2026 path costs the broker).
 */
import { parseArgs } from "node:util";
import type { Client } from "@modelcontextprotocol/client";
import { echo, warmUp } from "./measure.ts";
import {
  account,
  brokerLine,
  type CommandLine,
  EVERYTHING,
  httpClient,
  removeTempDirs,
  REPO,
  type Revision,
  spawnServer,
  stdioClient,
  waitFor,
  writeConfig,
} from "./processes.ts";
import { percentile } from "./stats.ts";

const USAGE = `Usage: deno run -A scripts/bench/paired.ts --base DIR [--transport http|stdio]
         [--revision 2026-07-28] [--base-revision REV] [--batch 200] [--pairs 60]

  --base DIR          the other checkout (e.g. git worktree add --detach DIR main; deno install there)
  --transport T       http (each side serve --http) or stdio (each side a serve child)
  --revision R        the protocol revision of this side's client (and the base's, unless told)
  --base-revision R   another revision for the base side's client
  --batch N           sequential echo calls per batch; the sides alternate batches
  --pairs N           batches per side`;

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

/** One side of the A/B: a client session and the pid of the broker process serving it. */
interface Side {
  client: Client;
  pid: number;
  stop(): Promise<void>;
}

/** The broker command line `args` of the checkout at `root` (a directory with a trailing slash). */
function checkoutLine(root: string, args: string[]): CommandLine {
  const line = brokerLine(args);
  return { command: line.command, args: line.args.map((arg) => arg.replaceAll(REPO, root)) };
}

/** `serve --http` of the checkout at `root`, listening, and one client session of it. */
async function httpSide(root: string, config: string, revision: Revision): Promise<Side> {
  const server = spawnServer(checkoutLine(root, ["serve", "--http", "--port", "0", "--config", config]));
  const url = await waitFor(
    "the broker to listen",
    () => /listening on (http:\/\/\S+\/mcp)/.exec(server.stderr())?.[1],
  );
  const session = await httpClient(url, revision);
  return {
    client: session.client,
    pid: server.pid,
    async stop() {
      await session.close();
      await server.stop();
    },
  };
}

/** `serve` (stdio) of the checkout at `root` as a child of this process, connected. */
async function stdioSide(root: string, config: string, revision: Revision): Promise<Side> {
  const started = await stdioClient(checkoutLine(root, ["serve", "--config", config]), revision);
  if (started.pid === undefined) throw new Error("the stdio broker has no pid");
  return { client: started.client, pid: started.pid, stop: () => started.client.close() };
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
      transport: { type: "string", default: "http" },
      revision: { type: "string", default: "2026-07-28" },
      "base-revision": { type: "string" },
      batch: { type: "string", default: "200" },
      pairs: { type: "string", default: "60" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.base) {
    throw new Error("--base DIR: the other checkout (e.g. git worktree add --detach DIR main)");
  }
  const base = values.base.endsWith("/") ? values.base : `${values.base}/`;
  const revision = values.revision as Revision;
  const baseRevision = (values["base-revision"] ?? revision) as Revision;
  if (values.transport !== "http" && values.transport !== "stdio") {
    throw new Error(`--transport http|stdio, not ${values.transport}`);
  }
  const startSide = values.transport === "stdio" ? stdioSide : httpSide;
  const [batch, pairs] = [Number(values.batch), Number(values.pairs)];
  const config = await writeConfig({ accounts: [account("everything", EVERYTHING)] });
  const sides = {
    base: await startSide(base, config, baseRevision),
    this: await startSide(REPO, config, revision),
  };
  try {
    for (const side of ["base", "this"] as const) await warmUp(sides[side].client, 1000);
    const cpu = { base: [] as number[], this: [] as number[] };
    // This process is both sides' client: its CPU per batch is what each client's revision costs.
    const clientCpu = { base: [] as number[], this: [] as number[] };
    const latency = { base: [] as number[], this: [] as number[] };
    const differences: number[] = [];
    const latencyDifferences: number[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      const order = pair % 2 === 0 ? ["base", "this"] as const : ["this", "base"] as const;
      for (const side of order) {
        const pid = sides[side].pid;
        const before = threadSeconds(pid);
        const clientBefore = threadSeconds(Deno.pid);
        for (let i = 0; i < batch; i++) {
          const start = performance.now();
          await echo(sides[side].client, `call ${i}`);
          latency[side].push(performance.now() - start);
        }
        cpu[side].push((threadSeconds(pid) - before) * 1e6 / batch);
        clientCpu[side].push((threadSeconds(Deno.pid) - clientBefore) * 1e6 / batch);
      }
      differences.push(cpu.this[pair] - cpu.base[pair]);
      const batchMedian = (side: "base" | "this") =>
        percentile(latency[side].slice(pair * batch), 0.5) * 1000;
      latencyDifferences.push(batchMedian("this") - batchMedian("base"));
    }
    const transport = values.transport === "stdio" ? "stdio" : "HTTP";
    console.log(
      `${transport} ${
        baseRevision === revision ? revision : `${baseRevision} (base), ${revision} (this)`
      } → stdio, ${pairs} alternating pairs of ${batch} sequential echo calls`,
    );
    console.log(`CPU µs/call, base: ${quartiles(cpu.base, 0)}`);
    console.log(`CPU µs/call, this: ${quartiles(cpu.this, 0)}`);
    console.log(`CPU µs/call, this − base per pair: ${quartiles(differences, 0)}`);
    console.log(
      `client CPU µs/call, base: ${quartiles(clientCpu.base, 0)}, this: ${quartiles(clientCpu.this, 0)}`,
    );
    console.log(`latency ms, base: ${quartiles(latency.base, 3)}`);
    console.log(`latency ms, this: ${quartiles(latency.this, 3)}`);
    console.log(`latency µs, this − base per pair (batch medians): ${quartiles(latencyDifferences, 0)}`);
  } finally {
    for (const side of ["base", "this"] as const) await sides[side].stop();
    await removeTempDirs();
  }
}

if (import.meta.main) await main();
