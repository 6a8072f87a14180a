import assert from "node:assert/strict";
import {
  cancelledRequest,
  listenedResources,
  ListenResources,
  onResponseEnd,
} from "../../lib/transport/listen_resources.ts";

function follower() {
  const log: string[] = [];
  return {
    log,
    subscribe: (uri: string) => Promise.resolve(void log.push(`+${uri}`)),
    unsubscribe: (uri: string) => Promise.resolve(void log.push(`-${uri}`)),
  };
}

Deno.test("a URI named by two listen streams is followed once, until the last stream ends", async () => {
  const f = follower();
  const listens = new ListenResources(f, () => {});
  await listens.acquire(["a", "b"]);
  await listens.acquire(["b"]);
  await listens.release(["a", "b"]);
  assert.deepEqual(f.log, ["+a", "+b", "-a"]);
  await listens.release(["b"]);
  assert.deepEqual(f.log, ["+a", "+b", "-a", "-b"]);
});

Deno.test("a URI that cannot be followed is logged and the others are followed", async () => {
  const lines: string[] = [];
  const log: string[] = [];
  const listens = new ListenResources({
    subscribe: (uri) =>
      uri === "bad" ? Promise.reject(new Error("no such resource")) : Promise.resolve(void log.push(uri)),
    unsubscribe: () => Promise.resolve(),
  }, (line) => lines.push(line));
  await listens.acquire(["bad", "good"]);
  assert.deepEqual(log, ["good"]);
  assert.match(lines[0], /cannot follow bad: no such resource/);
});

Deno.test("listen requests and their cancellation are recognised; other messages are not", () => {
  const listen = {
    jsonrpc: "2.0",
    id: 7,
    method: "subscriptions/listen",
    params: { notifications: { toolsListChanged: true, resourceSubscriptions: ["a", "a", "b"] } },
  };
  assert.deepEqual(listenedResources(listen), { id: 7, uris: ["a", "b"] });
  assert.equal(
    listenedResources({ ...listen, params: { notifications: { toolsListChanged: true } } }),
    undefined,
  );
  assert.equal(listenedResources({ jsonrpc: "2.0", id: 1, method: "tools/list" }), undefined);
  assert.equal(
    cancelledRequest({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7 } }),
    7,
  );
  assert.equal(cancelledRequest({ jsonrpc: "2.0", method: "notifications/progress", params: {} }), undefined);
});

Deno.test("a wrapped response passes its body through and reports its end once", async () => {
  let ended = 0;
  const response = onResponseEnd(
    new Response("event: message\ndata: {}\n\n"),
    new AbortController().signal,
    () => ended++,
  );
  assert.equal(await response.text(), "event: message\ndata: {}\n\n");
  assert.equal(ended, 1);
  const abort = new AbortController();
  const open = onResponseEnd(new Response(new ReadableStream()), abort.signal, () => ended++);
  abort.abort();
  await open.body?.cancel();
  assert.equal(ended, 2);
});
