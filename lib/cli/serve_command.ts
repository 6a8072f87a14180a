/**
 * `janusmcp serve`: its usage, and which way it serves — HTTP alone (serve_http.ts, the broker
 * loaded on the first request), stdio or both with a broker of its own (serve.ts), or stdio
 * relayed to a daemon. Light on purpose: the SDK loads with the module that needs it.
 */
import type { DaemonMetadata } from "../daemon/mod.ts";
import { contextConfigPath } from "./broker_setup.ts";
import type { CliContext, Command } from "./context.ts";
import { FACES } from "./faces.ts";
import { type ServeOptions, serveOptionsFrom } from "./serve_options.ts";
import { waitForStopSignal } from "./stop_signal.ts";

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
    // HTTP alone loads the broker and the SDK on its first request (serve_http.ts).
    if (options.transport === "http") return await (await import("./serve_http.ts")).serveHttp(ctx, options);
    const daemon = await daemonForStdio(ctx, options);
    const { serveLocally } = await import("./serve.ts");
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
