/**
 * The size limit on what an HTTP upstream sends back (`limits.maxMessageBytes`, as for stdio
 * upstreams), applied in the fetch the Streamable HTTP client transport uses. A JSON body, or one
 * SSE event, over the limit is not kept: the request it answers gets a JSON-RPC error naming the
 * limit and the size instead, and the connection — its other calls, the rest of an SSE stream —
 * goes on. Memory stays bounded by the limit whatever the upstream sends.
 */
import { concatBytes } from "../bytes.ts";
import { JSON_RPC } from "../errors.ts";
import type { FetchLike } from "@modelcontextprotocol/client";
import { DEFAULT_MAX_MESSAGE_BYTES, errorResponse, formatBytes, idFromEdges } from "../wire/mod.ts";

/** The JSON-RPC error code for a reply the broker would not take (as for stdio upstreams). */
const REPLY_TOO_LARGE = JSON_RPC.internalError;
/** Bytes kept from each end of an oversized message: enough to read its id. */
const EDGE_BYTES = 4096;
const LF = 0x0a;
const CR = 0x0d;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Wraps `inner` so no reply over `limit` bytes (default 64 MiB) reaches the transport; `refused` hears of the ones no request can be told of. */
export function limitReplies(
  limit: number | undefined,
  refused: (problem: string) => void,
  inner: FetchLike = fetch,
): FetchLike {
  const max = limit ?? DEFAULT_MAX_MESSAGE_BYTES;
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("text/event-stream")) {
      return rebuilt(response, response.body.pipeThrough(new SseEventLimit(max, refused)));
    }
    if (!type.includes("application/json")) return response;
    return await limitJson(response, max, () => requestId(init?.body), refused);
  };
}

/** What the broker says about an oversized reply. */
function tooLarge(size: number, limit: number, exact = true): string {
  const what = exact
    ? `${formatBytes(size)} (${size} bytes)`
    : `more than ${formatBytes(size)} (${size} bytes read, then reading stopped)`;
  return `upstream reply of ${what} exceeds the limit of ${formatBytes(limit)} (limits.maxMessageBytes)`;
}

/** The id of the request a POST carries (the one its JSON reply answers), when readable. */
function requestId(body: unknown): string | number | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const message: unknown = JSON.parse(body);
    const id = typeof message === "object" && message !== null && "id" in message ? message.id : undefined;
    return typeof id === "string" || typeof id === "number" ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The same response with another body. */
function rebuilt(response: Response, body: BodyInit | null, type?: string): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  if (type) headers.set("content-type", type);
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * A JSON reply: a declared length within the limit passes untouched; otherwise the body is read
 * up to the limit and no further.
 */
async function limitJson(
  response: Response,
  limit: number,
  /** The id of the request it answers: read only for an oversized reply (it parses the request body). */
  idOfRequest: () => string | number | undefined,
  refused: (problem: string) => void,
): Promise<Response> {
  const body = response.body;
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (!body || declared <= limit) return response;
  let problem: string;
  if (declared > limit) {
    await body.cancel();
    problem = tooLarge(declared, limit);
  } else {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return rebuilt(response, new Blob(chunks as BlobPart[]));
      size += value.length;
      if (size > limit) break;
      chunks.push(value);
    }
    await reader.cancel();
    problem = tooLarge(size, limit, false);
  }
  const id = idOfRequest();
  if (id === undefined) {
    refused(`${problem}, and its request id cannot be read`);
    return new Response(null, { status: 202 });
  }
  return rebuilt(response, JSON.stringify(errorResponse(id, REPLY_TOO_LARGE, problem)), "application/json");
}

/**
 * Passes an SSE stream on one whole event at a time. An event over the limit is dropped as it
 * arrives (only its first and last bytes are kept) and replaced, when it is a response whose id
 * can be read, by an error response for that id.
 */
class SseEventLimit extends TransformStream<Uint8Array, Uint8Array> {
  constructor(limit: number, refused: (problem: string) => void) {
    /** The current event's bytes, held until its end (while within the limit). */
    let held: Uint8Array[] = [];
    /** The current event's size so far. */
    let size = 0;
    /** Set once the current event is over the limit: its first bytes and its last ones. */
    let head: Uint8Array | undefined;
    let tail = new Uint8Array(0);
    /** The previous byte ended a line (so a line end now ends the event); it was a CR. */
    let lineStart = true;
    let afterCR = false;

    const take = (piece: Uint8Array) => {
      size += piece.length;
      if (head) {
        tail = concatBytes([tail, piece]).slice(-EDGE_BYTES);
      } else if (size > limit) {
        const all = concatBytes([
          ...held.map((part) => part.subarray(0, EDGE_BYTES)),
          piece.subarray(0, EDGE_BYTES),
        ]);
        head = all.slice(0, EDGE_BYTES);
        tail = piece.slice(-EDGE_BYTES);
        held = [];
      } else held.push(piece);
    };
    const finish = (controller: TransformStreamDefaultController<Uint8Array>) => {
      if (head) {
        const answer = oversizedAnswer(head, tail, tooLarge(size, limit));
        if (typeof answer === "string") refused(answer);
        else controller.enqueue(answer);
      } else for (const part of held) controller.enqueue(part);
      held = [];
      size = 0;
      head = undefined;
      tail = new Uint8Array(0);
    };

    super({
      transform(chunk, controller) {
        let start = 0;
        let at = 0;
        let nextLF = chunk.indexOf(LF);
        let nextCR = chunk.indexOf(CR);
        while (at < chunk.length) {
          if (nextLF !== -1 && nextLF < at) nextLF = chunk.indexOf(LF, at);
          if (nextCR !== -1 && nextCR < at) nextCR = chunk.indexOf(CR, at);
          const byte = chunk[at];
          if (byte !== LF && byte !== CR) {
            // Inside a line: jump to its end.
            lineStart = false;
            afterCR = false;
            const ends = [nextLF, nextCR].filter((i) => i !== -1);
            at = ends.length ? Math.min(...ends) : chunk.length;
            continue;
          }
          if (byte === LF && afterCR) {
            afterCR = false; // the LF of a CRLF
            at++;
            continue;
          }
          afterCR = byte === CR;
          at++;
          if (!lineStart) {
            lineStart = true;
            continue;
          }
          // A blank line: the event ends here.
          take(chunk.subarray(start, at));
          finish(controller);
          start = at;
        }
        if (start < chunk.length) take(chunk.subarray(start));
      },
      flush(controller) {
        finish(controller);
      },
    });
  }
}

/**
 * What replaces an oversized SSE event: an error response under its id when it is a response
 * (its id at its edges, no top-level `method`), else the line to log.
 */
function oversizedAnswer(head: Uint8Array, tail: Uint8Array, problem: string): Uint8Array | string {
  const text = decoder.decode(head);
  const data = /(?:^|[\r\n])data: ?/.exec(text);
  const json = data ? text.slice(data.index + data[0].length) : "";
  const request = /^\s*\{[^{]*"method"\s*:/.test(json);
  const id = data && !request ? idFromEdges(encoder.encode(json), tail) : undefined;
  if (id === undefined) return `${problem}, and it answers no request whose id can be read; dropped`;
  const message = JSON.stringify(errorResponse(id, REPLY_TOO_LARGE, problem));
  return encoder.encode(`event: message\ndata: ${message}\n\n`);
}
