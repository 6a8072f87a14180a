/**
 * Hands a stdio upstream's results straight to the SDK client's response dispatch. The client's
 * `Protocol` sorts every incoming message by zod schemas, and a result passes the result schema
 * only after walking it (4.6 µs for an `echo` result, SDK 2.4.0), though the broker's frame reader
 * already checked it (`triageFrame`: only what the SDK schema accepts comes through). A message
 * with `id` and `result` and neither `method` nor `error` is what that schema accepts as a result,
 * so it goes to `_onresponse` — where the `Protocol` would send it — and everything else to the
 * `Protocol`'s own handler. Installed under the list screening (`screenListResponses` wraps this),
 * so list results are still screened first.
 *
 * `_onresponse` is private in the SDK's types; without it (another SDK version) nothing changes
 * (tests/upstream/direct_replies_test.ts pins what this relies on).
 */
import type { Client, JSONRPCMessage, Transport } from "@modelcontextprotocol/client";

/** Routes results on `transport` (connected to `client`) to the client's response dispatch. */
export function directReplies(transport: Transport, client: Client): void {
  const dispatching = client as unknown as { _onresponse?: (message: JSONRPCMessage) => void };
  const sorted = transport.onmessage;
  if (!sorted || typeof dispatching._onresponse !== "function") return;
  const respond = dispatching._onresponse.bind(client);
  transport.onmessage = (message, extra) => {
    if (isResult(message)) respond(message);
    else sorted(message, extra);
  };
}

/** A result response, among messages the SDK schema accepted. */
function isResult(message: JSONRPCMessage): boolean {
  return "result" in message && "id" in message && !("method" in message) && !("error" in message);
}
