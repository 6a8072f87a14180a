/**
 * Hands a pinned stdio session's messages straight to its SDK server instead of through
 * `serveStdio`'s entry. Once `serveStdio` pinned an instance, its entry mostly forwards: a message
 * goes through an async queue to the instance's channel, whose `Protocol` then sorts it by trying
 * zod schemas in turn — a request first fails the result and the error schemas (each failure
 * builds a zod error: 10–11 µs a request together, SDK 2.4.0). The broker's wire has already
 * sorted every frame (a message the SDK schema accepts, with `method` and `id` and no
 * `result`/`error`, is a request only), so a request goes to the server's request dispatch
 * directly, and every other message to the channel's own handler (the `Protocol`'s sorting):
 * nothing skips what the SDK does with a message, only the re-sorting and the queue hop.
 *
 * What the entry itself serves on a 2026-07-28 connection still goes to it: `subscriptions/listen`,
 * `notifications/cancelled` (it may end a listen stream), a late `initialize` (refused there) and
 * `server/discover`. Direct delivery starts only once the entry delivered everything it was handed
 * and the instance is pinned (2025: connected after its opening message; 2026: a request other than
 * `server/discover` was delivered, which is what pins it), so no message overtakes one queued
 * before. The dispatch method is private in the SDK's types; when it is missing (another SDK
 * version) the entry is used as before (tests/transport/direct_dispatch_test.ts pins what this
 * relies on).
 */
import type { JSONRPCMessage, MessageExtraInfo, Server, Transport } from "@modelcontextprotocol/server";

/**
 * What is used of `serveStdio`'s channel (the instance's transport) beyond its public type: its
 * `send` sorts every outgoing message by zod schemas (a result response is checked as a result,
 * then on a 2026 connection as a notification, which fails and builds a zod error: 3–5 µs a call
 * in the December profiles) only to settle the request's id and let notifications be rewritten
 * onto listen streams. A response the server built itself (`id`, no `method`) needs neither
 * sorting: it settles its id and goes to the wire, as the channel would send it.
 */
interface Channel extends Transport {
  _wire?: Transport;
  _closed?: boolean;
  _settle?: (id: string | number) => void;
}

/** What is used of a server beyond its public type. */
interface Dispatching {
  transport?: Transport;
  connect(transport: Transport): Promise<void>;
  _onrequest?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
}

/** Messages a 2026-07-28 connection's entry serves or checks itself. */
const ENTRY_METHODS = new Set([
  "subscriptions/listen",
  "notifications/cancelled",
  "initialize",
  "server/discover",
]);

/** Direct delivery for one stdio connection: `adopt` its instance in the factory, `wrap` the entry. */
export class DirectDispatch {
  #server?: Dispatching;
  #deliver?: (message: JSONRPCMessage) => void;
  #modern = false;
  #pinned = false;
  #direct = false;
  #handed = 0;
  #delivered = 0;

  /** Takes the instance `serveStdio`'s factory built (before it connects). */
  adopt(server: Server, era: "legacy" | "modern"): void {
    const dispatching = server as unknown as Dispatching;
    if (typeof dispatching._onrequest !== "function") return; // another SDK: the entry stays
    // A 2026 instance built for a `server/discover` probe may be discarded: a new one replaces it.
    this.#server = undefined;
    this.#deliver = undefined;
    this.#pinned = false;
    this.#modern = era === "modern";
    const connect = dispatching.connect.bind(server);
    dispatching.connect = async (channel) => {
      await connect(channel);
      const own = channel.onmessage?.bind(channel); // the Protocol's handler, installed at connect
      if (!own) return;
      channel.onmessage = (message, extra) => {
        if (!isListen(message)) this.#delivered++;
        if (
          !this.#modern || ("id" in message && "method" in message && message.method !== "server/discover")
        ) {
          this.#pinned = true;
        }
        own(message, extra);
      };
      this.#deliver = (message) => own(message);
      this.#server = dispatching;
      sendResponsesDirectly(channel as Channel);
    };
  }

  /** The wire's new `onmessage`: direct delivery when it is safe, otherwise `entry`. */
  wrap(entry: (message: JSONRPCMessage) => void): (message: JSONRPCMessage) => void {
    return (message) => {
      const server = this.#server;
      const deliver = this.#deliver;
      // Once on, it stays on: what the entry serves itself after that is never delivered.
      this.#direct ||= this.#pinned && this.#delivered === this.#handed;
      // A closed server has no transport: the entry (which drops what comes after) takes it.
      if (!this.#direct || !server?.transport || !deliver || (this.#modern && entryServes(message))) {
        // A 2026 entry serves a listen itself (it is never delivered): only the rest are counted.
        if (!isListen(message)) this.#handed++;
        return entry(message);
      }
      if (isRequest(message)) server._onrequest?.(message, undefined);
      else deliver(message);
    };
  }
}

/** Sends the server's responses straight to the wire (see `Channel`); other messages as before. */
export function sendResponsesDirectly(channel: Channel): void {
  const wire = channel._wire;
  const settle = channel._settle?.bind(channel);
  if (!wire || typeof wire.send !== "function" || !settle || typeof channel._closed !== "boolean") return;
  const send = channel.send.bind(channel);
  channel.send = (message, options) => {
    if (!("id" in message) || "method" in message) return send(message, options);
    if (message.id !== undefined) settle(message.id);
    return channel._closed ? Promise.resolve() : wire.send(message, options);
  };
}

/**
 * For a transport whose every incoming message was already checked against the SDK's message
 * schema (the 2025 HTTP transport: `triageValue` or `parseJSONRPCMessage`), connected to `server`:
 * requests go to the server's request dispatch instead of through the `Protocol`'s sorting, which
 * fails a request against the result and the error schemas first (10–11 µs a request; 20–25 µs
 * per call in the HTTP 2025 profile with the profiler attached). Everything else, and every
 * message when the SDK lacks the dispatch, takes the `Protocol`'s own handler as before.
 */
export function requestsDirectly(server: Server, transport: Transport): void {
  const dispatching = server as unknown as Dispatching;
  const sorted = transport.onmessage;
  const onrequest = dispatching._onrequest;
  if (!sorted || typeof onrequest !== "function") return;
  transport.onmessage = (message, extra) => {
    if (isRequest(message)) onrequest.call(server, message, extra);
    else sorted(message, extra);
  };
}

/** A request, among messages the SDK schema accepted. */
function isRequest(message: JSONRPCMessage): boolean {
  return "method" in message && "id" in message && !("result" in message) && !("error" in message);
}

function isListen(message: JSONRPCMessage): boolean {
  return "method" in message && message.method === "subscriptions/listen";
}

function entryServes(message: JSONRPCMessage): boolean {
  return "method" in message && ENTRY_METHODS.has(message.method);
}
