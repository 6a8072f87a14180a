/**
 * The daemon's HTTP face: the same MCP endpoint as `serve --http` (lib/transport/http.ts, same
 * broker core), plus three routes for the CLI — health, shutdown and the agent operations.
 * Every route, health included, needs the bearer token (the transport's own constant-time check).
 */
import { readRequestBody } from "@modelcontextprotocol/server";
import type { Broker } from "../broker/mod.ts";
import { parseAgentRequest, runAgentRequest } from "../broker/mod.ts";
import type { Selector } from "../config/mod.ts";
import { errorEnvelope, toJanusError } from "../errors.ts";
import { type HttpApp, loadHttp } from "../transport/mod.ts";
import { PRODUCT } from "../version.ts";
import { Hono } from "hono";

/** The daemon's own routes. */
export const DAEMON_ROUTES = {
  health: "/daemon/health",
  shutdown: "/daemon/shutdown",
  agent: "/daemon/agent",
} as const;

/** What the health route reports. */
export interface DaemonHealth {
  ok: true;
  name: string;
  version: string;
  pid: number;
  configPath: string;
  configFingerprint: string;
  startedAt: string;
}

/** What the daemon app needs. */
export interface DaemonAppOptions {
  broker: Broker;
  /** The bind address (for the Host header check). */
  host: string;
  token: string;
  outbound: <T>(value: T) => T;
  log(line: string): void;
  /** The persisted global selector as it is on disk now. */
  loadGlobal(): Promise<Selector | undefined>;
  identity: Omit<DaemonHealth, "ok" | "name" | "version">;
  /** Called once the shutdown route has answered. */
  onShutdown(): void;
}

/** Builds the daemon's request handler. */
export async function createDaemonApp(options: DaemonAppOptions): Promise<HttpApp> {
  const { allowedHostsFor, bearerGuard, createHttpApp, DEFAULT_MAX_BODY_BYTES, hostAndOriginGuard } =
    await loadHttp();
  const guard = { allowedHosts: allowedHostsFor(options.host), token: options.token };
  const mcp = createHttpApp(options.broker, {
    guard,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    sessionIdleMs: 3600_000,
    outbound: options.outbound,
    log: options.log,
  });
  const health: DaemonHealth = {
    ok: true,
    name: PRODUCT.name,
    version: PRODUCT.version,
    ...options.identity,
  };

  async function agent(request: Request): Promise<Response> {
    try {
      const body = await readRequestBody(request, DEFAULT_MAX_BODY_BYTES);
      if (body.tooLarge) {
        return envelope(413, "usage", `request body is over ${DEFAULT_MAX_BODY_BYTES} bytes`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.text);
      } catch {
        return envelope(400, "usage", "the request body is not valid JSON");
      }
      const reply = await runAgentRequest(options.broker, parseAgentRequest(parsed), {
        globalSelector: await options.loadGlobal(),
        // A CLI that gives up (timeout, Ctrl-C) closes the connection: the upstream call is cancelled.
        signal: request.signal,
      });
      return Response.json({ ok: true, reply: options.outbound(reply) });
    } catch (error) {
      return Response.json(options.outbound(errorEnvelope(toJanusError(error))));
    }
  }

  const app = new Hono();
  // Health included: nothing about this daemon is told to a caller without the token.
  app.use("*", hostAndOriginGuard(guard.allowedHosts), bearerGuard(guard.token));
  app.get(DAEMON_ROUTES.health, () => Response.json(health));
  app.post(DAEMON_ROUTES.shutdown, () => {
    setTimeout(options.onShutdown, 0);
    return Response.json({ ok: true });
  });
  app.post(DAEMON_ROUTES.agent, (c) => agent(c.req.raw));
  app.all("*", (c) => mcp.fetch(c.req.raw));

  return {
    fetch: (request) => app.fetch(request),
    close: () => mcp.close(),
  };
}

function envelope(status: number, code: "usage", message: string): Response {
  return Response.json({ ok: false, error: { code, message } }, { status });
}
