// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * The benchmark: what the broker adds to a call. 1,000 sequential `echo` calls (after 50 warm-up
 * calls) to npm's server-everything, directly and through JanusMCP over stdio and over HTTP at
 * both revisions; median and p99 latency, and the broker's resident memory afterwards.
 *
 *   deno task bench [--calls N] [--cli-runs N]   (--cli-runs 0 skips the agent CLI timing)
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client, StreamableHTTPClientTransport, type Transport } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { benchCli, printCliRows } from "./cli_bench.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const EVERYTHING = [
  "run",
  "-A",
  "--quiet",
  `--config=${REPO}deno.json`,
  "npm:@modelcontextprotocol/server-everything@2026.8.31",
  "stdio",
];
const BROKER = ["run", "--quiet", `--config=${REPO}deno.json`, "-P=janusmcp", `${REPO}main.ts`];

interface Row {
  path: string;
  medianMs: number;
  p99Ms: number;
  brokerRssMiB?: number;
}

async function timeCalls(client: Client, calls: number): Promise<{ medianMs: number; p99Ms: number }> {
  for (let i = 0; i < 50; i++) await client.callTool({ name: "echo", arguments: { message: "warm" } });
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await client.callTool({ name: "echo", arguments: { message: `call ${i}` } });
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { medianMs: at(0.5), p99Ms: at(0.99) };
}

async function connect(transport: Transport, modern: boolean): Promise<Client> {
  const client = new Client(
    { name: "janus-bench", version: "1.0.0" },
    { versionNegotiation: { mode: modern ? { pin: "2026-07-28" } : "legacy" } },
  );
  await client.connect(transport);
  return client;
}

/** Resident memory of a process, in MiB (Linux; undefined elsewhere). */
function rssMiB(pid: number | null | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function writeConfig(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "janus-bench-" });
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      accounts: [{ id: "everything", service: "everything", command: "deno", args: EVERYTHING }],
    }),
  );
  return path;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { calls: { type: "string", default: "1000" }, "cli-runs": { type: "string", default: "20" } },
  });
  const calls = Number(values.calls);
  const env = { ...getDefaultEnvironment(), DENO_DIR: Deno.env.get("DENO_DIR") ?? "" };
  const rows: Row[] = [];

  const direct = await connect(
    new StdioClientTransport({ command: "deno", args: EVERYTHING, env, stderr: "ignore" }),
    false,
  );
  rows.push({ path: "client → server-everything (stdio, direct)", ...await timeCalls(direct, calls) });
  await direct.close();

  const configPath = await writeConfig();
  const viaStdio = new StdioClientTransport({
    command: "deno",
    args: [...BROKER, "--config", configPath],
    env,
    cwd: REPO,
    stderr: "ignore",
  });
  const stdioClient = await connect(viaStdio, false);
  rows.push({
    path: "client → janusmcp (stdio) → server-everything",
    ...await timeCalls(stdioClient, calls),
    brokerRssMiB: rssMiB(viaStdio.pid),
  });
  await stdioClient.close();

  const broker = new Deno.Command("deno", {
    args: [...BROKER, "--http", "--port", "0", "--config", configPath],
    cwd: REPO,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let origin = "";
  const reader = broker.stderr.pipeThrough(new TextDecoderStream()).getReader();
  while (!origin) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the broker exited before listening");
    origin = /listening on (http:\/\/\S+)\/mcp/.exec(value)?.[1] ?? "";
  }
  for (const modern of [false, true]) {
    const client = await connect(new StreamableHTTPClientTransport(new URL(`${origin}/mcp`)), modern);
    const revision = modern ? "2026-07-28" : "2025-11-25";
    rows.push({
      path: `client → janusmcp (HTTP ${revision}) → server-everything`,
      ...await timeCalls(client, calls),
      brokerRssMiB: rssMiB(broker.pid),
    });
    await client.close();
  }
  broker.kill("SIGTERM");
  await broker.status;
  reader.releaseLock();

  const base = rows[0].medianMs;
  console.log(
    `${calls} sequential echo calls after 50 warm-up calls (Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores)\n`,
  );
  console.log("| path | median ms | p99 ms | × direct median | broker RSS MiB |");
  console.log("|---|---|---|---|---|");
  for (const row of rows) {
    const rss = row.brokerRssMiB === undefined ? "" : row.brokerRssMiB.toFixed(0);
    console.log(
      `| ${row.path} | ${row.medianMs.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${
        (row.medianMs / base).toFixed(2)
      } | ${rss} |`,
    );
  }
  // The agent CLI: a whole process per call, in-process vs through the daemon.
  const runs = Number(values["cli-runs"]);
  if (runs > 0) printCliRows(await benchCli(runs), runs);
}

if (import.meta.main) await main();
