/**
 * Starts the real broker (`deno run BROKER_RUN_FLAGS main.ts`: the shipped permission set, as users run it) with a
 * config in a temp dir and connects a real SDK client to it over stdio at a chosen revision.
 */
import { fileURLToPath } from "node:url";
import { Client, type ClientOptions, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { StderrLines } from "../../lib/upstream/stderr_lines.ts";
import { BROKER_RUN_FLAGS } from "../../lib/run_flags.ts";

/** The repository root, with a trailing slash. */
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** The two protocol revisions every e2e test runs at. */
export const REVISIONS = ["2025-11-25", "2026-07-28"] as const;
export type Revision = typeof REVISIONS[number];

/** `deno run` arguments for the broker itself, with the shipped permission set, then `args`. */
export function janusmcpArgs(...args: string[]): string[] {
  return ["run", "--quiet", `--config=${REPO}deno.json`, ...BROKER_RUN_FLAGS, `${REPO}main.ts`, ...args];
}

/** A raw config account that runs the fixture upstream as `id`. */
/**
 * `deno run` arguments for a fixture script of this repo (`script` relative to it): `flags` are
 * its permissions, `after` its own arguments.
 */
export function fixtureArgs(
  script: string,
  flags: string[] = ["--allow-env"],
  after: string[] = [],
): string[] {
  return ["run", "--quiet", `--config=${REPO}deno.json`, ...flags, `${REPO}${script}`, ...after];
}

export function fixtureAccount(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    service: "fixture",
    label: `Fixture ${id}`,
    command: "deno",
    // --allow-write for FIXTURE_MARK_DIR
    args: fixtureArgs("tests/fixtures/account_upstream.ts", ["--allow-env", "--allow-write"]),
    env: { FIXTURE_ACCOUNT: id },
    ...extra,
  };
}

/** A raw config account that runs npm's server-everything (a real third-party upstream). */
export function everythingAccount(id: string, env: Record<string, string> = {}): Record<string, unknown> {
  return {
    id,
    service: "everything",
    command: "deno",
    args: [
      "run",
      "-A",
      "--quiet",
      `--config=${REPO}deno.json`,
      "npm:@modelcontextprotocol/server-everything@2026.8.31",
      "stdio",
    ],
    env,
  };
}

/** Writes a config file into a fresh temp dir and returns its path. */
export async function writeConfig(config: Record<string, unknown>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "janus-e2e-" });
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(path, JSON.stringify(config, null, 2));
  return path;
}

/** A client connected to a running broker, with what it has received. */
export interface BrokerSession {
  client: Client;
  /** Method names of every notification received, in order. */
  notifications: string[];
  /** The broker's stderr lines. */
  stderr: string[];
  /** The broker's process id. */
  pid: number;
  /** Closes the client (the broker then exits). */
  close(): Promise<void>;
}

/** Starts the broker on a config file and connects a client at the given revision. */
export async function connectBroker(
  configPath: string,
  revision: Revision,
  options: {
    env?: Record<string, string>;
    args?: string[];
    /** Client options beyond the protocol revision (capabilities, manual input mode). */
    client?: Omit<ClientOptions, "versionNegotiation">;
    /** Registers request handlers (elicitation, sampling) before connecting. */
    setup?: (client: Client) => void;
    /** The `clientInfo.name` the client announces. */
    name?: string;
  } = {},
): Promise<BrokerSession> {
  const transport = new StdioClientTransport({
    command: "deno",
    // An empty path leaves the config to be located (JANUS_CONFIG, ./config.json, …).
    args: janusmcpArgs("serve", ...(configPath ? ["--config", configPath] : []), ...(options.args ?? [])),
    env: { ...getDefaultEnvironment(), ...passThroughEnvironment(), ...options.env },
    cwd: REPO,
    stderr: "pipe",
  });
  const stderr: string[] = [];
  const lines = new StderrLines((line) => stderr.push(line));
  transport.stderr?.on("data", (chunk: Uint8Array) => lines.push(chunk));
  const client = new Client(
    { name: options.name ?? "janus-e2e", version: "1.0.0" },
    {
      ...options.client,
      versionNegotiation: { mode: revision === "2026-07-28" ? { pin: revision } : "legacy" },
    },
  );
  options.setup?.(client);
  const notifications: string[] = [];
  client.fallbackNotificationHandler = (notification) => {
    notifications.push(notification.method);
    return Promise.resolve();
  };
  await client.connect(transport);
  if (revision === "2026-07-28") {
    // The 2026 revision delivers list changes only on an open subscriptions/listen stream.
    await client.listen({ toolsListChanged: true, resourcesListChanged: true, promptsListChanged: true });
  }
  return {
    client,
    notifications,
    stderr,
    pid: transport.pid ?? -1,
    close: () => client.close(),
  };
}

/** What the broker under test must see of this process's environment: the session bus (keychain). */
function passThroughEnvironment(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Runs the CLI (`deno run -P=janusmcp main.ts …`) to completion. */
export async function runCli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command("deno", {
    args: janusmcpArgs(...args),
    cwd: REPO,
    env: options.env, // on top of this process's environment
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  if (options.stdin !== undefined) await writer.write(new TextEncoder().encode(options.stdin));
  await writer.close();
  const output = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** A broker serving HTTP, started as a real process. */
export interface HttpBroker {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  stderr: string[];
  process: Deno.ChildProcess;
  /** Sends a signal and waits for the exit status. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Starts `janusmcp serve --http --port 0` on a config and waits until it listens. */
export async function startHttpBroker(configPath: string, args: string[] = []): Promise<HttpBroker> {
  const child = new Deno.Command("deno", {
    args: janusmcpArgs("serve", "--http", "--port", "0", "--config", configPath, ...args),
    cwd: REPO,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr: string[] = [];
  const origin = new Promise<string>((resolve, reject) => {
    (async () => {
      const lines = new StderrLines((line) => {
        stderr.push(line);
        const listening = /listening on (http:\/\/\S+)\/mcp/.exec(line);
        if (listening) resolve(listening[1]);
      });
      for await (const chunk of child.stderr) lines.push(chunk);
      lines.end();
      reject(new Error(`broker exited before listening:\n${stderr.join("\n")}`));
    })();
  });
  return {
    origin: await origin,
    stderr,
    process: child,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      return await child.status;
    },
  };
}

/** Connects an SDK client over Streamable HTTP at a revision (2026: with a listen stream). */
export async function connectHttp(
  origin: string,
  revision: Revision,
  headers: Record<string, string> = {},
  options: {
    /** The `clientInfo.name` the client announces. */
    name?: string;
    client?: Omit<ClientOptions, "versionNegotiation">;
    setup?: (client: Client) => void;
  } = {},
): Promise<{ client: Client; notifications: string[] }> {
  const client = new Client(
    { name: options.name ?? "janus-e2e-http", version: "1.0.0" },
    {
      ...options.client,
      versionNegotiation: { mode: revision === "2026-07-28" ? { pin: revision } : "legacy" },
    },
  );
  options.setup?.(client);
  const notifications: string[] = [];
  client.fallbackNotificationHandler = (notification) => {
    notifications.push(notification.method);
    return Promise.resolve();
  };
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), { requestInit: { headers } }),
  );
  if (revision === "2026-07-28") {
    await client.listen({ toolsListChanged: true, resourcesListChanged: true, promptsListChanged: true });
  }
  return { client, notifications };
}

/**
 * Sends one raw HTTP/1.1 request over TCP and returns the status code. `fetch` cannot be used
 * for hostile headers: it silently replaces a caller's Host header with the real one.
 */
export async function rawHttpStatus(
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  const url = new URL(origin);
  const connection = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  try {
    const head = [
      `GET ${path} HTTP/1.1`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      "Connection: close",
    ];
    await connection.write(new TextEncoder().encode(`${head.join("\r\n")}\r\n\r\n`));
    let response = "";
    const buffer = new Uint8Array(4096);
    while (!response.includes("\r\n")) {
      const read = await connection.read(buffer);
      if (read === null) break;
      response += new TextDecoder().decode(buffer.subarray(0, read));
    }
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
  } finally {
    connection.close();
  }
}

/** Calls a tool and returns its text content joined, and whether it was a tool error. */
export async function callText(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ text: string; isError: boolean }> {
  const result = await client.callTool({ name, arguments: args });
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return { text: content.map((c) => c.text ?? "").join("\n"), isError: result.isError === true };
}

/** Waits until `check` passes or the deadline is reached (then returns false). */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

/** Whether a process id is alive (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** A raw 2025-11-25 initialize request. */
export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

/** POSTs a raw body (a value, or text as it is) to a broker's /mcp. */
export function post(origin: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
