/**
 * A stdio broker that lets the daemon do the work (opt-in with JANUS_DAEMON=auto|require): a
 * 2025-11-25 client's messages are relayed unchanged to a session of its own on the daemon's
 * /mcp, so it gets the daemon's warm upstreams while its session, its identity (its own choice
 * in `session` binding mode) and its list_changed notifications are exactly what the daemon's
 * routing core gives any session. A 2026-07-28 client (no initialize) is served in-process,
 * because over HTTP that revision is stateless and could not hold a session choice.
 */
import { JSON_RPC } from "../errors.ts";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  isInitializeRequest,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type Transport,
} from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import type { DaemonMetadata } from "./metadata.ts";

/** The relay's own pings keep its daemon session from expiring while the client is idle. */
const KEEPALIVE_MS = 10 * 60 * 1000;
const KEEPALIVE_ID = "janus-relay-keepalive-";

/** How the stdio side is served when the client is not one the daemon can take. */
export type ServeLocally = (wire: Transport) => Promise<void>;

/**
 * Reads the client's first message from stdin, then relays the whole conversation to the daemon
 * (a 2025 `initialize`) or hands the wire, first message included, to `local`. Resolves when
 * the client closes stdin, `stop` resolves, or the daemon goes away.
 */
export async function serveStdioThroughDaemon(
  daemon: DaemonMetadata,
  options: { log(line: string): void; local: ServeLocally; stop: Promise<void> },
): Promise<void> {
  const wire = new StdioServerTransport();
  const inbox = new Inbox(wire);
  await wire.start();
  const first = await inbox.first();
  if (first === undefined) return; // stdin closed before a word
  if (!isInitializeRequest(first)) {
    options.log("the client speaks 2026-07-28: serving it in-process, not through the daemon");
    return await options.local(inbox.replay());
  }
  options.log(`serving through the daemon at ${daemon.endpoint} (pid ${daemon.pid})`);
  await relay(wire, inbox, daemon, options);
}

/** Relays every message both ways until either side ends. */
async function relay(
  wire: StdioServerTransport,
  inbox: Inbox,
  daemon: DaemonMetadata,
  options: { log(line: string): void; stop: Promise<void> },
): Promise<void> {
  const http = new StreamableHTTPClientTransport(new URL(`${daemon.endpoint}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${daemon.token}` } },
  });
  let initializeId: string | number | undefined;
  let finish = () => {};
  const finished = new Promise<void>((resolve) => finish = resolve);
  http.onmessage = (message) => {
    if (isJSONRPCResultResponse(message) && String(message.id).startsWith(KEEPALIVE_ID)) return;
    // The SDK client would remember the negotiated revision for its headers; so must a relay.
    if (isJSONRPCResultResponse(message) && message.id === initializeId) {
      const version = message.result.protocolVersion;
      if (typeof version === "string") http.setProtocolVersion(version);
    }
    wire.send(message).catch((error: Error) => options.log(`stdio: ${error.message}`));
  };
  http.onerror = (error) => options.log(`daemon: ${error.message}`);
  http.onclose = () => finish();
  const forward = (message: JSONRPCMessage) => {
    if (isInitializeRequest(message) && isJSONRPCRequest(message)) initializeId = message.id;
    http.send(message).catch((error: Error) => {
      if (!isJSONRPCRequest(message)) return;
      // The client must not wait forever for an answer the daemon never got.
      wire.send({
        jsonrpc: "2.0",
        id: message.id,
        error: {
          code: JSON_RPC.internalError,
          message: `the JanusMCP daemon did not take the request: ${error.message}`,
        },
      }).catch(() => {});
    });
  };
  wire.onclose = () => finish();
  await http.start();
  inbox.drainTo(forward);
  // The daemon closes sessions idle for an hour; an LLM client may sit idle far longer.
  let pings = 0;
  const keepalive = setInterval(() => {
    if (http.sessionId === undefined) return;
    http.send({ jsonrpc: "2.0", id: `${KEEPALIVE_ID}${++pings}`, method: "ping" }).catch(() => {});
  }, KEEPALIVE_MS);
  await Promise.race([finished, options.stop]);
  clearInterval(keepalive);
  // Ends this client's session on the daemon (its subscriptions and choice go with it).
  await http.terminateSession().catch(() => {});
  await http.close().catch(() => {});
  await wire.close().catch(() => {});
}

/** Holds what stdin delivers until someone takes it, so nothing is lost while deciding. */
class Inbox {
  readonly #queue: JSONRPCMessage[] = [];
  #deliver?: (message: JSONRPCMessage) => void;
  #waiting?: (message: JSONRPCMessage | undefined) => void;
  #closed = false;

  constructor(private readonly wire: StdioServerTransport) {
    wire.onmessage = (message) => {
      if (this.#deliver) return this.#deliver(message);
      this.#queue.push(message);
      this.#waiting?.(message);
    };
    wire.onclose = () => {
      this.#closed = true;
      this.#waiting?.(undefined);
    };
  }

  /** The first message, or undefined when stdin closed first. */
  first(): Promise<JSONRPCMessage | undefined> {
    if (this.#queue.length > 0 || this.#closed) return Promise.resolve(this.#queue[0]);
    return new Promise((resolve) => this.#waiting = resolve);
  }

  /** Sends everything held, then every later message, to `deliver`. */
  drainTo(deliver: (message: JSONRPCMessage) => void): void {
    this.#waiting = undefined;
    for (const message of this.#queue.splice(0)) deliver(message);
    this.#deliver = deliver;
  }

  /** A transport over the same stdin/stdout that first delivers what was held. */
  replay(): Transport {
    const wire = this.wire;
    const transport: Transport = {
      start: () => {
        // The wire is already started; what it read so far goes first, in order.
        this.drainTo((message) => transport.onmessage?.(message));
        if (this.#closed) queueMicrotask(() => transport.onclose?.());
        return Promise.resolve();
      },
      send: (message) => wire.send(message),
      close: () => wire.close(),
    };
    wire.onclose = () => transport.onclose?.();
    wire.onerror = (error) => transport.onerror?.(error);
    return transport;
  }
}
