/**
 * Resource subscriptions of 2026-07-28 clients. They do not send `resources/subscribe`: they name
 * resource URIs on a `subscriptions/listen` stream, which the SDK serves at the transport entry
 * without telling the server. The transports read those URIs off the listen request, subscribe
 * the broker session to them before the stream is acknowledged (so no update after the
 * acknowledgement is lost), and unsubscribe when the last stream naming a URI ends.
 */
import { isRecord } from "../values.ts";

/** One subscriber's view: subscribe and unsubscribe one URI (the broker, bound to a session). */
export interface ResourceFollower {
  subscribe(uri: string): Promise<void>;
  unsubscribe(uri: string): Promise<void>;
}

/** URIs counted across the listen streams of one broker session. */
export class ListenResources {
  readonly #counts = new Map<string, number>();
  #chain: Promise<void> = Promise.resolve();

  constructor(private readonly follower: ResourceFollower, private readonly log: (line: string) => void) {}

  /**
   * Counts one stream's URIs; resolves once those newly followed are subscribed. A URI that
   * cannot be subscribed is logged and the stream still opens for the others.
   */
  acquire(uris: readonly string[]): Promise<void> {
    const fresh = uris.filter((uri) => {
      const count = this.#counts.get(uri) ?? 0;
      this.#counts.set(uri, count + 1);
      return count === 0;
    });
    return this.#then(async () => {
      for (const uri of fresh) {
        // Re-checked when it runs: the stream may already have ended.
        if ((this.#counts.get(uri) ?? 0) === 0) continue;
        await this.follower.subscribe(uri).catch((error) =>
          this.log(
            `subscriptions/listen: cannot follow ${uri}: ${error instanceof Error ? error.message : error}`,
          )
        );
      }
    });
  }

  /** Uncounts one stream's URIs (it ended); the last one out unsubscribes. */
  release(uris: readonly string[]): Promise<void> {
    const gone = uris.filter((uri) => {
      const count = (this.#counts.get(uri) ?? 0) - 1;
      if (count > 0) this.#counts.set(uri, count);
      else this.#counts.delete(uri);
      return count <= 0;
    });
    return this.#then(async () => {
      for (const uri of gone) {
        if (this.#counts.has(uri)) continue; // followed again meanwhile
        await this.follower.unsubscribe(uri).catch(() => {});
      }
    });
  }

  #then(work: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(work);
    this.#chain = run.catch(() => {});
    return run;
  }
}

/** The resource URIs a `subscriptions/listen` request names, or undefined for any other message. */
export function listenedResources(message: unknown): { id: string | number; uris: string[] } | undefined {
  if (!isRecord(message) || message.method !== "subscriptions/listen") return undefined;
  if (typeof message.id !== "string" && typeof message.id !== "number") return undefined;
  const notifications = isRecord(message.params) ? message.params.notifications : undefined;
  const uris = isRecord(notifications) && Array.isArray(notifications.resourceSubscriptions)
    ? notifications.resourceSubscriptions.filter((uri): uri is string => typeof uri === "string")
    : [];
  return uris.length ? { id: message.id, uris: [...new Set(uris)] } : undefined;
}

/** The request a `notifications/cancelled` message cancels, if it is one. */
export function cancelledRequest(message: unknown): string | number | undefined {
  if (!isRecord(message) || message.method !== "notifications/cancelled" || !isRecord(message.params)) {
    return undefined;
  }
  const id = message.params.requestId;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

/** The same response, calling `ended` once when its body finishes or the client goes away. */
export function onResponseEnd(response: Response, signal: AbortSignal, ended: () => void): Response {
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    ended();
  };
  signal.addEventListener("abort", finish, { once: true });
  if (!response.body) {
    finish();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: finished, value } = await reader.read();
        if (finished) {
          controller.close();
          finish();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        finish();
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason).catch(() => {});
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
