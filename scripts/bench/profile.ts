// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Profiles the broker while it relays `echo` calls: starts it fresh per mode with the V8
 * inspector on an ephemeral port, records a CPU profile (100 µs sampling) over sequential calls
 * and over 16 concurrent sessions, saves each `.cpuprofile` and prints where the time went.
 *
 *   deno task bench:profile [--calls N] [--seconds S] [--out DIR] [--interval µs] [--modes http,stdio]
 */
import { parseArgs } from "node:util";
import type { Client } from "@modelcontextprotocol/client";
import { type CpuProfile, type ProfileSummary, summariseProfile } from "./cpu_profile.ts";
import { echo, sequentialLatency } from "./measure.ts";
import {
  account,
  brokerLine,
  EVERYTHING,
  httpClient,
  removeTempDirs,
  type Revision,
  startHttpBroker,
  stdioClient,
  waitFor,
  writeConfig,
} from "./processes.ts";

const INSPECT = ["--inspect=127.0.0.1:0"];

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspector(
  url: string,
): Promise<{ send(method: string, params?: object): Promise<unknown>; close(): void }> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot reach the inspector at ${url}`));
  });
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  };
  return {
    send(method, params = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    close: () => socket.close(),
  };
}

function inspectorUrl(stderr: () => string): Promise<string> {
  return waitFor("the inspector URL", () => /Debugger listening on (ws:\/\/\S+)/.exec(stderr())?.[1]);
}

/** Profiles `drive` (after a warm-up) and returns the profile and what the drive reported. */
async function profiled(
  url: string,
  intervalUs: number,
  warm: () => Promise<void>,
  drive: () => Promise<string>,
): Promise<{ profile: CpuProfile; outcome: string }> {
  const devtools = await inspector(url);
  try {
    await devtools.send("Profiler.enable");
    await devtools.send("Profiler.setSamplingInterval", { interval: intervalUs });
    await warm();
    await devtools.send("Profiler.start");
    const outcome = await drive();
    const { profile } = await devtools.send("Profiler.stop") as { profile: CpuProfile };
    return { profile, outcome };
  } finally {
    devtools.close();
  }
}

const warmCalls = (client: Client) => async () => {
  for (let i = 0; i < 300; i++) await echo(client, `warm ${i}`);
};

const sequential = (client: Client, calls: number) => async () => {
  const p = await sequentialLatency(client, calls, 0);
  return `${calls} sequential calls: median ${p.medianMs.toFixed(3)} ms, p90 ${
    p.p90Ms.toFixed(3)
  } ms (profiler attached)`;
};

async function concurrent(url: string, revision: Revision, seconds: number): Promise<string> {
  const sessions = await Promise.all(Array.from({ length: 16 }, () => httpClient(url, revision)));
  let calls = 0;
  const start = performance.now();
  await Promise.all(sessions.map(async (s, i) => {
    for (let n = 0; performance.now() - start < seconds * 1000; n++, calls++) {
      await echo(s.client, `${i} ${n}`);
    }
  }));
  const rate = calls / ((performance.now() - start) / 1000);
  await Promise.all(sessions.map((s) => s.close()));
  return `16 sessions for ${seconds} s: ${rate.toFixed(0)} calls/s (profiler attached)`;
}

function print(mode: string, outcome: string, summary: ProfileSummary, file: string, calls?: number): void {
  console.log(
    `\n### ${mode}\n\n${outcome}; sampled ${summary.totalMs} ms, idle ${summary.idlePercent} %; ${file}\n`,
  );
  if (calls) {
    const busyMs = summary.totalMs * (1 - summary.idlePercent / 100);
    const perCall = (ms: number) => Math.round(ms * 1000 / calls);
    console.log(
      `busy ${perCall(busyMs)} µs/call, of which ${perCall(summary.ioOpsMs)} inside pipe and socket ops; ` +
        `the rest: ${perCall(busyMs - summary.ioOpsMs)} µs/call\n`,
    );
  }
  for (
    const [title, rows] of [
      ["self time by origin", summary.selfByOrigin],
      ["self time by function", summary.selfByFunction],
      ["inclusive time by function", summary.inclusiveByFunction],
    ] as const
  ) {
    console.log(`| ${title} | ms | % of sampled |\n|---|---|---|`);
    for (const row of rows) console.log(`| \`${row.name}\` | ${row.ms} | ${row.percent} |`);
    console.log("");
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      calls: { type: "string", default: "2000" },
      seconds: { type: "string", default: "4" },
      out: { type: "string" },
      interval: { type: "string", default: "100" },
      modes: { type: "string", default: "http,stdio" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(
      "Usage: deno task bench:profile [--calls N] [--seconds S] [--out DIR] [--interval µs] [--modes http,stdio]\n\n" +
        "Records CPU profiles of the broker (sequential calls, then concurrent sessions over HTTP) and prints\n" +
        "where the time went, per origin and per function; the .cpuprofile files stay in --out (default: a temp dir).",
    );
    return;
  }
  const calls = Number(values.calls);
  const seconds = Number(values.seconds);
  // A coarser interval (1000) checks how much of a figure is the sampler's own interference.
  const interval = Number(values.interval);
  const modes = values.modes.split(",");
  const out = values.out ?? await Deno.makeTempDir({ prefix: "janus-profile-" });
  await Deno.mkdir(out, { recursive: true });
  const config = await writeConfig({ accounts: [account("everything", EVERYTHING)] });
  const save = async (mode: string, profile: CpuProfile) => {
    const file = `${out}/${mode}.cpuprofile`;
    await Deno.writeTextFile(file, JSON.stringify(profile));
    return file;
  };

  for (const revision of modes.includes("http") ? ["2025-11-25", "2026-07-28"] as const : []) {
    for (const shape of ["sequential", "concurrent"] as const) {
      const mode = `http-${revision}-${shape}`;
      console.error(`profile: ${mode}`);
      const { server, url } = await startHttpBroker(config, INSPECT);
      try {
        const session = await httpClient(url, revision);
        const { profile, outcome } = await profiled(
          await inspectorUrl(server.stderr),
          interval,
          warmCalls(session.client),
          shape === "sequential"
            ? sequential(session.client, calls)
            : () => concurrent(url, revision, seconds),
        );
        await session.close();
        print(
          mode,
          outcome,
          summariseProfile(profile),
          await save(mode, profile),
          shape === "sequential" ? calls : undefined,
        );
      } finally {
        await server.stop();
      }
    }
  }

  for (const revision of modes.includes("stdio") ? ["2025-11-25", "2026-07-28"] as const : []) {
    const mode = `stdio-${revision}-sequential`;
    console.error(`profile: ${mode}`);
    let stderr = "";
    const { client } = await stdioClient(
      brokerLine(["serve", "--config", config], INSPECT),
      revision,
      (text) => {
        stderr += text;
      },
    );
    try {
      const { profile, outcome } = await profiled(
        await inspectorUrl(() => stderr),
        interval,
        warmCalls(client),
        sequential(client, calls),
      );
      print(mode, outcome, summariseProfile(profile), await save(mode, profile), calls);
    } finally {
      await client.close();
    }
  }
}

if (import.meta.main) {
  try {
    await main();
  } finally {
    await removeTempDirs();
  }
}
