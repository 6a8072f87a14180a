/**
 * The Streamable HTTP transport of one 2025-11-25 session (`Mcp-Session-Id`): POST, the GET
 * stream, DELETE, and resumption with `Last-Event-ID`.
 *
 * Why not the SDK's `WebStandardStreamableHTTPServerTransport`: it picks JSON or SSE once for
 * every POST (`enableJsonResponse`). SSE for every call costs framing, a keep-alive timer and an
 * event-store copy on each one; JSON for every call drops the progress, log and mid-call requests
 * (elicitation, sampling, roots) a call sends before its result. This transport answers a POST
 * with `application/json`, and switches that one POST to an SSE stream only when a message
 * related to it is sent before its result (or from the start, for a client whose Accept header
 * prefers SSE). Only SSE streams are resumable: a JSON answer is one body, written at once.
 */
import {
  DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
  isJsonContentType,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  parseJSONRPCMessage,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Transport,
  type TransportSendOptions,
} from "@modelcontextprotocol/server";
import { JSON_RPC } from "../errors.ts";
import type { BoundedEventStore } from "./event_store.ts";
import { KEEP_ALIVE_MS, prefersEventStream, SseStream } from "./sse_stream.ts";
import { QuietDeadlines } from "./quiet_deadlines.ts";

/** The event-store stream id of the session's GET stream. */
const STANDALONE = "_GET_stream";
/** The SDK's limit on one JSON-RPC batch. */
const MAX_BATCH = 100;
/** Session-not-found: the client must initialize again. */
const UNKNOWN_SESSION = JSON_RPC.unauthorizedOrUnknownSession;

/** How one session's transport behaves. */
export interface LegacyHttpTransportOptions {
  /** Remembers the session once initialize gave it an id. */
  onsessioninitialized(sessionId: string): void;
  /** Keeps what SSE streams carried, for `Last-Event-ID`. */
  eventStore: BoundedEventStore;
  /** The reconnect delay told to clients in each stream's first (priming) event. */
  retryMs?: number;
  /** How often an idle SSE stream gets a comment, so intermediaries keep it open. */
  keepAliveMs?: number;
}

/** One POST with requests in it: answered with JSON, unless a related message turned it into SSE. */
interface Exchange {
  readonly streamId: string;
  readonly ids: readonly RequestId[];
  readonly answers: Map<RequestId, JSONRPCMessage>;
  readonly protocolVersion: string;
  /** Set while nothing was sent: resolves the POST with JSON, or with the SSE stream. */
  respond?: (response: Response) => void;
  /** The SSE stream, once upgraded and while the client is connected to it. */
  sse?: SseStream;
}

/** What `handleRequest` is given besides the request. */
export interface PostedBody {
  /** One message already validated by the caller (e.g. `triageValue`), or any parsed JSON body. */
  message?: JSONRPCMessage;
  parsedBody?: unknown;
}

/** One 2025-11-25 session's HTTP transport (see the module comment). */
export class LegacyHttpTransport implements Transport {
  sessionId?: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  #started = false;
  #closed = false;
  #supported: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
  readonly #inFlight = new Map<RequestId, Exchange>();
  #standalone?: SseStream;

  /** Upgrades a call still unanswered after the keep-alive interval (see `#post`). */
  readonly #quiet: QuietDeadlines<Exchange>;

  constructor(private readonly options: LegacyHttpTransportOptions) {
    this.#quiet = new QuietDeadlines(options.keepAliveMs ?? KEEP_ALIVE_MS, (sent) => this.#upgrade(sent));
  }

  start(): Promise<void> {
    if (this.#started) throw new Error("Transport already started");
    this.#started = true;
    return Promise.resolve();
  }

  /** Called by the server on connect: the versions an `MCP-Protocol-Version` header may name. */
  setSupportedProtocolVersions(versions: string[]): void {
    this.#supported = versions;
  }

  /** Serves one HTTP request of this session. */
  handleRequest(request: Request, body: PostedBody = {}): Promise<Response> | Response {
    if (this.#closed) return this.#refuse(404, UNKNOWN_SESSION, "Session not found");
    switch (request.method) {
      case "POST":
        return this.#post(request, body);
      case "GET":
        return this.#get(request);
      case "DELETE":
        return this.#delete(request);
      default:
        return Response.json({
          jsonrpc: "2.0",
          error: { code: JSON_RPC.transportRefused, message: "Method not allowed." },
          id: null,
        }, {
          status: 405,
          headers: { Allow: "GET, POST, DELETE" },
        });
    }
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    try {
      this.#send(message, options);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Routes one outgoing message: to its POST (JSON answer, or SSE), or to the GET stream. */
  #send(message: JSONRPCMessage, options?: TransportSendOptions): void {
    const answer = isAnswer(message);
    const requestId = answer ? message.id : options?.relatedRequestId;
    if (requestId === undefined || requestId === null) {
      if (answer) throw new Error("Cannot send a response that answers no request");
      const data = JSON.stringify(message);
      // Recorded even with no stream open: a client reconnecting with Last-Event-ID gets it.
      const eventId = this.options.eventStore.record(STANDALONE, data);
      this.#standalone?.send(data, eventId);
      return;
    }
    const exchange = this.#inFlight.get(requestId);
    if (!exchange) throw new Error(`No connection established for request ID: ${String(requestId)}`);
    if (!answer) {
      this.#upgrade(exchange);
      this.#emit(exchange, message);
      return;
    }
    exchange.answers.set(requestId, message);
    if (!exchange.respond) this.#emit(exchange, message);
    if (exchange.answers.size < exchange.ids.length) return;
    for (const id of exchange.ids) this.#inFlight.delete(id);
    if (exchange.respond) {
      this.#quiet.delete(exchange);
      const answers = exchange.ids.map((id) => exchange.answers.get(id));
      exchange.respond(
        Response.json(answers.length === 1 ? answers[0] : answers, { headers: this.#headers() }),
      );
      exchange.respond = undefined;
    } else {
      exchange.sse?.end();
      exchange.sse = undefined;
    }
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#quiet.clear();
    for (const exchange of new Set(this.#inFlight.values())) {
      exchange.respond?.(this.#refuse(404, UNKNOWN_SESSION, "Session closed"));
      exchange.respond = undefined;
      exchange.sse?.end();
    }
    this.#inFlight.clear();
    this.#standalone?.end();
    this.#standalone = undefined;
    this.onclose?.();
    return Promise.resolve();
  }

  #post(request: Request, body: PostedBody): Promise<Response> | Response {
    const accept = request.headers.get("accept") ?? "";
    if (!accept.includes("application/json") || !accept.includes("text/event-stream")) {
      return this.#refuse(
        406,
        JSON_RPC.transportRefused,
        "Not Acceptable: Client must accept both application/json and text/event-stream",
      );
    }
    if (!isJsonContentType(request.headers.get("content-type"))) {
      return this.#refuse(
        415,
        JSON_RPC.transportRefused,
        "Unsupported Media Type: Content-Type must be application/json",
      );
    }
    if (Array.isArray(body.parsedBody) && body.parsedBody.length > MAX_BATCH) {
      return this.#refuse(
        400,
        JSON_RPC.invalidRequest,
        `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`,
      );
    }
    let messages: JSONRPCMessage[];
    try {
      messages = body.message ? [body.message] : parseMessages(body.parsedBody);
    } catch {
      return this.#refuse(400, JSON_RPC.parseError, "Parse error: Invalid JSON-RPC message");
    }
    const initialize = messages.filter(isRequest).find((message) => message.method === "initialize");
    if (initialize) {
      if (this.sessionId !== undefined) {
        return this.#refuse(400, JSON_RPC.invalidRequest, "Invalid Request: Server already initialized");
      }
      if (messages.length > 1) {
        return this.#refuse(
          400,
          JSON_RPC.invalidRequest,
          "Invalid Request: Only one initialization request is allowed",
        );
      }
      this.sessionId = crypto.randomUUID();
      this.options.onsessioninitialized(this.sessionId);
    } else {
      const refused = this.#checkSession(request);
      if (refused) return refused;
    }

    const ids = messages.filter(isRequest).map((message) => message.id);
    if (ids.length === 0) {
      for (const message of messages) this.onmessage?.(message, { request });
      return new Response(null, { status: 202 });
    }
    const declared = initialize?.params?.protocolVersion;
    const exchange: Exchange = {
      streamId: crypto.randomUUID(),
      ids,
      answers: new Map(),
      protocolVersion: typeof declared === "string"
        ? declared
        : request.headers.get("mcp-protocol-version") ?? DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
    };
    const response = new Promise<Response>((resolve) => exchange.respond = resolve);
    for (const id of ids) this.#inFlight.set(id, exchange);
    // A long call with nothing to say would leave the client without even headers (Node's fetch
    // gives up after 300 s): past one keep-alive interval it gets an SSE stream and keep-alives.
    if (prefersEventStream(accept)) this.#upgrade(exchange);
    else this.#quiet.add(exchange);
    // Polling (SEP-1699): a handler may end the stream early; the client resumes with Last-Event-ID.
    const polling = this.#resumable(exchange.protocolVersion)
      ? {
        closeSSEStream: () => {
          this.#upgrade(exchange);
          exchange.sse?.end();
          exchange.sse = undefined;
        },
        closeStandaloneSSEStream: () => {
          this.#standalone?.end();
          this.#standalone = undefined;
        },
      }
      : {};
    for (const message of messages) {
      this.onmessage?.(message, isRequest(message) ? { request, ...polling } : { request });
    }
    return response;
  }

  #get(request: Request): Response {
    if (!request.headers.get("accept")?.includes("text/event-stream")) {
      return this.#refuse(
        406,
        JSON_RPC.transportRefused,
        "Not Acceptable: Client must accept text/event-stream",
      );
    }
    const refused = this.#checkSession(request);
    if (refused) return refused;
    const lastEventId = request.headers.get("last-event-id");
    if (lastEventId) return this.#replay(lastEventId);
    if (this.#standalone) {
      return this.#refuse(
        409,
        JSON_RPC.transportRefused,
        "Conflict: Only one SSE stream is allowed per session",
      );
    }
    const sse: SseStream = new SseStream(this.#headers(), this.options.keepAliveMs, () => {
      if (this.#standalone === sse) this.#standalone = undefined;
    });
    this.#standalone = sse;
    return sse.takeResponse();
  }

  async #delete(request: Request): Promise<Response> {
    const refused = this.#checkSession(request);
    if (refused) return refused;
    await this.close();
    return new Response(null, { status: 200 });
  }

  /** A client reconnecting to a stream it lost: what it missed, then (if still live) the rest. */
  #replay(lastEventId: string): Response {
    const missed = this.options.eventStore.eventsAfter(lastEventId);
    if (!missed) return this.#refuse(400, JSON_RPC.transportRefused, "Invalid event ID format");
    const { streamId, events } = missed;
    const standalone = streamId === STANDALONE;
    const exchange = standalone
      ? undefined
      : [...this.#inFlight.values()].find((e) => e.streamId === streamId);
    // The client reconnects because it lost that stream, maybe before this side noticed: the new
    // connection replaces the old one (the SDK's transport answers 409 in that race).
    (standalone ? this.#standalone : exchange?.sse)?.end();
    const sse: SseStream = new SseStream(this.#headers(), this.options.keepAliveMs, () => {
      if (this.#standalone === sse) this.#standalone = undefined;
      if (exchange?.sse === sse) exchange.sse = undefined;
    });
    // A priming event is stored as "": it marks the stream's start, it is no message.
    for (const [id, data] of events) if (data) sse.send(data, id);
    if (standalone) this.#standalone = sse;
    else if (exchange) exchange.sse = sse;
    else sse.end(); // every request of that stream was answered: the replay was all of it
    return sse.takeResponse();
  }

  /** Turns a JSON-pending exchange into an SSE stream (once), starting with the priming event. */
  #upgrade(exchange: Exchange): void {
    const respond = exchange.respond;
    if (!respond) return;
    exchange.respond = undefined;
    this.#quiet.delete(exchange);
    const sse: SseStream = new SseStream(this.#headers(), this.options.keepAliveMs, () => {
      if (exchange.sse === sse) exchange.sse = undefined;
    });
    exchange.sse = sse;
    if (this.#resumable(exchange.protocolVersion)) {
      const primingId = this.options.eventStore.record(exchange.streamId, "");
      sse.prime(primingId, this.options.retryMs);
    }
    respond(sse.takeResponse());
  }

  /** Sends on an upgraded exchange's stream, keeping the event for a client that reconnects. */
  #emit(exchange: Exchange, message: JSONRPCMessage): void {
    const data = JSON.stringify(message);
    // Recorded even while the stream is closed (polling, or the client dropped it): the replay
    // on reconnection is then the only way the message reaches the client.
    const eventId = this.options.eventStore.record(exchange.streamId, data);
    exchange.sse?.send(data, eventId);
  }

  /** Empty SSE data in a priming event is understood from 2025-11-25 on. */
  #resumable(protocolVersion: string): boolean {
    return this.#supported.includes(protocolVersion) && protocolVersion >= "2025-11-25";
  }

  #checkSession(request: Request): Response | undefined {
    if (this.sessionId === undefined) {
      return this.#refuse(400, JSON_RPC.transportRefused, "Bad Request: Server not initialized");
    }
    const sent = request.headers.get("mcp-session-id");
    if (!sent) {
      return this.#refuse(400, JSON_RPC.transportRefused, "Bad Request: Mcp-Session-Id header is required");
    }
    if (sent !== this.sessionId) return this.#refuse(404, UNKNOWN_SESSION, "Session not found");
    const version = request.headers.get("mcp-protocol-version");
    if (version !== null && !this.#supported.includes(version)) {
      return this.#refuse(
        400,
        JSON_RPC.transportRefused,
        `Bad Request: Unsupported protocol version: ${version} (supported versions: ${
          this.#supported.join(", ")
        })`,
      );
    }
    return undefined;
  }

  #headers(): Record<string, string> {
    return this.sessionId === undefined ? {} : { "mcp-session-id": this.sessionId };
  }

  #refuse(status: number, code: number, message: string): Response {
    this.onerror?.(new Error(message));
    return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
  }
}

/** The messages of a parsed body: one, or a batch (each checked against the JSON-RPC schema). */
function parseMessages(body: unknown): JSONRPCMessage[] {
  return Array.isArray(body)
    ? body.map((message) => parseJSONRPCMessage(message))
    : [parseJSONRPCMessage(body)];
}

function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return "method" in message && "id" in message;
}

/** A result or error response (validated messages: the shape tells them apart). */
function isAnswer(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId | null } {
  return !("method" in message) && ("result" in message || "error" in message);
}
