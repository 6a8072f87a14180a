/**
 * The POST body reader: the whole-body read taken when Content-Length is under the limit keeps
 * the limit, and the stream read behind it still refuses what grows past it.
 */
import assert from "node:assert/strict";
import { declaredLength, readBody } from "../../lib/transport/request_body.ts";

/** A request whose body arrives in `chunks`, with an optional Content-Length of our choosing. */
function post(chunks: string[], contentLength?: string): Request {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  const headers = contentLength === undefined ? undefined : { "content-length": contentLength };
  return new Request("http://localhost/mcp", { method: "POST", body, headers });
}

Deno.test("a body with its Content-Length under the limit is read whole, multi-byte text intact", async () => {
  const text = '{"greeting":"grüß dich ✓"}';
  const size = new TextEncoder().encode(text).byteLength;
  assert.deepEqual(await readBody(post([text.slice(0, 15), text.slice(15)], String(size)), 1024), {
    tooLarge: false,
    text,
  });
});

Deno.test("a body longer than its declared Content-Length is still refused past the limit", async () => {
  const read = await readBody(post(["x".repeat(60), "y".repeat(60)], "10"), 100);
  assert.deepEqual(read, { tooLarge: true });
});

Deno.test("a declared length over the limit, or no length, is refused by the stream read", async () => {
  assert.deepEqual(await readBody(post(["x".repeat(10)], "101"), 100), { tooLarge: true });
  assert.deepEqual(await readBody(post(["x".repeat(60), "y".repeat(60)]), 100), { tooLarge: true });
  assert.deepEqual(await readBody(post(["x".repeat(60)]), 100), { tooLarge: false, text: "x".repeat(60) });
});

Deno.test("only a plain decimal Content-Length counts as a declared length", () => {
  assert.equal(declaredLength("42"), 42);
  assert.equal(declaredLength("0"), 0);
  for (const odd of [null, "", "-1", "1e3", " 42", "4 2", "0x10", "42, 42", "9".repeat(16)]) {
    assert.equal(declaredLength(odd), undefined, String(odd));
  }
});
