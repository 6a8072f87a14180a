/**
 * Who made the calls in flight on one connection. An upstream that asks for input mid-call, or
 * logs, does not say which call it is for, so it goes to the one conversation with calls in
 * flight; with several, nobody is asked — guessing could show one conversation's prompt to another.
 * A call waiting for its client's answer to a question it already asked is not counted for a new
 * question: otherwise one 2026 client that never answers its round (which it may) kept every other
 * conversation on the account from being asked anything until the round expired (10 minutes).
 */
import { ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/client";
import type { Caller, UpstreamResult } from "./call_types.ts";

/** The callers of one connection's calls in flight, newest last. */
export class CallsInFlight {
  readonly #callers = new Map<number, Caller>();
  #seq = 0;

  /** Registers a call (its caller, when it has one); returns the id to remove it by. */
  add(caller: Caller | undefined): number {
    const id = ++this.#seq;
    if (caller) this.#callers.set(id, caller);
    return id;
  }

  /** How many calls with a caller are in flight. */
  get size(): number {
    return this.#callers.size;
  }

  /** The call ended. */
  remove(id: number): void {
    this.#callers.delete(id);
  }

  /** The newest call in flight, when every call in flight comes from one conversation. */
  sole(): Caller | undefined {
    const callers = [...this.#callers.values()];
    return new Set(callers.map((c) => c.session)).size === 1 ? callers.at(-1) : undefined;
  }

  /** Relays an upstream's mid-call request to the one conversation that can be asked, or says why none can. */
  async ask(method: string, params: Record<string, unknown> | undefined): Promise<UpstreamResult> {
    const all = [...this.#callers.values()];
    const running = all.filter((caller) => caller.waiting?.() !== true);
    // Only waiting calls: one of them asks again (several questions at once arrive one by one).
    const callers = running.length > 0 ? running : all;
    // Servers ask for roots at start (server-filesystem, server-everything): outside any call the
    // account has none to give. A refusal there made them log a failure on every start.
    if (callers.length === 0 && method === "roots/list") return { roots: [] };
    if (callers.length === 0) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `${method}: no call is in progress, so there is no client to ask`,
      );
    }
    if (new Set(callers.map((c) => c.session)).size > 1) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `${method}: calls from several conversations are in progress on this account; cannot tell which to ask`,
      );
    }
    const ask = callers.at(-1)?.ask;
    if (!ask) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `${method}: the calling client cannot be asked mid-call (it speaks 2026-07-28, which has no server-to-client requests)`,
      );
    }
    return await ask({ method, params });
  }
}
