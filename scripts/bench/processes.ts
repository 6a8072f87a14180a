/**
 * Starting and stopping the processes a benchmark case needs. HTTP servers run in their own
 * process group (`detached`), so stopping one also ends the upstreams it spawned.
 */
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport, type Transport } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { BROKER_RUN_FLAGS } from "../../lib/run_flags.ts";

/** The repository root, with a trailing slash. */
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** The two protocol revisions. */
export type Revision = "2025-11-25" | "2026-07-28";

/** A command line. */
export interface CommandLine {
  command: string;
  args: string[];
}

/** npm's server-everything over stdio, run by Deno exactly as the e2e tests run it. */
export const EVERYTHING: CommandLine = {
  command: "deno",
  args: [
    "run",
    "-A",
    "--quiet",
    `--config=${REPO}deno.json`,
    "npm:@modelcontextprotocol/server-everything@2026.8.31",
    "stdio",
  ],
};

/** The payload fixture (also the minimal SDK server for cold starts). */
export const PAYLOAD: CommandLine = {
  command: "deno",
  args: ["run", "--quiet", `--config=${REPO}deno.json`, `${REPO}tests/fixtures/payload_upstream.ts`],
};

/** `deno run` of the broker with the shipped permission set (never -A), plus `deno` flags and `args`. */
export function brokerLine(args: string[], denoFlags: string[] = []): CommandLine {
  // --quiet would also hide the inspector's "Debugger listening on ws://…" line the profiler needs.
  const quiet = denoFlags.some((flag) => flag.startsWith("--inspect")) ? [] : ["--quiet"];
  return {
    command: "deno",
    args: [
      "run",
      ...quiet,
      `--config=${REPO}deno.json`,
      ...BROKER_RUN_FLAGS,
      ...denoFlags,
      `${REPO}main.ts`,
      ...args,
    ],
  };
}

/** What every spawned process sees of this one's environment. */
export function childEnvironment(): Record<string, string> {
  const env: Record<string, string> = { ...getDefaultEnvironment() };
  for (const name of ["DENO_DIR", "NPM_CONFIG_CACHE", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** A new SDK client at a revision (2025: the initialize handshake; 2026: pinned, stateless). */
export async function connectClient(transport: Transport, revision: Revision): Promise<Client> {
  const client = new Client(
    { name: "janus-bench", version: "1.0.0" },
    { versionNegotiation: { mode: revision === "2026-07-28" ? { pin: revision } : "legacy" } },
  );
  await client.connect(transport);
  return client;
}

/** A client of a stdio server it starts itself, with that server's pid and stderr lines. */
export async function stdioClient(
  line: CommandLine,
  revision: Revision,
  onStderr?: (text: string) => void,
): Promise<{ client: Client; pid: number | undefined; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({
    command: line.command,
    args: line.args,
    env: childEnvironment(),
    cwd: REPO,
    stderr: onStderr ? "pipe" : "ignore",
  });
  if (onStderr) {
    transport.stderr?.on("data", (chunk: Uint8Array) => onStderr(new TextDecoder().decode(chunk)));
  }
  const client = await connectClient(transport, revision);
  return { client, pid: transport.pid ?? undefined, transport };
}

/** A client session over Streamable HTTP; `close` ends the session (DELETE) where there is one. */
export async function httpClient(
  url: string,
  revision: Revision,
): Promise<{ client: Client; close(): Promise<void> }> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = await connectClient(transport, revision);
  return {
    client,
    async close() {
      if (transport.sessionId) await transport.terminateSession().catch(() => {});
      await client.close();
    },
  };
}

/** A server process in its own process group. */
export interface ServerProcess {
  pid: number;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM to the group, wait (bounded), then SIGKILL whatever is left of the group. */
  stop(): Promise<void>;
}

/** Spawns `line` in its own process group, collecting its stderr. */
export function spawnServer(
  line: CommandLine,
  env: Record<string, string> = childEnvironment(),
): ServerProcess {
  const child = new Deno.Command(line.command, {
    args: line.args,
    cwd: REPO,
    env,
    clearEnv: true,
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) text = (text + decoder.decode(chunk)).slice(-64 * 1024);
  })().catch(() => {});
  const signalGroup = (signal: Deno.Signal) => {
    try {
      Deno.kill(-child.pid, signal);
    } catch {
      // the group is gone
    }
  };
  return {
    pid: child.pid,
    stderr: () => text,
    async stop() {
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 8_000);
      await child.status;
      clearTimeout(timer);
      signalGroup("SIGKILL"); // children that outlived their parent
      await reading;
    },
  };
}

/** Waits until `check` returns a value, polling every 20 ms; throws after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Resolves once a TCP connection to 127.0.0.1:port succeeds. */
export function waitForPort(port: number, ms = 60_000): Promise<true> {
  return waitFor(`127.0.0.1:${port} to accept connections`, async () => {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return true;
    } catch {
      return undefined;
    }
  }, ms);
}

/** A TCP port that was free a moment ago (for peers that cannot be told to pick one). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Starts the broker over HTTP on a free port and returns its process and /mcp URL. */
export async function startHttpBroker(
  configPath: string,
  denoFlags: string[] = [],
): Promise<{ server: ServerProcess; url: string }> {
  const server = spawnServer(
    brokerLine(["serve", "--http", "--port", "0", "--config", configPath], denoFlags),
  );
  const url = await waitFor("the broker to listen", () => {
    const found = /listening on (http:\/\/\S+\/mcp)/.exec(server.stderr());
    return found?.[1];
  });
  return { server, url };
}

/** Resident memory of a process in MiB (Linux /proc; NaN elsewhere or when it is gone). */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds (user + system, every thread) a process has used so far (Linux /proc; NaN
 * elsewhere). Unlike wall time, this is what the process itself cost, whatever else ran.
 */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).replace(/^.*\) /s, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ: 100 on every Linux build the benchmark runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Temp dirs made by this run, removed by `removeTempDirs`. */
const tempDirs: string[] = [];

/** A fresh temp dir that `removeTempDirs` will remove. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  tempDirs.push(dir);
  return dir;
}

/** Removes every temp dir this run made (configs, state files, the peers' install). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => Deno.remove(dir, { recursive: true }).catch(() => {})));
}

/** Writes a config into a fresh temp dir and returns its path. */
export async function writeConfig(config: Record<string, unknown>): Promise<string> {
  const dir = await tempDir("janus-bench-");
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(path, JSON.stringify(config, null, 2));
  return path;
}

/** A config account running `line` over stdio. */
export function account(id: string, line: CommandLine, service = "everything"): Record<string, unknown> {
  return { id, service, command: line.command, args: line.args };
}
