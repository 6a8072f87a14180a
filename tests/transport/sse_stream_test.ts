import assert from "node:assert/strict";
import { prefersEventStream } from "../../lib/transport/sse_stream.ts";

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
