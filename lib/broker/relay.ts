/**
 * One routed request on its way to an upstream and back: a retry's round is resumed (or a parked
 * bridged call answered), a 2025 upstream asking a client that cannot be asked mid-call is
 * bridged into rounds, and the relayed result loses the upstream's own server identity.
 */
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
} from "@modelcontextprotocol/server";
import { isToolFailure, JanusError } from "../errors.ts";
import { toolError } from "./tool_results.ts";
import { isRecord } from "../values.ts";
import type { AskClient, UpstreamPool, UpstreamResult } from "../upstream/mod.ts";
import type { InFlightCalls } from "./in_flight.ts";
import { type BridgeOutcome, InputBridge } from "./input_bridge.ts";
import type { RelayedCall, RequestContext } from "./request.ts";
import { ROUND_TRIP_METHODS, Rounds } from "./rounds.ts";

/** Scrubs relayed results per account; `markScrubbed` vouches for a copy made of scrubbed parts. */
export interface ResultScrubber {
  scrubResult<T>(accountId: string, result: T): T;
  markScrubbed<T>(value: T): T;
}

/** What the relay works with. */
export interface RelayOptions {
  pool: Pick<UpstreamPool, "get">;
  /** Every upstream request runs in it: shutdown answers what is still running. */
  inFlight: InFlightCalls;
  results?: ResultScrubber;
  /** The limit on one call to an account's upstream (config `callTimeoutSeconds`). */
  callTimeoutMs(accountId: string): number;
}

/** Relays calls for one broker. */
export class Relay {
  /** Multi-round-trip calls waiting for their client's answers. */
  readonly #rounds = new Rounds();
  /** 2025 upstreams' mid-call questions to 2026 clients, waiting for the client's retry. */
  readonly #bridge = new InputBridge();

  constructor(private readonly options: RelayOptions) {}

  /**
   * Relays a tool call. A dead or unstartable upstream is a tool failure the model can read and
   * act on; a bad request (a refused retry, say) stays a protocol error.
   */
  async relayToolCall(call: RelayedCall, context: RequestContext): Promise<CallToolResult | UpstreamResult> {
    try {
      return await this.relay(call, context);
    } catch (error) {
      if (error instanceof JanusError && isToolFailure(error.code)) return toolError(error.message);
      throw error;
    }
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
    const connection = await this.options.pool.get(call.accountId, session.era);
    if (connection.era === "legacy" && !context.ask && ROUND_TRIP_METHODS.has(method)) {
      // A 2025 upstream asks mid-call, which this client cannot be: its questions become rounds.
      return await this.#bridgedRound(
        call,
        () =>
          this.#bridge.start(context, (ask, signal, sink, waiting) =>
            connection.request(method, params, {
              signal,
              timeout: this.options.callTimeoutMs(call.accountId),
              onProgress: sink.onProgress,
              // Stateless clients share one session: each call counts as its own conversation, so
              // an upstream question is never shown to another client's call.
              caller: {
                session: session.stateless ? `${session.id}/${crypto.randomUUID()}` : session.id,
                ask: askingOnly(context.upstreamMeta, ask),
                log: sink.onLog,
                waiting,
              },
            })),
      );
    }
    const raw = await this.options.inFlight.run(
      context.signal,
      (signal) =>
        connection.request(method, params, {
          signal,
          timeout: this.options.callTimeoutMs(call.accountId),
          onProgress: context.onProgress,
          allowInputRequired: ROUND_TRIP_METHODS.has(method),
          caller: { session: session.id, ask: context.ask, log: context.onLog },
          upstreamMeta: context.upstreamMeta,
          onStreamResumed: context.closeStream,
        }),
    );
    const relayed = withoutUpstreamServerInfo(this.#scrub(call.accountId, raw));
    // The upstream needs input: the client gets its questions and a signed state naming the
    // account, so the retry comes back here (and only here) with the answers.
    return this.#marked(relayed.resultType === "input_required" ? this.#rounds.open(call, relayed) : relayed);
  }

  /** A result scrubbed with the secrets of the account that produced it. */
  #scrub(accountId: string, result: UpstreamResult): UpstreamResult {
    return this.options.results?.scrubResult(accountId, result) ?? result;
  }

  /** A copy built from a scrubbed result (no new upstream text in it) stays scrubbed. */
  #marked(result: UpstreamResult): UpstreamResult {
    return this.options.results?.markScrubbed(result) ?? result;
  }

  /** A bridged round's result, or its question as `input_required` with a state naming the parked call. */
  async #bridgedRound(call: RelayedCall, round: () => Promise<BridgeOutcome>): Promise<UpstreamResult> {
    const outcome = await this.options.inFlight.run(undefined, round);
    if (outcome.kind === "result") {
      return this.#marked(withoutUpstreamServerInfo(this.#scrub(call.accountId, outcome.result)));
    }
    const questions = this.#scrub(call.accountId, outcome.questions);
    return this.#marked(this.#rounds.openBridged(call, outcome.id, questions));
  }
}

/** The client capability each mid-call request needs. */
const CAPABILITY_OF: Record<string, string> = {
  "roots/list": "roots",
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
};

/**
 * Only what the 2026 client declared it can answer is turned into a round: anything else (a
 * server asking for roots of a client that has none) is refused to the upstream at once, instead
 * of failing the client's whole call.
 */
export function askingOnly(upstreamMeta: Record<string, unknown> | undefined, ask: AskClient): AskClient {
  const declared = upstreamMeta?.[CLIENT_CAPABILITIES_META_KEY];
  if (!isRecord(declared)) return ask;
  return (request) => {
    const needed = CAPABILITY_OF[request.method];
    if (needed === undefined || declared[needed] !== undefined) return ask(request);
    return Promise.reject(
      new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `${request.method}: the calling client did not declare the "${needed}" capability`,
      ),
    );
  };
}

const SERVER_INFO_META_KEY = "io.modelcontextprotocol/serverInfo";

/** Drops the upstream's own server identity; the broker's is stamped on the way out. */
function withoutUpstreamServerInfo(result: UpstreamResult): UpstreamResult {
  if (!isRecord(result._meta) || !(SERVER_INFO_META_KEY in result._meta)) return result;
  const { [SERVER_INFO_META_KEY]: _dropped, ...meta } = result._meta;
  const { _meta: _old, ...rest } = result;
  return Object.keys(meta).length ? { ...rest, _meta: meta } : rest;
}
