/**
 * Servers for the stateless 2026-07-28 HTTP session, handed to the SDK's `createMcpHandler` as its
 * per-request factory. The handler connects each server to one exchange and closes it after the
 * answer. Building a fresh one per request (the SDK's protocol state and 11 handlers) cost about
 * 15 µs and its garbage per call (profile, December 2026), so a closed server is handed out again.
 *
 * What that relies on, checked by tests/transport/stateless_servers_test.ts: the handler refuses
 * only an instance still connected (`transport` set), marks each one modern and seeds the client's
 * identity for every request, and restores the `onclose` it found. The broker's handlers read the
 * client's name, capabilities and log level from each request's envelope, never from the instance.
 * A server closed while one of its handlers still runs (its client went away mid-call) is dropped,
 * not reused: that handler could otherwise notify through the next request's exchange.
 */
import { Protocol, SdkError, SdkErrorCode, type Server } from "@modelcontextprotocol/server";
import type { BuiltServer } from "./session_server.ts";
import { directExchanges } from "./direct_exchange.ts";

/** Idle servers kept at most: about the concurrency a busy local client reaches. */
const MAX_IDLE = 16;

/** A pool of one session's servers: `take` is the factory. */
export class StatelessServers {
  readonly #idle: Server[] = [];
  #built = 0;

  constructor(private readonly build: () => BuiltServer) {}

  /** How many servers were built so far (the rest of the requests reused one). */
  get built(): number {
    return this.#built;
  }

  /** A server not serving any request: an idle one, or a new one. */
  readonly take = (): Server => {
    const idle = this.#idle.pop();
    if (idle) return idle;
    const { server, running } = this.build();
    this.#built++;
    closeWithSharedError(server);
    directExchanges(server);
    server.onclose = () => {
      if (running() === 0 && this.#idle.length < MAX_IDLE) this.#idle.push(server);
    };
    return server;
  };
}

/**
 * The SDK's `Protocol` state that its `_onclose` tears down (private members, pinned by
 * tests/transport/stateless_servers_test.ts).
 */
interface ProtocolState {
  _onclose(): void;
  _transport: unknown;
  _responseHandlers: Map<unknown, (response: SdkError) => void>;
  _progressHandlers: Map<unknown, unknown>;
  _pendingDebouncedNotifications: Set<unknown>;
  _timeoutInfo: Map<unknown, { timeoutId: number }>;
  _requestHandlerAbortControllers: Map<unknown, AbortController>;
}

/**
 * Whether `server` still has the private members `closeWithSharedError` relies on, and closes
 * with Protocol's own `_onclose` (a Server override would have teardown of its own to keep).
 */
export function hasProtocolState(server: Server): boolean {
  const state = server as unknown as Record<string, unknown>;
  const protocolClose = (Protocol.prototype as unknown as Record<string, unknown>)._onclose;
  return typeof state._onclose === "function" && state._onclose === protocolClose && "_transport" in state &&
    state._responseHandlers instanceof Map && state._progressHandlers instanceof Map &&
    state._pendingDebouncedNotifications instanceof Set && state._timeoutInfo instanceof Map &&
    state._requestHandlerAbortControllers instanceof Map;
}

/**
 * Makes `server`'s close hand one shared "Connection closed" error to whatever is still waiting,
 * instead of the SDK's new one per close. The SDK's `_onclose` builds that error (a stack capture
 * and its brand stamping) on every close, even when nothing waits but the finished request's abort
 * controller: 11–17 µs of the 2026 HTTP path per call (profile, December 2026), since the handler
 * closes each exchange's server. The teardown is otherwise the SDK's: pending responses rejected,
 * timeouts cleared, handlers' signals aborted with a ConnectionClosed `SdkError`. When the SDK's
 * members are not the expected ones (a new SDK), its own `_onclose` stays.
 */
export function closeWithSharedError(server: Server): void {
  if (!hasProtocolState(server)) return;
  const state = server as unknown as ProtocolState;
  state._onclose = () => {
    const responseHandlers = state._responseHandlers;
    state._responseHandlers = new Map();
    state._progressHandlers.clear();
    state._pendingDebouncedNotifications.clear();
    for (const info of state._timeoutInfo.values()) clearTimeout(info.timeoutId);
    state._timeoutInfo.clear();
    const controllers = state._requestHandlerAbortControllers;
    state._requestHandlerAbortControllers = new Map();
    state._transport = undefined;
    try {
      server.onclose?.();
    } finally {
      for (const handler of responseHandlers.values()) handler(CONNECTION_CLOSED);
      for (const controller of controllers.values()) controller.abort(CONNECTION_CLOSED);
    }
  };
}

/** What the SDK's close hands to requests still waiting; shared, since nothing reads its stack. */
const CONNECTION_CLOSED = new SdkError(SdkErrorCode.ConnectionClosed, "Connection closed");
