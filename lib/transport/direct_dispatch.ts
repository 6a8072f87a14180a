/**
 * Hands a 2025-11-25 stdio session's messages straight to its SDK server instead of through
 * `serveStdio`'s entry. Once `serveStdio` pinned a legacy instance, its entry only forwards: a
 * message goes through an async queue to the instance's channel, whose `Protocol` then sorts it
 * by trying zod schemas in turn — a request first fails the result and the error schemas (each
 * failure builds a zod error: 10–11 µs a request together, SDK 2.4.0). The broker's wire has
 * already sorted every frame (`triageFrame`: a plain request is one the schema accepts unchanged
 * and that has no `result`/`error`), so a plain request goes to the server's request dispatch
 * directly, and every other message to the channel's own handler (the `Protocol`'s sorting):
 * nothing skips what the SDK does with a message, only the re-sorting and the queue hop.
 *
 * Every message of a pinned legacy session takes this path, so their order is kept. 2026-07-28
 * sessions keep the entry: it serves their `subscriptions/listen` and refuses a late `initialize`.
 * The dispatch method is private in the SDK's types; when it is missing (another SDK version) the
 * entry is used as before (tests/transport/direct_dispatch_test.ts pins what this relies on).
 */
import type { JSONRPCMessage, Server, Transport } from "@modelcontextprotocol/server";

/** What is used of a server beyond its public type. */
interface Dispatching {
  transport?: Transport;
  connect(transport: Transport): Promise<void>;
  _onrequest?: (message: JSONRPCMessage, extra?: undefined) => void;
}

/**
 * Direct delivery for one stdio connection. `adopt` the legacy instance in the `serveStdio` factory
 * (before it connects); `wrap` the entry (what `serveStdio` installed as the wire's `onmessage`).
 * Direct delivery starts once the entry has delivered everything it was handed (it delivers the
 * opening message after the instance connected): no message overtakes one still queued there.
 */
export class DirectDispatch {
  #server?: Dispatching;
  #deliver?: (message: JSONRPCMessage) => void;
  #handed = 0;
  #delivered = 0;

  /** Takes a 2025-11-25 instance: once connected, what the entry delivers to it is counted. */
  adopt(server: Server): void {
    const dispatching = server as unknown as Dispatching;
    if (typeof dispatching._onrequest !== "function") return; // another SDK: the entry stays
    const connect = dispatching.connect.bind(server);
    dispatching.connect = async (channel) => {
      await connect(channel);
      const own = channel.onmessage?.bind(channel); // the Protocol's handler, installed at connect
      if (!own) return;
      channel.onmessage = (message, extra) => {
        this.#delivered++;
        own(message, extra);
      };
      this.#deliver = (message) => own(message);
      this.#server = dispatching;
    };
  }

  /** The wire's new `onmessage`: direct delivery when it is safe, otherwise `entry`. */
  wrap(entry: (message: JSONRPCMessage) => void): (message: JSONRPCMessage) => void {
    return (message) => {
      const server = this.#server;
      const deliver = this.#deliver;
      // A closed server has no transport: the entry (which drops what comes after) takes it.
      if (!server?.transport || !deliver || this.#delivered !== this.#handed) {
        this.#handed++;
        return entry(message);
      }
      if (isPlainRequest(message)) server._onrequest?.(message, undefined);
      else deliver(message);
    };
  }
}

/**
 * A request the `Protocol` would sort as one: the wire hands on messages the SDK schema accepts,
 * and of those, one with `method` and `id` but no `result` or `error` key is a request only.
 */
function isPlainRequest(message: JSONRPCMessage): boolean {
  return "method" in message && "id" in message && !("result" in message) && !("error" in message);
}
