/**
 * The SDK client arms a `setTimeout` for every request and clears it when the reply comes (a
 * `Timeout` object each, then `clearTimeout`): 3–6 µs a call in the December profiles of a relayed
 * `tools/call`, the largest item left in the client's reply path. A connection's requests share timers instead: requests with the same timeout fall due
 * in the order they were sent, so one web timer per timeout length waits for the oldest (the way
 * lib/transport/quiet_deadlines.ts serves HTTP calls). When one falls due, the SDK's own timeout
 * handler runs, as its timer would have run it.
 *
 * The SDK's bookkeeping (`_timeoutInfo`, which its close and progress handling read) is kept as it
 * was; only the timer behind an entry changes. A request that resets its timeout on progress or has
 * a total limit keeps the SDK's timer (the broker sends neither). `_setupTimeout`, `_cleanupTimeout`
 * and `_timeoutInfo` are private in the SDK's types; without them nothing changes
 * (tests/upstream/request_timers_test.ts pins what this relies on).
 */
import type { Client } from "@modelcontextprotocol/client";

/** One entry of the SDK's `_timeoutInfo`. */
interface TimeoutInfo {
  timeoutId: unknown;
  startTime: number;
  timeout: number;
  maxTotalTimeout?: number;
  resetTimeoutOnProgress: boolean;
  onTimeout: () => void;
}

/** What is used of a client beyond its public type. */
interface Timing {
  _timeoutInfo?: Map<number, TimeoutInfo>;
  _setupTimeout?: (
    id: number,
    timeout: number,
    maxTotalTimeout: number | undefined,
    onTimeout: () => void,
    resetTimeoutOnProgress?: boolean,
  ) => void;
  _cleanupTimeout?: (id: number) => void;
}

/** Makes `client`'s requests share timers; returns what ends them all (call it on close). */
export function shareRequestTimers(client: Client): () => void {
  const timing = client as unknown as Timing;
  const setup = timing._setupTimeout;
  const cleanup = timing._cleanupTimeout;
  if (!(timing._timeoutInfo instanceof Map) || typeof setup !== "function" || typeof cleanup !== "function") {
    return () => {};
  }
  const lanes = new Map<number, Lane>();
  timing._setupTimeout = (id, timeout, maxTotalTimeout, onTimeout, resetTimeoutOnProgress = false) => {
    const infos = timing._timeoutInfo;
    if (resetTimeoutOnProgress || maxTotalTimeout !== undefined || !infos) {
      return setup.call(client, id, timeout, maxTotalTimeout, onTimeout, resetTimeoutOnProgress);
    }
    const info: TimeoutInfo = {
      timeoutId: undefined,
      startTime: Date.now(),
      timeout,
      maxTotalTimeout,
      resetTimeoutOnProgress,
      onTimeout,
    };
    infos.set(id, info);
    let lane = lanes.get(timeout);
    if (!lane) lanes.set(timeout, lane = new Lane(timeout));
    // Only while the SDK still counts the request as pending (a close clears its entries).
    lane.add(id, () => {
      if (timing._timeoutInfo?.get(id) === info) onTimeout();
    });
  };
  timing._cleanupTimeout = (id) => {
    const infos = timing._timeoutInfo;
    const info = infos?.get(id);
    if (info && lanes.get(info.timeout)?.delete(id)) infos?.delete(id);
    else cleanup.call(client, id);
  };
  return () => {
    for (const lane of lanes.values()) lane.clear();
  };
}

/** Requests with one timeout length, oldest first, and the one timer that waits for the oldest. */
class Lane {
  /** Pending requests, when each was sent and what runs when it falls due (a Map keeps insertion order). */
  readonly #pending = new Map<number, { since: number; due: () => void }>();
  #timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly ms: number) {}

  add(id: number, due: () => void): void {
    this.#pending.set(id, { since: performance.now(), due });
    if (this.#timer === undefined) this.#arm(this.ms);
  }

  /** Whether the request was pending here; the timer is left to find nothing. */
  delete(id: number): boolean {
    return this.#pending.delete(id);
  }

  clear(): void {
    this.#pending.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#fire(), ms);
    // The request's own I/O keeps the process alive, not its timeout (a closed connection's neither).
    Deno.unrefTimer(Number(this.#timer));
  }

  #fire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const [id, { since, due }] of this.#pending) {
      const wait = since + this.ms - now;
      if (wait > 0) return this.#arm(wait);
      this.#pending.delete(id);
      due();
    }
  }
}
