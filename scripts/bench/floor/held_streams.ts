/**
 * The floor under the broker's per-session RSS (issue 13): `Deno.serve` holding each GET open as
 * a streaming response — one `ReadableStream` per request, nothing else — as every 2025-11-25
 * client holds its session's GET stream. A POST gets a small JSON answer (a client's initialize
 * and its notification). Its RSS per held stream is what Deno itself costs for one, whatever the
 * broker does: the connection with its request in flight, and the stream resource Deno makes for
 * a JavaScript response body.
 *
 *   deno run -A scripts/bench/floor/held_streams.ts PORT
 */
const [port] = Deno.args;
if (!port) throw new Error("usage: held_streams.ts PORT");
const held = new Set<ReadableStreamDefaultController<Uint8Array>>();

Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen() {} }, async (request) => {
  if (request.method === "POST") {
    await request.arrayBuffer();
    return Response.json({ jsonrpc: "2.0", id: 0, result: {} });
  }
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      stream = controller;
      held.add(controller);
    },
    cancel() {
      if (stream) held.delete(stream);
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
});
