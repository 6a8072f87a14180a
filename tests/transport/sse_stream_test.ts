import assert from "node:assert/strict";
import { prefersEventStream, SseStream } from "../../lib/transport/sse_stream.ts";

Deno.test("a client listing JSON first (the SDK clients) gets JSON; one listing SSE first gets SSE", () => {
  assert.equal(prefersEventStream("application/json, text/event-stream"), false);
  assert.equal(prefersEventStream("text/event-stream, application/json"), true);
  assert.equal(prefersEventStream("Text/Event-Stream,Application/JSON"), true);
});

Deno.test("q-values rank the two types before their order does", () => {
  assert.equal(prefersEventStream("text/event-stream;q=0.5, application/json"), false);
  assert.equal(prefersEventStream("application/json;q=0.9, text/event-stream"), true);
  assert.equal(prefersEventStream("application/json; q=1, text/event-stream; q=1"), false);
  assert.equal(prefersEventStream("text/event-stream;q=0, application/json;q=0.1"), false);
});

/** The next chunk of a body as text. */
async function next(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value } = await reader.read();
  return new TextDecoder().decode(value);
}

Deno.test("streams sharing a keep-alive interval each get keep-alives; the shared timer stops with the last and starts again", async () => {
  let gone = 0;
  const first = new SseStream({ "mcp-session-id": "s1" }, 20, () => gone++);
  const second = new SseStream({}, 20);
  const firstBody = first.takeResponse();
  assert.equal(firstBody.headers.get("content-type"), "text/event-stream");
  assert.equal(firstBody.headers.get("mcp-session-id"), "s1");
  const [a, b] = [firstBody.body?.getReader(), second.takeResponse().body?.getReader()];
  assert.ok(a && b);
  assert.equal(await next(a), ": keepalive\n\n");
  assert.equal(await next(b), ": keepalive\n\n");
  await a.cancel(); // the client goes away: onGone, and no more writes to it
  assert.equal(gone, 1);
  assert.equal(await next(b), ": keepalive\n\n");
  second.end(); // the last stream: the shared interval stops…
  assert.deepEqual(await b.read(), { done: true, value: undefined });
  const third = new SseStream({}, 20); // …and starts again for the next one
  const c = third.takeResponse().body?.getReader();
  assert.ok(c);
  assert.equal(await next(c), ": keepalive\n\n");
  third.end();
});

Deno.test("an SSE stream's response is handed out once and not kept", () => {
  const stream = new SseStream({}, 0);
  stream.takeResponse();
  assert.throws(() => stream.takeResponse(), /already taken/);
  stream.end();
});
