/**
 * SEP-1699 polling through the broker. A Streamable HTTP upstream may close a call's SSE stream
 * mid-call; its client then resumes it with `Last-Event-ID`. Directly, the client sees that close
 * and polls; through the broker it would not, so when the broker's upstream client resumes a
 * stream of a call, the broker closes its own client's stream of that call too (that client then
 * resumes from the broker's event store, as it would from the upstream).
 */
import type { FetchLike } from "@modelcontextprotocol/client";

/** Event ids of calls in flight on one HTTP upstream, and what to do when one is resumed. */
export class StreamResumes {
  readonly #hooks = new Map<string, () => void>();

  /** `inner` does the fetching (the reply size limit, see reply_limit.ts). */
  constructor(private readonly inner: FetchLike = fetch) {}

  /** A fetch for the upstream transport that notices resumptions of watched streams. */
  readonly fetch: FetchLike = (input, init) => {
    const resumed = init?.method === undefined || init.method === "GET"
      ? new Headers(init?.headers).get("last-event-id")
      : null;
    if (resumed !== null) this.#hooks.get(resumed)?.();
    return this.inner(input, init);
  };

  /** Watches one call's stream: `seen` takes each event id it carries; `release` when the call ends. */
  watch(resumed: () => void): { seen(eventId: string): void; release(): void } {
    const ids: string[] = [];
    return {
      seen: (eventId) => {
        ids.push(eventId);
        this.#hooks.set(eventId, resumed);
      },
      release: () => {
        for (const id of ids) this.#hooks.delete(id);
      },
    };
  }
}
