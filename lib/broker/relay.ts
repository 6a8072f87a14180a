/**
 * One routed request on its way to an upstream and back: a retry's round is resumed (or a parked
 * bridged call answered), a 2025 upstream asking a client that cannot be asked mid-call is
 * bridged into rounds, and the relayed result loses the upstream's own server identity.
 */
import { isRecord } from "../values.ts";
import type { UpstreamPool, UpstreamResult } from "../upstream/mod.ts";
import { type BridgeOutcome, InputBridge } from "./input_bridge.ts";
import type { RelayedCall, RequestContext } from "./request.ts";
import { ROUND_TRIP_METHODS, Rounds } from "./rounds.ts";

/** Long tool calls are the client's to time out, not the broker's. */
const RELAY_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Relays calls for one broker and counts those in flight (for a graceful drain). */
export class Relay {
  /** Relayed requests not yet answered. */
  #inFlight = 0;
  /** Multi-round-trip calls waiting for their client's answers. */
  readonly #rounds = new Rounds();
  /** 2025 upstreams' mid-call questions to 2026 clients, waiting for the client's retry. */
  readonly #bridge = new InputBridge();

  constructor(private readonly pool: Pick<UpstreamPool, "get">) {}

  /** How many relayed requests are not yet answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Relays one call: resumes its round, bridges a 2025 upstream's questions, or sends it as is. */
  async relay(call: RelayedCall, context: RequestContext): Promise<UpstreamResult> {
    const { session, method } = call;
    const { params, bridged } = this.#rounds.resume(call, context.retry);
    if (bridged !== undefined) {
      const again = `call ${call.target} again from the start`;
      return await this.#bridgedRound(
        call,
        () => this.#bridge.resume(bridged, context.retry?.inputResponses, context, again),
      );
    }
    const connection = await this.pool.get(call.accountId, session.era);
    if (connection.era === "legacy" && !context.ask && ROUND_TRIP_METHODS.has(method)) {
      // A 2025 upstream asks mid-call, which this client cannot be: its questions become rounds.
      return await this.#bridgedRound(
        call,
        () =>
          this.#bridge.start(context, (ask, signal, sink) =>
            connection.request(method, params, {
              signal,
              timeout: RELAY_TIMEOUT_MS,
              onProgress: sink.onProgress,
              // Stateless clients share one session: each call counts as its own conversation, so
              // an upstream question is never shown to another client's call.
              caller: {
                session: session.stateless ? `${session.id}/${crypto.randomUUID()}` : session.id,
                ask,
                log: sink.onLog,
              },
            })),
      );
    }
    this.#inFlight++;
    const result = await connection.request(method, params, {
      signal: context.signal,
      timeout: RELAY_TIMEOUT_MS,
      onProgress: context.onProgress,
      allowInputRequired: ROUND_TRIP_METHODS.has(method),
      caller: { session: session.id, ask: context.ask, log: context.onLog },
      upstreamMeta: context.upstreamMeta,
      onStreamResumed: context.closeStream,
    }).finally(() => this.#inFlight--);
    const relayed = withoutUpstreamServerInfo(result);
    // The upstream needs input: the client gets its questions and a signed state naming the
    // account, so the retry comes back here (and only here) with the answers.
    return relayed.resultType === "input_required" ? this.#rounds.open(call, relayed) : relayed;
  }

  /** A bridged round's result, or its question as `input_required` with a state naming the parked call. */
  async #bridgedRound(call: RelayedCall, round: () => Promise<BridgeOutcome>): Promise<UpstreamResult> {
    this.#inFlight++;
    const outcome = await round().finally(() => this.#inFlight--);
    if (outcome.kind === "result") return withoutUpstreamServerInfo(outcome.result);
    return this.#rounds.openBridged(call, outcome.id, outcome.key, outcome.question);
  }
}

const SERVER_INFO_META_KEY = "io.modelcontextprotocol/serverInfo";

/** Drops the upstream's own server identity; the broker's is stamped on the way out. */
function withoutUpstreamServerInfo(result: UpstreamResult): UpstreamResult {
  if (!isRecord(result._meta) || !(SERVER_INFO_META_KEY in result._meta)) return result;
  const { [SERVER_INFO_META_KEY]: _dropped, ...meta } = result._meta;
  const { _meta: _old, ...rest } = result;
  return Object.keys(meta).length ? { ...rest, _meta: meta } : rest;
}
