/** One server-sent-events response body: JSON-RPC messages as `message` events, with keep-alives. */
const encoder = new TextEncoder();
/** The SDK's default: a comment every 15 s keeps idle streams open through intermediaries. */
export const KEEP_ALIVE_MS = 15_000;
const SSE_HEADERS = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};

/**
 * One timer per interval for every open stream, not a `setInterval` per stream: an idle 2025
 * session holds its GET stream for as long as it lives, and its timer would be part of its cost.
 * A stream's first keep-alive comes within one interval of its start, then one per interval.
 */
class KeepAlives {
  readonly #streams = new Set<SseStream>();
  #timer?: ReturnType<typeof setInterval>;

  constructor(private readonly everyMs: number) {}

  add(stream: SseStream): void {
    this.#streams.add(stream);
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      for (const open of this.#streams) open.keepAlive();
    }, this.everyMs);
    Deno.unrefTimer(Number(this.#timer));
  }

  delete(stream: SseStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size > 0 || this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

const keepAlives = new Map<number, KeepAlives>();

/**
 * An SSE response and the writer of its events; writes after the client left are dropped. The
 * stream is its own body's underlying source (no closures per stream).
 */
export class SseStream implements UnderlyingDefaultSource<Uint8Array> {
  #response?: Response;
  #controller?: ReadableStreamDefaultController<Uint8Array>;
  #keepAlives?: KeepAlives;
  readonly #onGone?: () => void;

  /** `onGone` runs when the client disconnects (not when `end` is called). */
  constructor(headers: Record<string, string>, keepAliveMs = KEEP_ALIVE_MS, onGone?: () => void) {
    this.#onGone = onGone;
    this.#response = new Response(new ReadableStream<Uint8Array>(this), {
      headers: { ...SSE_HEADERS, ...headers },
    });
    if (keepAliveMs > 0) {
      let shared = keepAlives.get(keepAliveMs);
      if (!shared) keepAlives.set(keepAliveMs, shared = new KeepAlives(keepAliveMs));
      shared.add(this);
      this.#keepAlives = shared;
    }
  }

  /** The response, for the one caller that returns it: not kept here once handed out. */
  takeResponse(): Response {
    const response = this.#response;
    if (!response) throw new Error("the SSE response was already taken");
    this.#response = undefined;
    return response;
  }

  /** Underlying source: the body starts. */
  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
  }

  /** Underlying source: the client went away. */
  cancel(): void {
    this.#stop();
    this.#onGone?.();
  }

  /** The first event: an id to resume from (and the reconnect delay), no data. */
  prime(eventId: string, retryMs?: number): void {
    this.#write(`id: ${eventId}\n${retryMs === undefined ? "" : `retry: ${retryMs}\n`}data: \n\n`);
  }

  /** Writes one serialized message (`JSON.stringify`: one line) as an event, with its id when the session keeps events. */
  send(data: string, eventId?: string): void {
    this.#write(`event: message\n${eventId ? `id: ${eventId}\n` : ""}data: ${data}\n\n`);
  }

  /** A comment that keeps intermediaries from closing an idle stream. */
  keepAlive(): void {
    this.#write(": keepalive\n\n");
  }

  /** Closes the body once what was written has been read. */
  end(): void {
    const controller = this.#controller;
    this.#stop();
    try {
      controller?.close();
    } catch {
      // already closed or errored by the client going away
    }
  }

  #write(text: string): void {
    try {
      this.#controller?.enqueue(encoder.encode(text));
    } catch {
      this.#stop(); // the body was closed or cancelled
    }
  }

  #stop(): void {
    this.#controller = undefined;
    this.#keepAlives?.delete(this);
    this.#keepAlives = undefined;
  }
}

/**
 * Whether an Accept header ranks `text/event-stream` above `application/json`: by q-value, then
 * by order (the SDK clients list JSON first; a client listing SSE first gets SSE from the start).
 */
export function prefersEventStream(accept: string): boolean {
  const lower = accept.toLowerCase();
  // The common case, asked on every POST: no q-values, so the order decides.
  if (!lower.includes(";")) {
    const sse = lower.indexOf("text/event-stream");
    const json = lower.indexOf("application/json");
    return sse >= 0 && (json < 0 || sse < json);
  }
  const rank = (type: string): [number, number] => {
    const ranges = lower.split(",");
    for (let i = 0; i < ranges.length; i++) {
      const [range, ...parameters] = ranges[i].split(";").map((part) => part.trim());
      if (range !== type) continue;
      const q = parameters.find((parameter) => parameter.startsWith("q="));
      return [q === undefined ? 1 : Number(q.slice(2)) || 0, i];
    }
    return [0, ranges.length];
  };
  const [sseQ, sseAt] = rank("text/event-stream");
  const [jsonQ, jsonAt] = rank("application/json");
  return sseQ > jsonQ || (sseQ === jsonQ && sseAt < jsonAt);
}
