/**
 * The broker's wrapping of an upstream's multi-round-trip `requestState` (2026-07-28): the
 * client gets a token that names the account, session and request it belongs to, signed with a
 * key that lives only in this process, so a retry can be checked before it reaches an upstream.
 *
 * Kept rather than the SDK's `createRequestStateCodec`: the broker must bind the state to the
 * account it was issued for (a retry after a switch must be refused, not rerouted) and carry
 * the upstream's own state inside. Tokens expire, so a leaked one is not a standing credential.
 */
import { constantTimeEqual, hmacSha256 } from "../crypto.ts";
import { isRecord } from "../values.ts";

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
/** How long a client has to answer: a person may take a while to fill in a form. */
export const ROUND_TTL_MS = 60 * 60 * 1000;

/** Signs and checks wrapped states with a per-process random key (or a given one, for tests). */
export class RequestStateSigner {
  readonly #key: Uint8Array;
  readonly #now: () => number;

  constructor(key: Uint8Array = crypto.getRandomValues(new Uint8Array(32)), now: () => number = Date.now) {
    this.#key = key;
    this.#now = now;
  }

  /** The opaque token handed to the client. */
  wrap(round: RoundState): string {
    const payload = new TextEncoder().encode(
      JSON.stringify({ ...round, expires: this.#now() + ROUND_TTL_MS }),
    )
      .toBase64({ alphabet: "base64url", omitPadding: true });
    return `${PREFIX}.${payload}.${this.#sign(payload)}`;
  }

  /** The round a token stands for, or why it cannot be trusted. */
  unwrap(token: string): { ok: true; round: RoundState } | { ok: false; problem: string } {
    const [prefix, payload, signature, ...rest] = token.split(".");
    if (prefix !== PREFIX || !payload || !signature || rest.length > 0) {
      return { ok: false, problem: "requestState was not issued by JanusMCP" };
    }
    if (!constantTimeEqual(this.#sign(payload), signature)) {
      return { ok: false, problem: "requestState was altered, or issued by another JanusMCP process" };
    }
    const decoded = decodeRound(payload);
    if (!decoded) return { ok: false, problem: "requestState is malformed" };
    if (decoded.expires < this.#now()) return { ok: false, problem: "requestState has expired" };
    return { ok: true, round: decoded.round };
  }

  #sign(payload: string): string {
    return hmacSha256(this.#key, payload).toBase64({ alphabet: "base64url", omitPadding: true });
  }
}

/** A signed payload back into a round; undefined when its shape is not one `wrap` makes. */
function decodeRound(payload: string): { round: RoundState; expires: number } | undefined {
  let value: unknown;
  try {
    const bytes = Uint8Array.fromBase64(payload, { alphabet: "base64url" });
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { account, session, method, target, upstream, bridged, expires } = value;
  if (
    typeof account !== "string" || typeof session !== "string" || typeof method !== "string" ||
    typeof target !== "string" || typeof expires !== "number" ||
    (upstream !== undefined && typeof upstream !== "string") ||
    (bridged !== undefined && typeof bridged !== "string")
  ) return undefined;
  return {
    round: {
      account,
      session,
      method,
      target,
      ...(upstream === undefined ? {} : { upstream }),
      ...(bridged === undefined ? {} : { bridged }),
    },
    expires,
  };
}
