/**
 * The broker's wrapping of an upstream's multi-round-trip `requestState` (2026-07-28): the
 * client gets a token that names the account, session and request it belongs to, signed with a
 * key that lives only in this process, so a retry can be checked before it reaches an upstream.
 */
import { Buffer } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";

/** What a wrapped state says about the round it belongs to. */
export interface RoundState {
  /** The account whose upstream asked for input. */
  account: string;
  /** The session that made the call. */
  session: string;
  /** `tools/call`, `prompts/get` or `resources/read`. */
  method: string;
  /** The tool or prompt name, or resource URI, as the client named it. */
  target: string;
  /** The upstream's own requestState, passed back to it untouched. */
  upstream?: string;
  /** A parked call of a 2025 upstream waiting for this answer (see input_bridge.ts). */
  bridged?: string;
}

const PREFIX = "janus1";

/** Signs and checks wrapped states with a per-process random key (or a given one, for tests). */
export class RequestStateSigner {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array = crypto.getRandomValues(new Uint8Array(32))) {
    this.#key = key;
  }

  /** The opaque token handed to the client. */
  wrap(round: RoundState): string {
    const payload = Buffer.from(JSON.stringify(round), "utf8").toString("base64url");
    return `${PREFIX}.${payload}.${this.#sign(payload)}`;
  }

  /** The round a token stands for, or why it cannot be trusted. */
  unwrap(token: string): { ok: true; round: RoundState } | { ok: false; problem: string } {
    const [prefix, payload, signature, ...rest] = token.split(".");
    if (prefix !== PREFIX || !payload || !signature || rest.length > 0) {
      return { ok: false, problem: "requestState was not issued by JanusMCP" };
    }
    const expected = new TextEncoder().encode(this.#sign(payload));
    const given = new TextEncoder().encode(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, problem: "requestState was altered, or issued by another JanusMCP process" };
    }
    try {
      const round = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as RoundState;
      return { ok: true, round };
    } catch {
      return { ok: false, problem: "requestState is malformed" };
    }
  }

  #sign(payload: string): string {
    return createHmac("sha256", this.#key).update(payload).digest("base64url");
  }
}
