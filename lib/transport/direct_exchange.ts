/**
 * The 2026-07-28 HTTP exchange without the SDK's repeated sorting. `createMcpHandler` connects each
 * request's server to a fresh `PerRequestHTTPServerTransport`; that transport then hands the
 * request to the `Protocol`, which sorts it by zod schemas (result and error schemas fail first,
 * each failure building a zod error), and the `Protocol` hands the server's answer back to the
 * transport's `send`, which sorts it again (result schema, then the error schema fails: 5–8 µs a
 * call in the December profiles). Both sorts repeat what is already known: the transport checked
 * the request schema itself just before handing the message on, and the answer is the result
 * response the `Protocol` built.
 *
 * So, for a transport that still has the members relied on (pinned with the SDK functions mirrored
 * by tests/transport/direct_exchange_test.ts): the request goes to the server's request dispatch,
 * and a result response takes the transport's own result branch. Everything else (notifications,
 * error responses, anything unexpected) takes the SDK's own path, as do all messages when a member
 * is missing (another SDK version).
 */
import {
  type JSONRPCMessage,
  type MessageExtraInfo,
  PerRequestHTTPServerTransport,
  type RequestId,
  type Server,
  type Transport,
  type TransportSendOptions,
} from "@modelcontextprotocol/server";
import { isRecord } from "../values.ts";

/** What is used of the per-request transport beyond its public type (private in the SDK). */
interface Exchange extends Transport {
  _closed: boolean;
  _requestId?: RequestId;
  _terminalDelivered: boolean;
  _dispatchWindowOpen: boolean;
  _sse?: unknown;
  _responseMode: string;
  settleResponse(response: Response): void;
  upgradeToSse(): void;
  writeMessageFrame(message: JSONRPCMessage): void;
  finalizeStream(): void;
}

/** What is used of a server beyond its public type. */
interface Dispatching {
  _onrequest?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
}

/** Makes every exchange `server` is connected to skip the re-sorting (see the module comment). */
export function directExchanges(server: Server): void {
  const onrequest = (server as unknown as Dispatching)._onrequest;
  if (typeof onrequest !== "function") return;
  const connect = server.connect.bind(server);
  server.connect = async (transport) => {
    await connect(transport);
    if (isExchange(transport)) directExchange(server, onrequest, transport);
  };
}

/** Whether `transport` is a per-request transport with every member this file relies on. */
export function isExchange(transport: Transport): transport is Exchange {
  if (!(transport instanceof PerRequestHTTPServerTransport)) return false;
  const t = transport as unknown as Record<string, unknown>;
  return typeof t._closed === "boolean" && "_requestId" in t && typeof t._terminalDelivered === "boolean" &&
    typeof t._dispatchWindowOpen === "boolean" && "_sse" in t && typeof t._responseMode === "string" &&
    typeof t.settleResponse === "function" && typeof t.upgradeToSse === "function" &&
    typeof t.writeMessageFrame === "function" && typeof t.finalizeStream === "function";
}

function directExchange(
  server: Server,
  onrequest: NonNullable<Dispatching["_onrequest"]>,
  exchange: Exchange,
): void {
  const sorted = exchange.onmessage;
  if (sorted) {
    exchange.onmessage = (message, extra) => {
      // `handleMessage` sets `_requestId` only for a message that passed the request schema, then
      // opens the dispatch window around this call: that message can be nothing but a request.
      if (
        exchange._dispatchWindowOpen && exchange._requestId !== undefined && "method" in message &&
        "id" in message && message.id === exchange._requestId
      ) {
        onrequest.call(server, message, extra);
      } else sorted(message, extra);
    };
  }
  const sdkSend = exchange.send.bind(exchange);
  exchange.send = (message, options) =>
    isResultResponse(message) ? sendResult(exchange, message, sdkSend, options) : sdkSend(message, options);
}

/**
 * The per-request transport's `send` for a message `isJSONRPCResultResponse` accepts (mirrors its
 * branch for one; a result has no error code, hence no ladder status). An id other than the
 * exchange's own goes to the SDK's `send`, which reports it.
 */
// deno-lint-ignore require-await -- the SDK's send is async: a throw must become a rejection
async function sendResult(
  exchange: Exchange,
  message: JSONRPCMessage & { id: RequestId },
  sdkSend: (message: JSONRPCMessage, options?: TransportSendOptions) => Promise<void>,
  options?: TransportSendOptions,
): Promise<void> {
  if (exchange._closed) return;
  if (exchange._requestId === undefined || message.id !== exchange._requestId) {
    return sdkSend(message, options);
  }
  if (exchange._terminalDelivered) return;
  exchange._terminalDelivered = true;
  if (exchange._sse !== undefined || exchange._responseMode === "sse") {
    if (exchange._sse === undefined) exchange.upgradeToSse();
    exchange.writeMessageFrame(message);
    exchange.finalizeStream();
    return;
  }
  exchange.settleResponse(
    Response.json(message, { status: 200, headers: { "Content-Type": "application/json" } }),
  );
  queueMicrotask(() => void exchange.close());
}

/**
 * Whether the SDK's `JSONRPCResultResponseSchema` (a strict object: `jsonrpc` "2.0", an id, a
 * `result` object whose `_meta`, if any, is an object) certainly accepts `message`. Stricter where
 * convenient (a safe integer id, `_meta` present only as an object): a message refused here only
 * takes the SDK's own `send`.
 */
export function isResultResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } {
  if (!("result" in message) || "method" in message || "error" in message) return false;
  const fields = message as unknown as Record<string, unknown>;
  if (fields.jsonrpc !== "2.0" || !(typeof fields.id === "string" || Number.isSafeInteger(fields.id))) {
    return false;
  }
  if (Object.keys(fields).length !== 3) return false; // strict: jsonrpc, id and result only
  const result = fields.result;
  return isRecord(result) && (!("_meta" in result) || isRecord(result._meta));
}
