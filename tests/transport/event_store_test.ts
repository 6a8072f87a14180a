import assert from "node:assert/strict";
import type { EventId, JSONRPCMessage } from "@modelcontextprotocol/server";
import { BoundedEventStore } from "../../lib/transport/event_store.ts";

function note(n: number): JSONRPCMessage {
  return { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: n } };
}

async function replay(
  store: BoundedEventStore,
  after: EventId,
): Promise<{ stream: string; sent: [EventId, number][] }> {
  const sent: [EventId, number][] = [];
  const stream = await store.replayEventsAfter(after, {
    send: (id, message) => {
      assert.ok("params" in message);
      sent.push([id, (message.params as { data: number }).data]);
      return Promise.resolve();
    },
  });
  return { stream, sent };
}

Deno.test("event ids are unique across streams, even stream ids that look like event ids", async () => {
  const store = new BoundedEventStore();
  const ids = new Set<EventId>();
  const streams = ["a", "b", "a_1", "a_1_2", "_", ""];
  for (let n = 0; n < 20; n++) {
    for (const stream of streams) ids.add(await store.storeEvent(stream, note(n)));
  }
  assert.equal(ids.size, 20 * streams.length);
});

Deno.test("replay sends only the later events of the same stream, in order", async () => {
  const store = new BoundedEventStore();
  const a1 = await store.storeEvent("a", note(1));
  await store.storeEvent("b", note(2));
  const a3 = await store.storeEvent("a", note(3));
  await store.storeEvent("b", note(4));
  const a5 = await store.storeEvent("a", note(5));

  assert.deepEqual(await replay(store, a1), { stream: "a", sent: [[a3, 3], [a5, 5]] });
  assert.deepEqual(await replay(store, a3), { stream: "a", sent: [[a5, 5]] });
});

Deno.test("replay after the newest event sends nothing and names the stream", async () => {
  const store = new BoundedEventStore();
  await store.storeEvent("a", note(1));
  const last = await store.storeEvent("b", note(2));
  assert.deepEqual(await replay(store, last), { stream: "b", sent: [] });
});

Deno.test("replay after an unknown event id throws a clear error and sends nothing", async () => {
  const store = new BoundedEventStore();
  await store.storeEvent("a", note(1));
  let sent = 0;
  await assert.rejects(
    store.replayEventsAfter("a_999", {
      send: () => {
        sent++;
        return Promise.resolve();
      },
    }),
    /event a_999 is too old or unknown; reconnect without it/,
  );
  assert.equal(sent, 0);
});

Deno.test("beyond capacity the oldest events are dropped, whatever their stream", async () => {
  const store = new BoundedEventStore(3);
  const first = await store.storeEvent("a", note(1));
  const second = await store.storeEvent("b", note(2));
  const third = await store.storeEvent("a", note(3));
  const fourth = await store.storeEvent("a", note(4));
  const fifth = await store.storeEvent("b", note(5));

  assert.equal(await store.getStreamIdForEventId(first), undefined);
  assert.equal(await store.getStreamIdForEventId(second), undefined);
  await assert.rejects(replay(store, first), /too old or unknown/);
  assert.deepEqual(await replay(store, third), { stream: "a", sent: [[fourth, 4]] });
  assert.deepEqual(await replay(store, fifth), { stream: "b", sent: [] });
});

Deno.test("a long-lived store keeps exactly its capacity of newest events", async () => {
  const store = new BoundedEventStore(10);
  const ids: EventId[] = [];
  for (let n = 0; n < 1000; n++) ids.push(await store.storeEvent("s", note(n)));
  const kept = await Promise.all(ids.map((id) => store.getStreamIdForEventId(id)));
  assert.equal(kept.filter((stream) => stream === "s").length, 10);
  assert.deepEqual(kept.slice(-10), Array(10).fill("s"));
  const { sent } = await replay(store, ids[990]);
  assert.deepEqual(sent.map(([, n]) => n), [991, 992, 993, 994, 995, 996, 997, 998, 999]);
});

Deno.test("getStreamIdForEventId names the stream of a kept event and nothing for others", async () => {
  const store = new BoundedEventStore();
  const a = await store.storeEvent("stream-a", note(1));
  const b = await store.storeEvent("stream-b", note(2));
  assert.equal(await store.getStreamIdForEventId(a), "stream-a");
  assert.equal(await store.getStreamIdForEventId(b), "stream-b");
  assert.equal(await store.getStreamIdForEventId("stream-a_3"), undefined);
  assert.equal(await store.getStreamIdForEventId(""), undefined);
});

Deno.test("replay resends the stored message objects unchanged", async () => {
  const store = new BoundedEventStore();
  const request: JSONRPCMessage = {
    jsonrpc: "2.0",
    id: 7,
    method: "sampling/createMessage",
    params: { x: [1] },
  };
  const response: JSONRPCMessage = { jsonrpc: "2.0", id: 3, result: { content: [] } };
  const start = await store.storeEvent("s", note(0));
  await store.storeEvent("s", request);
  await store.storeEvent("s", response);
  const messages: JSONRPCMessage[] = [];
  await store.replayEventsAfter(start, {
    send: (_id, message) => {
      messages.push(message);
      return Promise.resolve();
    },
  });
  assert.deepEqual(messages, [request, response]);
});
