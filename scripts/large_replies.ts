// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Large replies, direct and through the broker, with a stdio and an HTTP upstream (issue #12:
 * "replies of 4–7 MiB are 15–25× slower than direct"):
 *
 *   deno run -A scripts/large_replies.ts [--rounds N] [--sizes 4,7]
 *
 * The upstream is the media fixture (`big_text {bytes}`), over stdio and over Streamable HTTP
 * (SSE replies, the SDK server's default). Every path keeps one client open; each round makes one
 * call of each size on every path in turn, so a busy moment of the shared machine hits all paths
 * alike. Prints the median (min – max) ms per call, its ratio to the direct path of the same
 * upstream transport, and the broker's CPU ms per call.
 */
import { parseArgs } from "node:util";
import type { Client } from "@modelcontextprotocol/client";
import {
  brokerLine,
  type CommandLine,
  cpuSeconds,
  httpClient,
  removeTempDirs,
  REPO,
  spawnServer,
  startHttpBroker,
  stdioClient,
  waitFor,
  writeConfig,
} from "./bench/processes.ts";

const MiB = 1024 * 1024;
const { values } = parseArgs({ options: { rounds: { type: "string" }, sizes: { type: "string" } } });
const rounds = Number(values.rounds ?? 7);
const sizes = (values.sizes ?? "4,7").split(",").map((s) => Number(s) * MiB);

const MEDIA_STDIO: CommandLine = {
  command: "deno",
  args: [
    "run",
    "--quiet",
    `--config=${REPO}deno.json`,
    "--allow-env",
    `${REPO}tests/fixtures/media_upstream.ts`,
  ],
};

interface Path {
  name: string;
  /** Which direct path it is compared with. */
  upstream: "stdio" | "http";
  client: Client;
  /** The broker's pid, for CPU per call. */
  brokerPid?: number;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const media = spawnServer({
    command: "deno",
    args: [
      "run",
      "--quiet",
      `--config=${REPO}deno.json`,
      "--allow-net=127.0.0.1",
      "--allow-env",
      `${REPO}tests/fixtures/media_http.ts`,
      "sse",
    ],
  });
  const mediaUrl = await waitFor(
    "the HTTP fixture to listen",
    () => /listening on (\S+)/.exec(media.stderr())?.[1],
  );
  const limits = { maxMessageBytes: 64 * MiB };
  const stdioConfig = await writeConfig({
    accounts: [{ id: "media", service: "media", ...MEDIA_STDIO }],
    limits,
  });
  const httpConfig = await writeConfig({
    accounts: [{ id: "media", service: "media", transport: "http", url: mediaUrl }],
    limits,
  });
  const stdioPath = async (name: string, line: CommandLine, upstream: Path["upstream"], broker: boolean) => {
    const { client, pid } = await stdioClient(line, "2025-11-25");
    return { name, upstream, client, brokerPid: broker ? pid : undefined, close: () => client.close() };
  };
  const httpPath = async (name: string, config: string | undefined, upstream: Path["upstream"]) => {
    const broker = config ? await startHttpBroker(config) : undefined;
    const session = await httpClient(broker?.url ?? mediaUrl, "2025-11-25");
    return {
      name,
      upstream,
      client: session.client,
      brokerPid: broker?.server.pid,
      close: async () => {
        await session.close();
        await broker?.server.stop();
      },
    };
  };
  const paths: Path[] = [
    await stdioPath("direct, stdio", MEDIA_STDIO, "stdio", false),
    await stdioPath(
      "JanusMCP stdio → stdio upstream",
      brokerLine(["serve", "--config", stdioConfig]),
      "stdio",
      true,
    ),
    await httpPath("JanusMCP HTTP → stdio upstream", stdioConfig, "stdio"),
    await httpPath("direct, HTTP (SSE)", undefined, "http"),
    await httpPath("JanusMCP HTTP → HTTP upstream", httpConfig, "http"),
    await stdioPath(
      "JanusMCP stdio → HTTP upstream",
      brokerLine(["serve", "--config", httpConfig]),
      "http",
      true,
    ),
  ];
  const ms = new Map<string, number[]>();
  const cpu = new Map<string, number>();
  try {
    for (const path of paths) await call(path.client, 1024); // connect the upstream, warm up
    for (let round = 0; round <= rounds; round++) {
      for (const size of sizes) {
        for (const path of paths) {
          const cpuBefore = cpuSeconds(path.brokerPid);
          const start = performance.now();
          await call(path.client, size);
          const took = performance.now() - start;
          if (round === 0) continue; // the first round warms every path up
          const key = `${path.name}\n${size}`;
          ms.set(key, [...ms.get(key) ?? [], took]);
          cpu.set(key, (cpu.get(key) ?? 0) + (cpuSeconds(path.brokerPid) - cpuBefore) * 1000);
        }
      }
    }
  } finally {
    for (const path of paths) await path.close().catch(() => {});
    await media.stop();
    await removeTempDirs();
  }
  const load = Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  console.log(`${rounds} calls per size and path after one warm-up round; load at the end ${load}`);
  console.log("| path | size | median ms (min – max) | ÷ direct (same upstream) | broker CPU ms/call |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const size of sizes) {
    for (const path of paths) {
      const samples = (ms.get(`${path.name}\n${size}`) ?? []).sort((a, b) => a - b);
      const direct = paths.find((p) => p.upstream === path.upstream && p.name.startsWith("direct"));
      const base = median((ms.get(`${direct?.name}\n${size}`) ?? []).sort((a, b) => a - b));
      const own = median(samples);
      const ratio = path === direct ? "—" : (own / base).toFixed(2);
      const cpuMs = path.name.startsWith("Janus")
        ? ((cpu.get(`${path.name}\n${size}`) ?? 0) / samples.length).toFixed(0)
        : "—";
      console.log(
        `| ${path.name} | ${size / MiB} MiB | ${own.toFixed(0)} (${samples[0].toFixed(0)} – ${
          samples.at(-1)?.toFixed(0)
        }) | ${ratio} | ${cpuMs} |`,
      );
    }
  }
}

function median(sorted: number[]): number {
  return sorted[Math.floor(sorted.length / 2)];
}

async function call(client: Client, bytes: number): Promise<void> {
  const result = await client.callTool({ name: "big_text", arguments: { bytes } });
  const text = (result.content as { text?: string }[])[0]?.text ?? "";
  if (text.length !== bytes) throw new Error(`expected ${bytes} characters, got ${text.length}`);
}

await main();
