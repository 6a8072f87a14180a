/**
 * Reading a POST body under the size limit. The SDK's `readRequestBody` reads through a stream
 * reader chunk by chunk so that a body without a length cannot grow past the limit; with a
 * `Content-Length` at or under the limit, the body is read whole instead (7–36 µs per request
 * less in the profiles: no reader, no lock release, one decode). Its size is still checked after
 * the read, so a request whose stream is longer than it declares (possible for a `Request` built
 * in-process; `Deno.serve` holds a socket to its declared length) is refused just the same.
 */
import { readRequestBody } from "@modelcontextprotocol/server";

/** The body's text, or `tooLarge` when it exceeds `maxBytes`. */
export type BodyRead = { tooLarge: true } | { tooLarge: false; text: string };

const decoder = new TextDecoder();

/** Reads `request`'s body as UTF-8 text, refusing one over `maxBytes`. */
export async function readBody(request: Request, maxBytes: number): Promise<BodyRead> {
  const declared = declaredLength(request.headers.get("content-length"));
  if (declared === undefined || declared > maxBytes) return await readRequestBody(request, maxBytes);
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > maxBytes) return { tooLarge: true };
  return { tooLarge: false, text: decoder.decode(bytes) };
}

/** A `Content-Length` value as a byte count, or undefined when it is absent or not one number. */
export function declaredLength(header: string | null): number | undefined {
  if (header === null || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}
