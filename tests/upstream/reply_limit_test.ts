/**
 * The HTTP reply limit against a real HTTP server (in process, loopback): bodies sent in pieces
 * (no Content-Length), SSE with either line ending, oversized events that answer a request and
 * ones that do not.
 */
import assert from "node:assert/strict";
import { limitReplies } from "../../lib/upstream/reply_limit.ts";

const encoder = new TextEncoder();

/** Serves each request with the pieces `reply` gives, one write each. */
async function withServer(
  reply: (path: string) => { type: string; pieces: string[] },
  run: (url: string) => Promise<void>,
): Promise<void> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const { type, pieces } = reply(new URL(request.url).pathname);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(encoder.encode(piece));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": type } });
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

const post = (id: number) => ({
  method: "POST",
  body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call" }),
});
const result = (id: number, text: string) => JSON.stringify({ jsonrpc: "2.0", id, result: { text } });

Deno.test("a JSON reply sent in pieces is read up to the limit and no further; its request gets the error", async () => {
  const refused: string[] = [];
  const big = result(7, "x".repeat(200_000));
  await withServer(
    (path) => ({
      type: "application/json",
      pieces: path === "/big" ? big.match(/[^]{1,10000}/g) ?? [] : [result(8, "small")],
    }),
    async (url) => {
      const limited = limitReplies(64 * 1024, (line) => refused.push(line));
      const answer = await (await limited(`${url}/big`, post(7))).json();
      assert.equal(answer.id, 7);
      assert.match(
        answer.error.message,
        /upstream reply of more than [\d.]+ KiB \(\d+ bytes read, then reading stopped\) exceeds the limit of 64 KiB/,
      );
      const read = Number(/\((\d+) bytes read/.exec(answer.error.message)?.[1]);
      assert.ok(read < big.length, `read ${read} of ${big.length} bytes`);
      assert.deepEqual(await (await limited(`${url}/small`, post(8))).json(), JSON.parse(result(8, "small")));
      // A body that answers nothing readable is only logged.
      const silent = await limited(`${url}/big`, { method: "POST", body: "[]" });
      assert.equal(silent.status, 202);
      assert.equal(refused.length, 1);
      assert.match(refused[0], /its request id cannot be read/);
    },
  );
});

Deno.test("SSE: an oversized event is dropped as it arrives; a response becomes an error under its id, the stream goes on", async () => {
  const refused: string[] = [];
  const huge = "y".repeat(150_000);
  const event = (data: string, newline: string) =>
    `event: message${newline}data: ${data}${newline}${newline}`;
  for (const newline of ["\n", "\r\n"]) {
    const stream = [
      event(
        JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1 } }),
        newline,
      ),
      event(
        JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params: { data: huge } }),
        newline,
      ),
      event(result(3, huge), newline),
      event(result(4, "after"), newline),
    ].join("");
    await withServer(
      () => ({ type: "text/event-stream", pieces: stream.match(/[^]{1,7000}/g) ?? [] }),
      async (url) => {
        const limited = limitReplies(64 * 1024, (line) => refused.push(line));
        const text = await (await limited(url, post(3))).text();
        const data = text.split(/\r?\n/).filter((line) => line.startsWith("data: ")).map((line) =>
          JSON.parse(line.slice(6))
        );
        assert.equal(data.length, 3, text.slice(0, 300));
        assert.equal(data[0].method, "notifications/progress");
        assert.equal(data[1].id, 3);
        assert.match(
          data[1].error.message,
          /upstream reply of 146.6 KiB \(150\d+ bytes\) exceeds the limit of 64 KiB/,
        );
        assert.deepEqual(data[2], JSON.parse(result(4, "after")));
      },
    );
  }
  assert.equal(refused.length, 2, "the oversized notification is logged, once per stream");
  assert.match(refused[0], /answers no request whose id can be read; dropped/);
});
