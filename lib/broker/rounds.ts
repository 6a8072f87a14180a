/**
 * Multi-round-trip requests (2026-07-28 `input_required`): when an upstream needs input, the
 * client gets the upstream's questions and a signed `requestState` naming the account, session
 * and request; its retry is checked against that before anything reaches an upstream.
 */
import { JanusError } from "../errors.ts";
import type { UpstreamResult } from "../upstream/mod.ts";
import type { RelayedCall } from "./request.ts";
import { RequestStateSigner } from "./request_state.ts";

/** The methods whose results may be `input_required`. */
export const ROUND_TRIP_METHODS: ReadonlySet<string> = new Set([
  "tools/call",
  "prompts/get",
  "resources/read",
]);

/** Opens and resumes rounds for one broker. */
export class Rounds {
  readonly #signer: RequestStateSigner;

  constructor(signer = new RequestStateSigner()) {
    this.#signer = signer;
  }

  /**
   * What a call resumes: the params to send upstream, with a retry's answers (and checked state)
   * put back, or the id of a bridged call parked in the input bridge.
   */
  resume(
    call: RelayedCall,
    retry: { requestState?: string; inputResponses?: Record<string, unknown> } | undefined,
  ): { params: Record<string, unknown>; bridged?: string } {
    if (retry?.requestState === undefined) {
      // Answers without a state of ours go on as they are (no copy without them: most calls).
      const inputResponses = retry?.inputResponses;
      return { params: inputResponses ? { ...call.params, inputResponses } : call.params };
    }
    const again = `call ${call.target} again from the start`;
    const unwrapped = this.#signer.unwrap(retry.requestState);
    if (!unwrapped.ok) throw new JanusError("input_required", `${unwrapped.problem}; ${again}`);
    const round = unwrapped.round;
    if (round.session !== call.session.id || round.method !== call.method || round.target !== call.target) {
      throw new JanusError(
        "input_required",
        `this requestState belongs to another request (${round.method} ${round.target}); ${again}`,
      );
    }
    if (round.account !== call.accountId) {
      throw new JanusError(
        "input_required",
        `the active account changed since this call asked for input (it was "${round.account}", now "${call.accountId}"); ${again}`,
      );
    }
    if (round.bridged !== undefined) return { params: call.params, bridged: round.bridged };
    return {
      params: {
        ...call.params,
        inputResponses: retry.inputResponses ?? {},
        ...(round.upstream === undefined ? {} : { requestState: round.upstream }),
      },
    };
  }

  /** An upstream's `input_required` result, its own state wrapped in a signed one of ours. */
  open(call: RelayedCall, result: UpstreamResult): UpstreamResult {
    const upstream = typeof result.requestState === "string" ? result.requestState : undefined;
    const requestState = this.#signer.wrap({
      account: call.accountId,
      session: call.session.id,
      method: call.method,
      target: call.target,
      upstream,
    });
    return { ...result, requestState };
  }

  /** A bridged call's questions (by key) as `input_required`, with a state naming the parked call. */
  openBridged(call: RelayedCall, parkedId: string, questions: Record<string, unknown>): UpstreamResult {
    const requestState = this.#signer.wrap({
      account: call.accountId,
      session: call.session.id,
      method: call.method,
      target: call.target,
      bridged: parkedId,
    });
    return { resultType: "input_required", inputRequests: questions, requestState };
  }
}
