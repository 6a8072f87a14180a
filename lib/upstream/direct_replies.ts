/**
 * Hands a stdio upstream's results straight to the SDK client's waiting request. The client's
 * `Protocol` sorts every incoming message by zod schemas, and a result passes the result schema
 * only after walking it (4.6 µs for an `echo` result, SDK 2.4.0), though the broker's frame reader
 * already checked it (`triageFrame`: only what the SDK schema accepts comes through). A message
 * with `id` and `result` and neither `method` nor `error` is what that schema accepts as a result,
 * so it goes to the response dispatch — where the `Protocol` would send it — and everything else
 * to the `Protocol`'s own handler. Installed under the list screening (`screenListResponses` wraps
 * this), so list results are still screened first.
 *
 * The response dispatch (`_onresponse`) itself checks the result against the same schema once
 * more, only to tell a result from an error (3–5 µs a call in the December profiles). For a
 * result to a request the client numbered (every request it sends), `settle` does what that
 * dispatch then does — forget the request's handler, timer and progress handler, hand it the
 * result — and leaves anything else (an unknown id, a string id such as a listen stream's) to it.
 *
 * `_onresponse` and the maps `settle` uses are private in the SDK's types; without them (another
 * SDK version) the dispatch or the `Protocol`'s handler is used as before
 * (tests/upstream/direct_replies_test.ts pins what this relies on).
 */
import type { Client, JSONRPCMessage, Transport } from "@modelcontextprotocol/client";

/** What is used of a client beyond its public type. */
interface Dispatching {
  _onresponse?: (message: JSONRPCMessage) => void;
  _responseHandlers?: Map<number, (response: JSONRPCMessage) => void>;
  _progressHandlers?: Map<number, unknown>;
  _cleanupTimeout?: (id: number) => void;
}

/** Routes results on `transport` (connected to `client`) to the client's response dispatch. */
export function directReplies(transport: Transport, client: Client): void {
  const dispatching = client as unknown as Dispatching;
  const sorted = transport.onmessage;
  if (!sorted || typeof dispatching._onresponse !== "function") return;
  const respond = dispatching._onresponse.bind(client);
  const settle = settler(client) ?? respond;
  transport.onmessage = (message, extra) => {
    if (isResult(message)) settle(message);
    else sorted(message, extra);
  };
}

/** Settles a numbered request with its result as the `Protocol`'s response dispatch would. */
function settler(client: Client): ((message: JSONRPCMessage) => void) | undefined {
  const dispatching = client as unknown as Dispatching;
  const cleanupTimeout = dispatching._cleanupTimeout?.bind(client);
  const respond = dispatching._onresponse?.bind(client);
  if (!usable(dispatching) || !cleanupTimeout || !respond) return undefined;
  return (message) => {
    // Read each time: the SDK replaces the handler map when its connection closes.
    const handlers = dispatching._responseHandlers;
    const id = "id" in message ? message.id : undefined;
    const handler = typeof id === "number" ? handlers?.get(id) : undefined;
    if (typeof id !== "number" || !handlers || !handler) return respond(message);
    handlers.delete(id);
    cleanupTimeout(id);
    dispatching._progressHandlers?.delete(id);
    handler(message);
  };
}

function usable(dispatching: Dispatching): boolean {
  return dispatching._responseHandlers instanceof Map && dispatching._progressHandlers instanceof Map;
}

/** A result response, among messages the SDK schema accepted. */
function isResult(message: JSONRPCMessage): boolean {
  return "result" in message && "id" in message && !("method" in message) && !("error" in message);
}
