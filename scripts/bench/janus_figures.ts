/**
 * Figures only JanusMCP has: cold start to the first tools/list, a switch until list_changed
 * arrives, idle memory with 50 accounts and per extra HTTP session, tools/list bytes for five
 * accounts of one service, and large tool results against the same upstream reached directly.
 */
import type { Client } from "@modelcontextprotocol/client";
import { slope } from "./stats.ts";
import {
  account,
  brokerLine,
  type CommandLine,
  EVERYTHING,
  freePort,
  httpClient,
  PAYLOAD,
  REPO,
  rssMiB,
  spawnServer,
  startHttpBroker,
  stdioClient,
  waitForPort,
  writeConfig,
} from "./processes.ts";

/** Milliseconds from spawning `line` to the answer of its first tools/list (initialize included). */
export async function coldStartMs(line: CommandLine): Promise<number> {
  const start = performance.now();
  const { client } = await stdioClient(line, "2025-11-25");
  try {
    await client.listTools();
    return performance.now() - start;
  } finally {
    await client.close();
  }
}

/**
 * The floor under a first start: a bare Deno relay (scripts/bench/floor/stdio_relay.ts) in front
 * of server-everything. It pays Deno's own boot before it spawns the upstream, then only copies
 * bytes: what no broker code can go below on this machine.
 */
const RELAYED_EVERYTHING: CommandLine = {
  command: "deno",
  args: [
    "run",
    "-A",
    new URL("./floor/stdio_relay.ts", import.meta.url).pathname,
    EVERYTHING.command,
    ...EVERYTHING.args,
  ],
};

/**
 * The cold starts, in the order they are reported; each config is written before timing.
 * `janusEverything` is the first start of a fresh config; `janusEverythingAgain` the next start of
 * that same config, as an LLM client starts the broker every session (its handshake is answered from the
 * early answers the first start recorded); `floorRelayEverything` the bare relay's.
 */
export async function coldStarts(): Promise<Record<string, number>> {
  const empty = await writeConfig({ accounts: [] });
  const one = await writeConfig({ accounts: [account("everything", EVERYTHING)] });
  return {
    minimalSdkServer: await coldStartMs(PAYLOAD),
    everythingDirect: await coldStartMs(EVERYTHING),
    floorRelayEverything: await coldStartMs(RELAYED_EVERYTHING),
    janusNoAccount: await coldStartMs(brokerLine(["serve", "--config", empty])),
    janusEverything: await coldStartMs(brokerLine(["serve", "--config", one])),
    janusEverythingAgain: await coldStartMs(brokerLine(["serve", "--config", one])),
  };
}

/**
 * Milliseconds from spawning `line` to the answer of its first `echo` call (initialize and
 * tools/list first, as a client does): a tools/list answered early from the record says nothing
 * about when the broker can serve a call, this does.
 */
export async function coldCallMs(line: CommandLine): Promise<number> {
  const start = performance.now();
  const { client } = await stdioClient(line, "2025-11-25");
  try {
    await client.listTools();
    const result = await client.callTool({ name: "echo", arguments: { message: "cold" } });
    if (result.isError) throw new Error(`echo failed: ${JSON.stringify(result.content)}`);
    return performance.now() - start;
  } finally {
    await client.close();
  }
}

/** The first call after a cold start, server-everything itself and JanusMCP with a config served before. */
export async function coldCalls(): Promise<Record<string, number>> {
  const one = await writeConfig({ accounts: [account("everything", EVERYTHING)] });
  await coldCallMs(brokerLine(["serve", "--config", one])); // records the early answers
  return {
    everythingDirect: await coldCallMs(EVERYTHING),
    janusEverythingAgain: await coldCallMs(brokerLine(["serve", "--config", one])),
  };
}

/** An account of the fixture whose tool list names its account (so a switch changes the list). */
function fixtureAccount(id: string): Record<string, unknown> {
  return {
    id,
    service: "fixture",
    command: "deno",
    args: [
      "run",
      "--quiet",
      `--config=${REPO}deno.json`,
      "--allow-env",
      `${REPO}tests/fixtures/account_upstream.ts`,
    ],
    env: { FIXTURE_ACCOUNT: id },
  };
}

/**
 * Waits for the next tools/list_changed a client receives (failing after 10 s: a switch must
 * announce) and resolves with the moment it arrived, which may be before the switch's own answer.
 */
function listChangedWatcher(client: Client): () => Promise<number> {
  let waiting: (() => void) | undefined;
  client.fallbackNotificationHandler = (notification) => {
    if (notification.method === "notifications/tools/list_changed") waiting?.();
    return Promise.resolve();
  };
  return () =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("no tools/list_changed within 10 s of a switch")),
        10_000,
      );
      waiting = () => {
        clearTimeout(timer);
        resolve(performance.now());
      };
    });
}

/**
 * Median ms from sending janus_use_account to receiving list_changed, both upstreams warm, over
 * `switches` switches back and forth, for a session-scoped and a global (persisted) switch.
 */
export async function switchMs(switches: number): Promise<{ session: number[]; global: number[] }> {
  const config = await writeConfig({
    bindingMode: "session",
    accounts: [fixtureAccount("a"), fixtureAccount("b")],
  });
  const { client } = await stdioClient(brokerLine(["serve", "--config", config]), "2025-11-25");
  const nextChange = listChangedWatcher(client);
  try {
    const result: { session: number[]; global: number[] } = { session: [], global: [] };
    let current = "a"; // the first account, in force before any switch
    for (const scope of ["session", "global"] as const) {
      for (let i = -2; i < switches; i++) { // the first two switches warm both upstreams
        await client.listTools(); // the broker tells only sessions that listed
        current = current === "a" ? "b" : "a";
        const changed = nextChange();
        const start = performance.now();
        const call = await client.callTool({
          name: "janus_use_account",
          arguments: { account_id: current, scope },
        });
        if (call.isError) throw new Error(`janus_use_account failed: ${JSON.stringify(call.content)}`);
        const arrived = await changed;
        if (i >= 0) result[scope].push(arrived - start);
      }
    }
    return result;
  } finally {
    await client.close();
  }
}

/**
 * Broker RSS with 50 configured accounts (none started): idle, before any request (`serve --http`
 * loads the broker and the SDK on its first request), then with one 2025 HTTP session open (the
 * broker and the SDK server loaded; still no upstream), and its growth per further idle session.
 *
 * The growth is the least-squares slope of RSS over `blocks` blocks of `perBlock` sessions each
 * (RSS read after every block), not the difference across one block: V8 grows its heap in steps of
 * several MiB (the young generation 28 → 34 MiB), so one 50-session window either contains a step
 * (~160 KiB/session) or misses it (~50), at the same code. Over 200 sessions the step is part of the
 * slope. Reading RSS again after V8's memory reducer has run when idle was tried and is not
 * reliable: it runs 20–30 s after the last activity, or not at all. See scripts/bench/PROFILE.md.
 *
 * `streamFloorKiB` is the same slope for a bare `Deno.serve` that only holds each GET open as a
 * streaming response (scripts/bench/floor/held_streams.ts): what one held GET stream costs in Deno
 * itself, under any broker.
 */
export async function memory(
  blocks: number,
  perBlock: number,
  settleMs: number,
): Promise<{ idleMiB: number; firstSessionMiB: number; perSessionKiB: number; streamFloorKiB: number }> {
  const broker = await brokerSessions(blocks, perBlock, settleMs);
  // After the broker and its clients are gone: the floor's server is alone with its streams.
  return { ...broker, streamFloorKiB: await streamFloor(blocks, perBlock, settleMs) };
}

/** The broker's figures of `memory`. */
async function brokerSessions(
  blocks: number,
  perBlock: number,
  settleMs: number,
): Promise<{ idleMiB: number; firstSessionMiB: number; perSessionKiB: number }> {
  const accounts = Array.from(
    { length: 50 },
    (_, i) => ({ ...account(`acct${i}`, PAYLOAD), service: `svc${i % 10}` }),
  );
  const { server, url } = await startHttpBroker(await writeConfig({ accounts }));
  const settle = (ms = settleMs) => new Promise((resolve) => setTimeout(resolve, ms));
  const open: { close(): Promise<void> }[] = [];
  try {
    await settle();
    const idleMiB = rssMiB(server.pid);
    open.push(await httpClient(url, "2025-11-25")); // the first session pays for code loaded once
    await settle();
    const firstSessionMiB = rssMiB(server.pid);
    const [sessions, rss] = [[0], [firstSessionMiB]];
    for (let block = 1; block <= blocks; block++) {
      for (let i = 0; i < perBlock; i++) open.push(await httpClient(url, "2025-11-25"));
      await settle(Math.min(settleMs, 300));
      sessions.push(block * perBlock);
      rss.push(rssMiB(server.pid));
    }
    return { idleMiB, firstSessionMiB, perSessionKiB: slope(sessions, rss) * 1024 };
  } finally {
    await Promise.all(open.map((session) => session.close().catch(() => {})));
    await server.stop();
  }
}

/**
 * RSS per held GET stream of a bare `Deno.serve` (KiB): each stream opened as an SDK client opens
 * its session's (a POST answered with JSON, then a GET whose body it keeps reading), after one
 * first stream, `blocks` blocks of `perBlock`, the least-squares slope as in `memory`.
 */
async function streamFloor(blocks: number, perBlock: number, settleMs: number): Promise<number> {
  const port = freePort();
  const server = spawnServer({
    command: "deno",
    args: ["run", "-A", new URL("./floor/held_streams.ts", import.meta.url).pathname, String(port)],
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  const settle = (ms = settleMs) => new Promise((resolve) => setTimeout(resolve, ms));
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  const hold = async () => {
    const posted = await fetch(url, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    await posted.arrayBuffer();
    const response = await fetch(url, { headers: { accept: "text/event-stream" } });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("the floor server's GET has no body");
    reader.read().catch(() => {}); // pending, as a client waiting for its next event
    readers.push(reader);
  };
  try {
    await waitForPort(port);
    await hold();
    await settle();
    const [streams, rss] = [[0], [rssMiB(server.pid)]];
    for (let block = 1; block <= blocks; block++) {
      for (let i = 0; i < perBlock; i++) await hold();
      await settle(Math.min(settleMs, 300));
      streams.push(block * perBlock);
      rss.push(rssMiB(server.pid));
    }
    return slope(streams, rss) * 1024;
  } finally {
    await Promise.all(readers.map((reader) => reader.cancel().catch(() => {})));
    await server.stop();
  }
}

/**
 * Bytes of the tools/list answer (as JSON) for one server-everything account and for a profile of
 * five, every tool listed (`exposure: "all"`, as a client that searches tools itself is served):
 * the flooding case. Tool search would hide it behind two search tools.
 */
export async function toolsListBytes(): Promise<{ one: number; five: number }> {
  const ids = ["e1", "e2", "e3", "e4", "e5"];
  const config = await writeConfig({
    exposure: "all",
    // Labels as people write them ("Everything — Client 3"): folding must not repeat them per tool.
    accounts: ids.map((id, i) => ({ ...account(id, EVERYTHING), label: `Everything — Client ${i + 1}` })),
    profiles: { five: ids },
  });
  const { client } = await stdioClient(brokerLine(["serve", "--config", config]), "2025-11-25");
  const bytes = async () => new TextEncoder().encode(JSON.stringify(await client.listTools())).length;
  try {
    await client.callTool({ name: "janus_use_account", arguments: { account_id: "e1" } });
    const one = await bytes();
    await client.callTool({ name: "janus_use_profile", arguments: { profile: "five" } });
    return { one, five: await bytes() };
  } finally {
    await client.close();
  }
}

/** Median ms of `calls` payload calls of `size` bytes on a client (NaN when the call fails). */
async function payloadMs(client: Client, size: number, calls: number): Promise<number> {
  const samples: number[] = [];
  try {
    await client.callTool({ name: "payload", arguments: { bytes: size } }); // warm-up
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      const result = await client.callTool({ name: "payload", arguments: { bytes: size } });
      const text = (result.content as { text?: string }[])[0]?.text ?? "";
      if (text.length !== size) throw new Error(`expected ${size} bytes, got ${text.length}`);
      samples.push(performance.now() - start);
    }
  } catch {
    return Number.NaN; // reported as "failed"; the failure itself is a finding
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * Median ms of `calls` payload calls of `size` bytes over a plain Deno pipe, no SDK: the floor
 * under "direct", whose SDK stdio reader copies and rescans its whole buffer on every chunk.
 */
async function rawPayloadMs(size: number, calls: number): Promise<number> {
  const child = new Deno.Command(PAYLOAD.command, {
    args: PAYLOAD.args,
    cwd: REPO,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  const send = (message: unknown) => writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  /** Reads one answer (the fixture writes each as one line) and returns its length. */
  const readLine = async () => {
    for (let length = 0;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the payload fixture closed its stdout");
      length += value.length;
      if (value[value.length - 1] === 10) return length;
    }
  };
  try {
    const clientInfo = { name: "janus-bench-raw", version: "1.0.0" };
    await send({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo },
    });
    await readLine();
    await send({ jsonrpc: "2.0", method: "notifications/initialized" });
    const samples: number[] = [];
    for (let id = 1; id <= calls + 1; id++) { // the first call warms up
      const start = performance.now();
      await send({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name: "payload", arguments: { bytes: size } },
      });
      if (await readLine() < size) throw new Error(`expected at least ${size} bytes`);
      if (id > 1) samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)];
  } finally {
    await writer.close().catch(() => {});
    await reader.cancel().catch(() => {});
    await child.status;
  }
}

/** Large results: median ms per size over a raw pipe, direct (SDK client), and through the broker over stdio and HTTP 2025. */
export async function largeResults(
  sizes: number[],
  calls: number,
): Promise<Record<"rawPipe" | "direct" | "janusStdio" | "janusHttp", Record<string, number>>> {
  const config = await writeConfig({ accounts: [account("payload", PAYLOAD, "payload")] });
  const out: Record<"rawPipe" | "direct" | "janusStdio" | "janusHttp", Record<string, number>> = {
    rawPipe: {},
    direct: {},
    janusStdio: {},
    janusHttp: {},
  };
  for (const size of sizes) out.rawPipe[size] = await rawPayloadMs(size, calls).catch(() => Number.NaN);
  for (
    const [key, line] of [["direct", PAYLOAD], [
      "janusStdio",
      brokerLine(["serve", "--config", config]),
    ]] as const
  ) {
    const { client } = await stdioClient(line, "2025-11-25");
    for (const size of sizes) out[key][size] = await payloadMs(client, size, calls);
    await client.close();
  }
  const { server, url } = await startHttpBroker(config);
  const session = await httpClient(url, "2025-11-25");
  for (const size of sizes) out.janusHttp[size] = await payloadMs(session.client, size, calls);
  await session.close();
  await server.stop();
  return out;
}
