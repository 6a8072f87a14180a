/** `janusmcp serve`: run the broker over stdio, HTTP, or both. */
import type { Broker } from "../broker/mod.ts";
import { JanusError } from "../errors.ts";
import { loadOrCreateHttpToken } from "../config/mod.ts";
import {
  createHttpApp,
  DEFAULT_MAX_BODY_BYTES,
  type HttpServerHandle,
  listenHttp,
} from "../transport/mod.ts";
import { allowedHostsFor, isLoopbackHost } from "../transport/mod.ts";
import { serveBrokerOverStdio } from "../transport/mod.ts";
import type { Transport } from "@modelcontextprotocol/server";
import type { DaemonMetadata } from "../daemon/mod.ts";
import { contextConfigPath, openBroker } from "./broker_setup.ts";
import { waitForStopSignal } from "./stop_signal.ts";
import { type ServeOptions, serveOptionsFrom } from "./serve_options.ts";
import type { CliContext, Command } from "./context.ts";
import { watchConfig } from "./config_watch.ts";
import type { JanusConfig } from "../config/mod.ts";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../wire/mod.ts";
import { FACES } from "./faces.ts";
import { earlyHandover } from "../early_processes.ts";
import { keysAtLaunch, takeEarlyStdio } from "./early_start.ts";
import { planAfterStart } from "./launch_plan_writer.ts";
import { answersRecorder } from "./early_answers_writer.ts";

/** How long a stop signal lets calls in flight finish before they are answered with an error. */
const DRAIN_MS = 5_000;

export const serveCommand: Command = {
  ...FACES.serve,
  usage: `Usage: janusmcp [serve] [--http | --transport stdio|http|both] [--host H] [--port N]
                        [--allow-remote] [--session-idle-timeout SECONDS] [--demo] [--config PATH]

Serves JanusMCP over stdio (one client; stdout carries MCP frames only) and/or Streamable HTTP
at http://HOST:PORT/mcp (many clients; both protocol revisions). Logs go to stderr. Ends when
the stdio client closes stdin, or on SIGINT/SIGTERM, after draining calls in flight and closing
every upstream.

Options:
  --http                   same as --transport http                       (env JANUS_TRANSPORT)
  --transport MODE         stdio (default), http, or both
  --host H                 HTTP bind address, default 127.0.0.1           (env JANUS_HTTP_HOST)
  --port N                 HTTP port, default 7332; 0 picks a free one    (env JANUS_HTTP_PORT)
  --allow-remote           allow a non-loopback --host; clients must then send the bearer
                           token kept in the config directory's http-token file (mode 0600)
  --session-idle-timeout S close 2025-11-25 HTTP sessions idle this long (default 3600)
  --demo                   serve the built-in demo configuration (two accounts of a demo server)
  --config PATH            this config file (else JANUS_CONFIG, ./config.json, user config dir)`,
  async run(args, ctx) {
    const options = serveOptionsFrom(args, (name) => Deno.env.get(name));
    const daemon = await daemonForStdio(ctx, options);
    if (!daemon) return await serveLocally(ctx, options);
    const { serveStdioThroughDaemon } = await import("../daemon/mod.ts");
    const stopped = waitForStopSignal();
    try {
      await serveStdioThroughDaemon(daemon, {
        log: (line) => ctx.err(`janusmcp: ${line}\n`),
        stop: stopped.promise,
        local: async (wire) => {
          await serveLocally(ctx, options, wire);
        },
      });
    } finally {
      stopped.dispose();
    }
    return 0;
  },
};

/**
 * The daemon a stdio broker relays to: only when asked for with JANUS_DAEMON=auto|require (an
 * LLM client's config sets it), only for stdio, and only a daemon serving this config unchanged.
 */
async function daemonForStdio(ctx: CliContext, options: ServeOptions): Promise<DaemonMetadata | undefined> {
  const mode = Deno.env.get("JANUS_DAEMON");
  if (options.transport !== "stdio" || options.demo || (mode !== "auto" && mode !== "require")) {
    return undefined;
  }
  // Loaded only when asked for: a plain `serve` never needs the daemon client.
  const { usableDaemon } = await import("../daemon/mod.ts");
  return await usableDaemon({
    env: (name) => Deno.env.get(name),
    configPath: contextConfigPath(ctx),
    required: mode === "require",
    note: (message) => ctx.err(`janusmcp: note: ${message}\n`),
  });
}

/** Serves with a broker of this process's own (`wire`: a stdio wire the daemon relay already read from). */
async function serveLocally(ctx: CliContext, options: ServeOptions, wire?: Transport): Promise<number> {
  const { broker, outbound, log, banner, configDir, configPath, config } = await openBroker(ctx, {
    demo: options.demo,
    sink: (text) => ctx.err(text),
  });
  log(banner);
  // A stdio client initializes right after starting us and lists tools next: the default
  // selector's upstreams start now, so their own start overlaps that handshake. Most stdio
  // clients speak 2025-11-25, so that is the revision they are started for (one process, no probe).
  broker.warm(options.transport === "http" ? undefined : "legacy");
  // Hot reload: valid edits apply at once, invalid ones are reported and the last good config stays.
  const watch = configPath ? watchConfig(configPath, config, broker, log) : undefined;
  if (options.transport !== "http" && Deno.stdin.isTerminal()) {
    log(
      "stdin is a terminal: JanusMCP speaks MCP over stdio and is meant to be started by an MCP client (see README). To watch a scripted client use the demo, run: deno task demo. Ctrl-C stops.",
    );
  }

  const stopped = waitForStopSignal();
  // Stop signals are ours now. The upstreams warm() is starting adopt the processes started at
  // launch (early_start.ts); any not adopted is stopped in a moment. Then the plan for the next
  // start is written (keys: the config and state files as they were at launch).
  earlyHandover(log);
  const keys = configPath && options.transport !== "http" ? keysAtLaunch(configPath) : undefined;
  const plan = configPath && keys ? planAfterStart(broker, configPath, keys, log) : undefined;
  // The client's handshake may have been answered already (early_stdio.ts); its first answers are
  // recorded for the next start.
  const early = configPath && options.transport !== "http" ? takeEarlyStdio(configPath) : undefined;
  const recorder = configPath && keys ? answersRecorder(configPath, keys, log) : undefined;
  let http: HttpServerHandle | undefined;
  let end: "signal" | "eof" | undefined;
  try {
    if (options.transport !== "stdio") {
      http = await startHttp(broker, options, configDir, { log, outbound }, config);
      log(`listening on ${http.url}/mcp (health: ${http.url}/healthz)`);
    }
    const ends: Promise<"signal" | "eof">[] = [stopped.promise.then(() => "signal" as const)];
    const maxMessageBytes = config.limits?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (options.transport !== "http") {
      const handed = early && { stdin: early.handover(), answered: early.answered };
      if (handed && handed.answered.length > 0) {
        log(
          `answered ${handed.answered.map((a) => a.method).join(" and ")} early from the early-answer record`,
        );
      }
      ends.push(
        serveBrokerOverStdio(broker, {
          log,
          outbound,
          wire,
          maxMessageBytes,
          early: handed,
          record: recorder?.record,
        })
          .then(() => "eof" as const),
      );
    }
    end = await Promise.race(ends);
  } finally {
    // A start that failed (say, the HTTP port is taken) is no plan for the next one.
    if (end === undefined) plan?.cancel();
    watch?.stop();
    // From here a signal means "hurry": clients often send SIGTERM a second after closing
    // stdin, then SIGKILL. Every upstream group is killed at once, so none is orphaned.
    stopped.hurry();
    // Stopped by a signal, a stdio client is still there: its calls in flight are answered.
    if (end === "signal") await broker.drain(DRAIN_MS);
    stopped.dispose();
    await http?.shutdown();
    await Promise.all([broker.close(), plan?.flush(), recorder?.flush()]);
  }
  return 0;
}

/** Listens for HTTP clients, with a bearer token when the bind address reaches beyond loopback. */
async function startHttp(
  broker: Broker,
  options: ServeOptions,
  configDir: string,
  io: { log(line: string): void; outbound: <T>(value: T) => T },
  config: JanusConfig,
): Promise<HttpServerHandle> {
  let token: string | undefined;
  if (!isLoopbackHost(options.host)) {
    const stored = await loadOrCreateHttpToken(configDir);
    token = stored.token;
    io.log(
      `remote clients must send "Authorization: Bearer <token>" with the token in ${stored.path}${
        stored.created ? " (just created)" : ""
      }`,
    );
  }
  const app = createHttpApp(broker, {
    guard: { allowedHosts: allowedHostsFor(options.host), token },
    maxBodyBytes: config.limits?.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxSessions: config.limits?.maxHttpSessions,
    sessionIdleMs: options.sessionIdleSeconds * 1000,
    ...io,
  });
  try {
    return await listenHttp(app, options.host, options.port);
  } catch (error) {
    await app.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new JanusError("usage", `port ${options.port} on ${options.host} is already in use; pass --port`);
    }
    throw error;
  }
}
