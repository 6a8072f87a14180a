import assert from "node:assert/strict";
import type { EventId } from "@modelcontextprotocol/server";
import { BoundedEventStore } from "../../lib/transport/event_store.ts";

/** A notification's text carrying `n`, as the transport serializes it. */
function note(n: number): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    method: "notifications/message",
    params: { level: "info", data: n },
  });
}

/** What a replay after `after` would send: its stream and each event's id and number. */
function replay(
  store: BoundedEventStore,
  after: EventId,
): { stream: string; sent: [EventId, number][] } | undefined {
  const found = store.eventsAfter(after);
  if (!found) return undefined;
  const sent = found.events.map(([id, data]): [EventId, number] => [id, JSON.parse(data).params.data]);
  return { stream: found.streamId, sent };
}

Deno.test("event ids are unique across streams, even stream ids that look like event ids", () => {
  const store = new BoundedEventStore();
  const ids = new Set<EventId>();
  const streams = ["a", "b", "a_1", "a_1_2", "_", ""];
  for (let n = 0; n < 20; n++) {
    for (const stream of streams) ids.add(store.record(stream, note(n)));
  }
  assert.equal(ids.size, 20 * streams.length);
});

Deno.test("a replay holds only the later events of the same stream, in order", () => {
  const store = new BoundedEventStore();
  const a1 = store.record("a", note(1));
  store.record("b", note(2));
  const a3 = store.record("a", note(3));
  store.record("b", note(4));
  const a5 = store.record("a", note(5));

  assert.deepEqual(replay(store, a1), { stream: "a", sent: [[a3, 3], [a5, 5]] });
  assert.deepEqual(replay(store, a3), { stream: "a", sent: [[a5, 5]] });
});

Deno.test("a replay after the newest event holds nothing and names the stream", () => {
  const store = new BoundedEventStore();
  store.record("a", note(1));
  const last = store.record("b", note(2));
  assert.deepEqual(replay(store, last), { stream: "b", sent: [] });
});

Deno.test("an unknown event id has no replay", () => {
  const store = new BoundedEventStore();
  store.record("a", note(1));
  assert.equal(store.eventsAfter("a_999"), undefined);
  assert.equal(store.eventsAfter(""), undefined);
});

Deno.test("beyond capacity the oldest events are dropped, whatever their stream", () => {
  const store = new BoundedEventStore(3);
  const first = store.record("a", note(1));
  const second = store.record("b", note(2));
  const third = store.record("a", note(3));
  const fourth = store.record("a", note(4));
  const fifth = store.record("b", note(5));

  assert.equal(store.streamOf(first), undefined);
  assert.equal(store.streamOf(second), undefined);
  assert.equal(replay(store, first), undefined);
  assert.deepEqual(replay(store, third), { stream: "a", sent: [[fourth, 4]] });
  assert.deepEqual(replay(store, fifth), { stream: "b", sent: [] });
});

Deno.test("a long-lived store keeps exactly its capacity of newest events", () => {
  const store = new BoundedEventStore(10);
  const ids: EventId[] = [];
  for (let n = 0; n < 1000; n++) ids.push(store.record("s", note(n)));
  const kept = ids.map((id) => store.streamOf(id));
  assert.equal(kept.filter((stream) => stream === "s").length, 10);
  assert.deepEqual(kept.slice(-10), Array(10).fill("s"));
  assert.deepEqual(replay(store, ids[990])?.sent.map(([, n]) => n), [
    991,
    992,
    993,
    994,
    995,
    996,
    997,
    998,
    999,
  ]);
});

Deno.test("beyond its size the oldest events are dropped, however few there are", () => {
  const big = (n: number) => JSON.stringify({ jsonrpc: "2.0", id: n, result: { text: "x".repeat(400) } });
  const store = new BoundedEventStore(1000, 1000); // room for two of these, not three
  const first = store.record("a", big(1));
  const second = store.record("a", big(2));
  assert.equal(store.streamOf(first), "a");
  const third = store.record("a", big(3));
  assert.equal(store.streamOf(first), undefined, "the oldest went when the size was passed");
  assert.deepEqual(store.eventsAfter(second)?.events, [[third, big(3)]]);
});

Deno.test("the newest event is kept even when it alone is larger than the size bound", () => {
  const store = new BoundedEventStore(1000, 100);
  const start = store.record("a", "");
  const small = store.record("a", note(1));
  const huge = JSON.stringify({ jsonrpc: "2.0", id: 9, result: { text: "y".repeat(5000) } });
  const last = store.record("a", huge);
  assert.equal(store.streamOf(start), undefined);
  assert.equal(store.streamOf(small), undefined);
  assert.equal(store.streamOf(last), "a");
  assert.deepEqual(store.eventsAfter(last)?.events, []);
});

Deno.test("a replay holds the very text that was sent, priming marks as empty text", () => {
  const store = new BoundedEventStore();
  // Text as sent: key order, escapes and non-ASCII are not re-serialized on the way back.
  const request =
    '{"jsonrpc":"2.0","id":7,"method":"sampling/createMessage","params":{"x":[1],"é":"\\u2028"}}';
  const response = '{"jsonrpc":"2.0","id":3,"result":{"content":[],"_meta":{"b":1,"a":2}}}';
  const start = store.record("s", "");
  const ids = [store.record("s", request), store.record("s", ""), store.record("s", response)];
  assert.deepEqual(store.eventsAfter(start)?.events, [[ids[0], request], [ids[1], ""], [ids[2], response]]);
});
