/** `serve` options from flags and environment (pure, so every combination is tested directly). */
import { JanusError } from "../errors.ts";
import { isLoopbackHost } from "../hosts.ts";
import { flagOption, type ParsedArgs, parseOptions, stringOption } from "./args.ts";
import { SERVE_OPTIONS } from "./faces.ts";

/** Which transports to serve. */
export type TransportMode = "stdio" | "http" | "both";

/** Everything `serve` was asked to do. */
export interface ServeOptions {
  demo: boolean;
  transport: TransportMode;
  host: string;
  port: number;
  allowRemote: boolean;
  /** Idle 2025 HTTP sessions are closed after this many seconds. */
  sessionIdleSeconds: number;
}

/** The default HTTP port. */
export const DEFAULT_PORT = 7332;

/** How long a stop signal lets calls in flight finish before they are answered with an error. */
export const DRAIN_MS = 5_000;

/** Parses `serve` flags alone (the CLI parses them with the global ones; see `serveOptionsFrom`). */
export function parseServeOptions(args: string[], env: (name: string) => string | undefined): ServeOptions {
  return serveOptionsFrom(parseOptions(args, SERVE_OPTIONS, "serve"), env);
}

/** `serve` options from parsed flags; the environment (`JANUS_TRANSPORT`, `JANUS_HTTP_HOST`, `JANUS_HTTP_PORT`) fills the rest. */
export function serveOptionsFrom(args: ParsedArgs, env: (name: string) => string | undefined): ServeOptions {
  if (args.positionals.length > 0) {
    throw new JanusError("usage", `serve: unexpected argument ${JSON.stringify(args.positionals[0])}`);
  }
  const values = {
    demo: flagOption(args, "demo"),
    http: flagOption(args, "http"),
    transport: stringOption(args, "transport"),
    host: stringOption(args, "host"),
    port: stringOption(args, "port"),
    "allow-remote": flagOption(args, "allow-remote"),
    "session-idle-timeout": stringOption(args, "session-idle-timeout"),
  };
  if (values.http && values.transport && values.transport !== "http") {
    throw new JanusError("usage", `serve: --http contradicts --transport ${values.transport}`);
  }
  const transport = values.http ? "http" : values.transport ?? env("JANUS_TRANSPORT") ?? "stdio";
  if (transport !== "stdio" && transport !== "http" && transport !== "both") {
    throw new JanusError("usage", `serve: transport must be stdio, http or both, not "${transport}"`);
  }
  const host = values.host ?? env("JANUS_HTTP_HOST") ?? "127.0.0.1";
  const port = integer(values.port ?? env("JANUS_HTTP_PORT") ?? String(DEFAULT_PORT), "port", 0, 65535);
  const allowRemote = values["allow-remote"] === true;
  if (transport !== "stdio" && !isLoopbackHost(host) && !allowRemote) {
    throw new JanusError(
      "usage",
      `serve: refusing to listen on ${host}, which other machines can reach; pass --allow-remote to do it on purpose (clients must then send the bearer token kept in the config directory's http-token file)`,
    );
  }
  return {
    demo: values.demo === true,
    transport,
    host,
    port,
    allowRemote,
    sessionIdleSeconds: integer(
      values["session-idle-timeout"] ?? "3600",
      "session-idle-timeout",
      1,
      7 * 24 * 3600,
    ),
  };
}

function integer(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new JanusError(
      "usage",
      `serve: --${name} must be a whole number from ${min} to ${max}, not "${text}"`,
    );
  }
  return value;
}
