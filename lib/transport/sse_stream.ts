/** One server-sent-events response body: JSON-RPC messages as `message` events, with keep-alives. */
import type { JSONRPCMessage } from "@modelcontextprotocol/server";

const encoder = new TextEncoder();
/** The SDK's default: a comment every 15 s keeps idle streams open through intermediaries. */
export const KEEP_ALIVE_MS = 15_000;
const SSE_HEADERS = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};

/** An SSE response and the writer of its events; writes after the client left are dropped. */
export class SseStream {
  readonly response: Response;
  #controller?: ReadableStreamDefaultController<Uint8Array>;
  #timer?: ReturnType<typeof setInterval>;

  /** `onGone` runs when the client disconnects (not when `end` is called). */
  constructor(headers: Record<string, string>, keepAliveMs = KEEP_ALIVE_MS, onGone: () => void = () => {}) {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.#stop();
        onGone();
      },
    });
    this.response = new Response(body, { headers: { ...SSE_HEADERS, ...headers } });
    if (keepAliveMs > 0) {
      const timer = setInterval(() => this.#write(": keepalive\n\n"), keepAliveMs);
      Deno.unrefTimer(Number(timer));
      this.#timer = timer;
    }
  }

  /** The first event: an id to resume from (and the reconnect delay), no data. */
  prime(eventId: string, retryMs?: number): void {
    this.#write(`id: ${eventId}\n${retryMs === undefined ? "" : `retry: ${retryMs}\n`}data: \n\n`);
  }

  /** Writes one message as an event (with its id when the session keeps events). */
  send(message: JSONRPCMessage, eventId?: string): void {
    this.#write(`event: message\n${eventId ? `id: ${eventId}\n` : ""}data: ${JSON.stringify(message)}\n\n`);
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
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
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
