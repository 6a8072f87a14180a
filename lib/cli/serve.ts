/**
 * `janusmcp serve` over stdio or both transports (serve_command.ts dispatches; HTTP alone is
 * serve_http.ts, which loads the broker on its first request).
 */
import type { Broker } from "../broker/mod.ts";
import { JanusError } from "../errors.ts";
import { loadOrCreateHttpToken } from "../config/mod.ts";
import { type HttpServerHandle, loadHttp, serveBrokerOverStdio } from "../transport/mod.ts";
import { isLoopbackHost } from "../hosts.ts";
import { listenHttp } from "../http_listen.ts";
import type { Transport } from "@modelcontextprotocol/server";
import { openBroker } from "./broker_setup.ts";
import { waitForStopSignal } from "./stop_signal.ts";
import { DRAIN_MS, type ServeOptions } from "./serve_options.ts";
import type { CliContext } from "./context.ts";
import { watchConfig } from "./config_watch.ts";
import type { JanusConfig } from "../config/mod.ts";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../wire/mod.ts";
import { earlyHandover } from "../early_processes.ts";
import { keysAtLaunch, takeEarlyStdio } from "./early_start.ts";
import { answersRecorder } from "./early_answers_writer.ts";

/** Serves with a broker of this process's own (`wire`: a stdio wire the daemon relay already read from). */
export async function serveLocally(
  ctx: CliContext,
  options: ServeOptions,
  wire?: Transport,
): Promise<number> {
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
  // launch (early_start.ts); any not adopted is stopped in a moment.
  earlyHandover(log);
  const keys = configPath && options.transport !== "http" ? keysAtLaunch(configPath) : undefined;
  // The client's handshake may have been answered already (early_stdio.ts); its first answers are
  // recorded for the next start (keys: the config and state files as they were at launch).
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
    watch?.stop();
    // From here a signal means "hurry": clients often send SIGTERM a second after closing
    // stdin, then SIGKILL. Every upstream group is killed at once, so none is orphaned.
    stopped.hurry();
    // Stopped by a signal, a stdio client is still there: its calls in flight are answered.
    if (end === "signal") await broker.drain(DRAIN_MS);
    stopped.dispose();
    await http?.shutdown();
    await Promise.all([broker.close(), recorder?.flush()]);
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
  // Loaded here, not with this module: a stdio-only serve never needs the HTTP transport.
  const { allowedHostsFor, createHttpApp, DEFAULT_MAX_BODY_BYTES } = await loadHttp();
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
