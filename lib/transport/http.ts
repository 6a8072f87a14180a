/**
 * The HTTP transport: a Hono app on `Deno.serve` with one `/mcp` endpoint for both protocol
 * revisions. 2025-11-25 clients get real sessions (`Mcp-Session-Id`, a GET stream, DELETE);
 * 2026-07-28 clients are served statelessly and share one stateless broker session (they follow
 * the global choice, and hear of changes on `subscriptions/listen`). No routing logic lives here.
 */
import { Hono } from "hono";
import {
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  type JSONRPCMessage,
  PROTOCOL_VERSION_META_KEY,
} from "@modelcontextprotocol/server";
import type { Broker } from "../broker/mod.ts";
import { buildSessionServer, createSessionServer, serverNotifier } from "./session_server.ts";
import { StatelessServers } from "./stateless_servers.ts";
import { clientNameInEnvelope } from "./request_context.ts";
import { JSON_RPC } from "../errors.ts";
import { PRODUCT } from "../version.ts";
import { bearerGuard, type GuardOptions, hostAndOriginGuard } from "./http_guard.ts";
import { BoundedEventStore } from "./event_store.ts";
import { LegacySessions } from "./http_sessions.ts";
import { LegacyHttpTransport } from "./legacy_http_transport.ts";
import { paramHeaderMismatch } from "./param_headers.ts";
import { isRecord } from "../values.ts";
import { readBody } from "./request_body.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, formatBytes, RejectLog, triageValue } from "../wire/mod.ts";
import { listenedResources, ListenResources, onResponseEnd } from "./listen_resources.ts";
import { requestsDirectly } from "./direct_dispatch.ts";

export type { HttpServerHandle } from "../http_listen.ts";

/** How the HTTP endpoint behaves. */
export interface HttpOptions {
  guard: GuardOptions;
  /** Bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** A 2025 session with no request for this long is closed. */
  sessionIdleMs: number;
  /** At most this many 2025 sessions at once; past it, initialize gets 503 (default 1000). */
  maxSessions?: number;
  /** Applied to everything sent to clients (redaction). */
  outbound: <T>(value: T) => T;
  log(line: string): void;
}

/** The default request body limit: the same 64 MiB as a stdio frame (limits.maxMessageBytes). */
export const DEFAULT_MAX_BODY_BYTES = DEFAULT_MAX_MESSAGE_BYTES;
/** The default cap on open 2025-11-25 sessions (each idle one costs ~50 KiB of RSS and lives up to the idle timeout). */
export const DEFAULT_MAX_SESSIONS = 1000;
/** What a client refused for the session cap is told to wait, in seconds. */
const SESSION_RETRY_AFTER_S = 30;
/** How long shutdown waits for calls in flight. */
const DRAIN_MS = 5_000;

/** The HTTP app and how to stop it. */
export interface HttpApp {
  fetch(request: Request): Response | Promise<Response>;
  /** Drains calls in flight (bounded), then closes every session and stream. */
  close(): Promise<void>;
}

/** Builds the HTTP app over the broker. */
export function createHttpApp(broker: Broker, options: HttpOptions): HttpApp {
  const outbound = options.outbound;
  // One line per refused request at most, and a summary for a flood.
  const rejects = new RejectLog(options.log);
  const onerror = (error: Error) => rejects.reject(`http: ${firstLine(error.message)}`);

  // 2026-07-28: stateless. Every request gets a server not serving another one (reused when
  // possible), bound to the one shared session.
  const stateless = broker.openSession("http-stateless", { stateless: true });
  const servers = new StatelessServers(() => buildSessionServer(broker, stateless, { outbound }));
  const modern = createMcpHandler(servers.take, {
    legacy: "reject",
    maxRequestBodySize: options.maxBodyBytes,
    onerror,
  });
  stateless.notifier = {
    listChanged: (kind) => {
      if (kind === "tools") modern.notify.toolsChanged();
      else if (kind === "resources") modern.notify.resourcesChanged();
      else modern.notify.promptsChanged();
    },
    resourceUpdated: (uri) => modern.notify.resourceUpdated(uri),
  };
  // 2026 clients follow resources by naming them on their listen streams.
  const listens = new ListenResources({
    subscribe: (uri) => broker.subscribe(stateless, uri),
    unsubscribe: (uri) => broker.unsubscribe(stateless, uri),
  }, options.log);

  // 2025-11-25: one broker session per Mcp-Session-Id.
  const sessions = new LegacySessions(options.sessionIdleMs, options.log);

  const app = new Hono();
  // Every path refuses foreign Hosts and Origins; only /mcp needs the bearer token.
  app.use("*", hostAndOriginGuard(options.guard.allowedHosts));
  app.get("/healthz", (c) =>
    c.json({
      ok: true,
      name: PRODUCT.name,
      version: PRODUCT.version,
      // The process's uptime: `serve --http` builds this app on its first request, not at start.
      uptimeSeconds: Math.round(performance.now() / 1000),
      protocolVersions: ["2025-11-25", "2026-07-28"],
    }));

  if (options.guard.token !== undefined) app.use("/mcp", bearerGuard(options.guard.token));
  app.all("/mcp", async (c) => {
    const request = c.req.raw;
    let parsedBody: unknown;
    let message: JSONRPCMessage | undefined; // a single message, already validated
    if (request.method === "POST") {
      const body = await readBody(request, options.maxBodyBytes);
      if (body.tooLarge) {
        const size = Number(request.headers.get("content-length") ?? NaN);
        const seen = Number.isFinite(size) ? `of ${formatBytes(size)} (${size} bytes)` : "";
        return jsonRpcError(
          413,
          JSON_RPC.invalidRequest,
          `request body ${seen} exceeds the limit of ${
            formatBytes(options.maxBodyBytes)
          } (limits.maxMessageBytes)`.replace("  ", " "),
        );
      }
      try {
        parsedBody = JSON.parse(body.text);
      } catch {
        rejects.reject("http: refused a body that is not valid JSON");
        return jsonRpcError(400, JSON_RPC.parseError, "parse error: the request body is not valid JSON");
      }
      // Not a JSON-RPC message: answered here, with its id when it has a readable one.
      const triage = Array.isArray(parsedBody) ? undefined : triageValue(parsedBody);
      if (triage?.kind === "invalid") {
        rejects.reject(`http: refused a request: ${triage.problem}`);
        return jsonRpcError(400, triage.code, triage.problem, triage.id);
      }
      message = triage?.message;
    }

    const sessionId = request.headers.get("mcp-session-id");
    if (sessionId) {
      const entry = sessions.get(sessionId);
      if (!entry) {
        return jsonRpcError(
          404,
          JSON_RPC.unauthorizedOrUnknownSession,
          `unknown or expired session ${sessionId}; initialize again`,
        );
      }
      return await entry.transport.handleRequest(request, { message, parsedBody });
    }
    // A 2026-07-28 request names its revision in _meta: no need for the SDK's classification
    // (a schema parse of initialize, then the full era classification the modern handler repeats).
    if (request.method === "POST" && claimsModernRevision(parsedBody)) {
      return await serveModern(request, parsedBody);
    }
    if (request.method === "POST" && isInitializeRequest(parsedBody)) {
      const max = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
      if (sessions.size >= max) {
        rejects.reject(`http: refused a new session: ${max} sessions are open (limits.maxHttpSessions)`);
        return sessionCapReached(max, parsedBody);
      }
      return await startLegacySession(request, message, parsedBody);
    }
    if (request.method === "POST" && !(await isLegacyRequest(request, parsedBody))) {
      return await serveModern(request, parsedBody);
    }
    if (request.method === "GET") {
      // What an old HTTP+SSE client (transport "sse") does first: tell it what to use instead.
      return jsonRpcError(
        400,
        JSON_RPC.invalidRequest,
        'this endpoint speaks Streamable HTTP (2025-11-25 and 2026-07-28), not the older HTTP+SSE transport: configure the client for Streamable HTTP ("type": "http") at this URL, and start with a POST of initialize',
      );
    }
    return jsonRpcError(
      400,
      JSON_RPC.invalidRequest,
      "missing Mcp-Session-Id: 2025-11-25 clients start with initialize; 2026-07-28 requests carry their protocol version in _meta",
    );
  });

  app.notFound(() => new Response("not found: the MCP endpoint is /mcp\n", { status: 404 }));

  /** A 2026-07-28 POST: SEP-2243 headers checked, listen streams followed, then the SDK's handler. */
  async function serveModern(request: Request, parsedBody: unknown): Promise<Response> {
    const refused = await headerMismatch(request, parsedBody);
    if (refused) return refused;
    const listen = listenedResources(parsedBody);
    if (!listen) return await modern.fetch(request, { parsedBody });
    await listens.acquire(listen.uris);
    return onResponseEnd(await modern.fetch(request, { parsedBody }), request.signal, () => {
      void listens.release(listen.uris);
    });
  }

  /**
   * SEP-2243: a 2026 tools/call whose `Mcp-Param-*` headers disagree with its arguments is refused.
   * Only for a tool the client's tools/list showed: a tool found through search (exposure
   * `search`) is called without headers, since the client never had a definition to mirror.
   */
  async function headerMismatch(request: Request, body: unknown): Promise<Response | undefined> {
    if (!isRecord(body) || body.method !== "tools/call" || !isRecord(body.params)) return undefined;
    const { name, arguments: args, _meta: meta } = body.params;
    if (typeof name !== "string") return undefined;
    // The client's name decides exposure ("auto"), hence which definitions it could mirror.
    const tool = await broker.findTool(stateless, name, clientNameInEnvelope(meta));
    const problem = tool &&
      paramHeaderMismatch(tool.inputSchema, isRecord(args) ? args : undefined, request.headers);
    if (!problem) return undefined;
    const id = typeof body.id === "string" || typeof body.id === "number" ? body.id : null;
    return Response.json({
      jsonrpc: "2.0",
      id,
      error: { code: JSON_RPC.headerMismatch, message: `header mismatch: ${problem}` },
    }, {
      status: 400,
    });
  }

  async function startLegacySession(
    request: Request,
    message: JSONRPCMessage | undefined,
    parsedBody: unknown,
  ): Promise<Response> {
    const session = broker.openSession(`http-${crypto.randomUUID()}`, { era: "legacy" });
    const server = createSessionServer(broker, session, { outbound });
    session.notifier = serverNotifier(server, outbound);
    const transport: LegacyHttpTransport = new LegacyHttpTransport({
      onsessioninitialized: (id): void => sessions.add(id, { transport, server }),
      // Resumable streams: a client that loses its SSE connection reconnects with Last-Event-ID.
      eventStore: new BoundedEventStore(),
      retryMs: 1000,
    });
    server.onclose = () => {
      broker.closeSession(session);
      if (transport.sessionId) sessions.forget(transport.sessionId);
    };
    server.onerror = onerror;
    await server.connect(transport);
    // The transport hands on only messages the SDK schema accepted: requests skip the re-sorting.
    requestsDirectly(server, transport);
    return await transport.handleRequest(request, { message, parsedBody });
  }

  return {
    fetch: (request) => app.fetch(request),
    async close() {
      await broker.drain(DRAIN_MS);
      await sessions.closeAll();
      await modern.close();
      broker.closeSession(stateless);
    },
  };
}

/**
 * Whether a body carries the 2026-07-28 per-request envelope's protocol version in `params._meta`
 * (what the SDK's classification calls a claim; it routes every such request to the modern path).
 * `initialize` is left to the classification: with a claim naming a 2025 revision it stays legacy.
 */
function claimsModernRevision(body: unknown): boolean {
  if (!isRecord(body) || body.method === "initialize") return false;
  const params = body.params;
  return isRecord(params) && isRecord(params._meta) && PROTOCOL_VERSION_META_KEY in params._meta;
}

/** 503 with Retry-After: the session cap is reached (idle sessions are closed over time). */
function sessionCapReached(max: number, body: unknown): Response {
  const id = isRecord(body) && (typeof body.id === "string" || typeof body.id === "number") ? body.id : null;
  return Response.json({
    jsonrpc: "2.0",
    id,
    error: {
      code: JSON_RPC.serverBusy,
      message:
        `too many sessions: ${max} are open (limits.maxHttpSessions); retry later, or close sessions you no longer use`,
    },
  }, { status: 503, headers: { "Retry-After": String(SESSION_RETRY_AFTER_S) } });
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** A JSON-RPC error response with an HTTP status. */
function jsonRpcError(
  status: number,
  code: number,
  message: string,
  id: string | number | null = null,
): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id }, { status });
}
