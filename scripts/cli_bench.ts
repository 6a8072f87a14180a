// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Per-call wall time of `janusmcp call` as a whole process: in-process (`--direct`, which starts
 * the upstream every time) vs through a running daemon (warm upstream). Median of N runs each,
 * against npm's server-everything. Uses a private state dir and a free port.
 *
 *   deno run -A scripts/cli_bench.ts [--runs 20]
 */
import { parseArgs } from "node:util";
import { BROKER_RUN_FLAGS } from "../lib/run_flags.ts";

const REPO = new URL("../", import.meta.url).pathname;
const JANUSMCP = ["run", "--quiet", `--config=${REPO}deno.json`, ...BROKER_RUN_FLAGS, `${REPO}main.ts`];
const EVERYTHING = [
  "run",
  "-A",
  "--quiet",
  `--config=${REPO}deno.json`,
  "npm:@modelcontextprotocol/server-everything@2026.8.31",
  "stdio",
];

/** One median per path, in milliseconds. */
export interface CliBenchRow {
  path: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** Times `runs` whole-process `janusmcp call echo` runs direct and through the daemon. */
export async function benchCli(runs: number): Promise<CliBenchRow[]> {
  const dir = await Deno.makeTempDir({ prefix: "janus-cli-bench-" });
  const configPath = `${dir}/config.json`;
  await Deno.writeTextFile(
    configPath,
    JSON.stringify({
      accounts: [{ id: "everything", service: "everything", command: "deno", args: EVERYTHING }],
    }),
  );
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const env = { JANUS_STATE_DIR: `${dir}/state`, JANUS_DAEMON_PORT: String(port), JANUS_DAEMON: "auto" };
  const janusmcp = async (...args: string[]) => {
    const output = await new Deno.Command("deno", {
      args: [...JANUSMCP, ...args, "--config", configPath],
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`janusmcp ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
    }
  };
  const call = ["call", "echo", "--args", '{"message":"hi"}'];
  const time = async (path: string, extra: string[]): Promise<CliBenchRow> => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await janusmcp(...call, ...extra);
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return {
      path,
      medianMs: samples[Math.floor(samples.length / 2)],
      minMs: samples[0],
      maxMs: samples[samples.length - 1],
    };
  };
  try {
    await janusmcp(...call, "--direct"); // fills Deno's module cache for both programs
    const rows = [await time("janusmcp call (in-process: starts the upstream)", ["--direct"])];
    await janusmcp("daemon", "start");
    await janusmcp(...call, "--daemon"); // the daemon's upstream starts here, once
    rows.push(await time("janusmcp call (through the daemon: warm upstream)", ["--daemon"]));
    return rows;
  } finally {
    await janusmcp("daemon", "stop").catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

/** Prints rows as a Markdown table. */
export function printCliRows(rows: CliBenchRow[], runs: number): void {
  console.log(`\nWhole-process \`janusmcp call echo\`, median of ${runs} runs each\n`);
  console.log("| path | median ms | min ms | max ms |");
  console.log("|---|---|---|---|");
  for (const row of rows) {
    console.log(
      `| ${row.path} | ${row.medianMs.toFixed(0)} | ${row.minMs.toFixed(0)} | ${row.maxMs.toFixed(0)} |`,
    );
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string", default: "20" } } });
  const runs = Number(values.runs);
  printCliRows(await benchCli(runs), runs);
}
