/** `janusmcp serve`: run the broker over stdio, HTTP, or both. */
import { dirname } from "node:path";
import { Broker } from "../broker/broker.ts";
import { loadConfig } from "../config/load.ts";
import { locateConfigFromEnvironment } from "../config/locate.ts";
import { StateStore } from "../config/state.ts";
import type { JanusConfig, Selector } from "../config/types.ts";
import { demoConfig } from "../demo/config.ts";
import { openVault } from "../secrets/open_vault.ts";
import { SecretScrubber } from "../secrets/scrubber.ts";
import { MIN_REDACTABLE_LENGTH } from "../secrets/redact.ts";
import { shortSecretWarnings } from "../upstream/secret_checks.ts";
import { JanusError } from "../errors.ts";
import { loadOrCreateHttpToken } from "../config/http_token.ts";
import {
  createHttpApp,
  DEFAULT_MAX_BODY_BYTES,
  type HttpServerHandle,
  listenHttp,
} from "../transport/http.ts";
import { allowedHostsFor, isLoopbackHost } from "../transport/http_guard.ts";
import { serveBrokerOverStdio } from "../transport/stdio.ts";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../wire/line_frames.ts";

/** How long a stop signal lets calls in flight finish before they are answered with an error. */
const DRAIN_MS = 5_000;
import { parseServeOptions, type ServeOptions } from "./serve_options.ts";
import { watchConfig } from "./config_watch.ts";
import { ProcessGroup } from "../upstream/process_group.ts";
import { PRODUCT } from "../version.ts";
import type { CliContext, Command } from "./context.ts";

/** Where the broker's configuration and persisted choice come from. */
interface Setup {
  config: JanusConfig;
  configPath?: string;
  /** Where the file vault and state live. */
  configDir: string;
  initialGlobal?: Selector;
  persistGlobal(selector: Selector): Promise<void>;
  banner: string;
}

export const serveCommand: Command = {
  name: "serve",
  summary: "Serve the broker over stdio and/or HTTP (the default command)",
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
    const options = parseServeOptions(args, (name) => Deno.env.get(name));
    const setup = options.demo ? demoSetup() : await fileSetup(ctx);
    // One scrubber for everything that leaves: results per account (in the broker), errors and
    // notifications (via the session server), and every log line. It learns each value the
    // moment an upstream is given it.
    const scrubber = new SecretScrubber();
    const env = (name: string) => Deno.env.get(name);
    const passphrase = env("JANUS_VAULT_PASSPHRASE");
    if (passphrase) scrubber.addBrokerWide("JANUS_VAULT_PASSPHRASE", passphrase);
    const log = (line: string) => ctx.err(scrubber.redactText(`janusmcp: ${line}\n`));
    log(setup.banner);
    for (const warning of shortSecretWarnings(setup.config, env)) log(`warning: ${warning}`);
    if (options.transport !== "http" && Deno.stdin.isTerminal()) {
      log(
        "stdin is a terminal: JanusMCP speaks MCP over stdio and is meant to be started by an MCP client (see README). To watch a scripted client use the demo, run: deno task demo. Ctrl-C stops.",
      );
    }

    const tooShort = new Set<string>();
    const broker = new Broker({
      config: setup.config,
      configPath: setup.configPath,
      initialGlobal: setup.initialGlobal,
      persistGlobal: setup.persistGlobal,
      sources: { env, vault: openVault({ config: setup.config, configDir: setup.configDir, env }) },
      log,
      results: scrubber,
      secretsResolved: (accountId, secrets) => {
        for (const secret of secrets) {
          const added = scrubber.addForAccount(accountId, secret.name, secret.value, secret.reference);
          // Short ${ENV} secrets were reported when the config was loaded.
          if (added.registered || tooShort.has(secret.name) || !secret.reference.startsWith("vault:")) {
            continue;
          }
          tooShort.add(secret.name);
          log(
            `warning: [${accountId}] the value of ${secret.reference} is shorter than ${MIN_REDACTABLE_LENGTH} characters, so it cannot be redacted from output`,
          );
        }
      },
    });
    broker.warm();
    // Hot reload: valid edits apply at once, invalid ones are reported and ignored.
    const watch = setup.configPath ? watchConfig(setup.configPath, setup.config, broker, log) : undefined;
    const stopped = waitForStopSignal();
    const outbound = <T>(value: T): T => scrubber.outbound(value);
    let http: HttpServerHandle | undefined;
    let end: "signal" | "eof" | undefined;
    try {
      if (options.transport !== "stdio") {
        http = await startHttp(broker, options, setup.configDir, { log, outbound }, setup.config);
        log(`listening on ${http.url}/mcp (health: ${http.url}/healthz)`);
      }
      const ends: Promise<"signal" | "eof">[] = [stopped.promise.then(() => "signal" as const)];
      const maxMessageBytes = setup.config.limits?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
      if (options.transport !== "http") {
        ends.push(
          serveBrokerOverStdio(broker, { log, outbound, maxMessageBytes }).then(() => "eof" as const),
        );
      }
      end = await Promise.race(ends);
    } finally {
      watch?.stop();
      // From here a signal means "hurry": clients often send SIGTERM a second after closing
      // stdin, then SIGKILL. Every upstream group is killed at once, so none is orphaned.
      stopped.hurry();
      await http?.shutdown();
      // Stopped by a signal, a stdio client is still there: its calls in flight are answered.
      if (end === "signal") await broker.drain(DRAIN_MS);
      await broker.close();
      stopped.dispose();
    }
    return 0;
  },
};

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

function demoSetup(): Setup {
  const config = demoConfig();
  return {
    config,
    configDir: Deno.cwd(),
    persistGlobal: () => Promise.resolve(), // the demo keeps its choice in memory only
    banner: `${PRODUCT.title} ${PRODUCT.version}: serving the built-in demo (accounts: ${
      config.accounts.map((a) => a.id).join(", ")
    }). Connect an MCP client to this command, then call janus_use_account.`,
  };
}

async function fileSetup(ctx: CliContext): Promise<Setup> {
  const configPath = ctx.configPath ?? locateConfigFromEnvironment().path;
  const loaded = await loadConfig(configPath);
  if (!loaded.exists && ctx.configPath !== undefined) {
    // A file named on purpose that is not there is a mistake, not a request for the empty config.
    throw new JanusError("config", `config file ${configPath} does not exist (named by --config)`);
  }
  const state = new StateStore(configPath, { warn: (message) => ctx.err(`janusmcp: ${message}\n`) });
  const initialGlobal = loaded.exists ? (await state.load()).globalSelector : undefined;
  const { accounts, bindingMode } = loaded.config;
  const banner = loaded.exists
    ? `${PRODUCT.title} ${PRODUCT.version}: config ${configPath} (${accounts.length} account${
      accounts.length === 1 ? "" : "s"
    }, bindingMode ${bindingMode})`
    : `${PRODUCT.title} ${PRODUCT.version}: no config file at ${configPath}; serving the control tools only. Create it (see README) or run with --demo.`;
  return {
    config: loaded.config,
    configPath,
    configDir: dirname(configPath),
    initialGlobal,
    persistGlobal: (selector) => state.save({ globalSelector: selector }),
    banner,
  };
}

/**
 * Resolves on SIGINT or SIGTERM (SIGINT only on Windows). After `hurry()` (shutdown under way),
 * a further signal kills every upstream process group at once instead.
 */
function waitForStopSignal(): { promise: Promise<void>; hurry(): void; dispose(): void } {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let stopping = false;
  let resolveStop = () => {};
  const promise = new Promise<void>((resolve) => {
    resolveStop = resolve;
  });
  const listener = () => {
    if (stopping) ProcessGroup.killAll();
    else resolveStop();
  };
  for (const signal of signals) Deno.addSignalListener(signal, listener);
  return {
    promise,
    hurry: () => {
      stopping = true;
    },
    dispose: () => signals.forEach((signal) => Deno.removeSignalListener(signal, listener)),
  };
}
