import assert from "node:assert/strict";
import { formatBytes, LineFrameReader } from "../../lib/wire/line_frames.ts";
import { idFromEdges, readableId, triageFrame } from "../../lib/wire/jsonrpc_triage.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function collect(max: number) {
  const frames: string[] = [];
  const oversized: { size: number; head: string; tail: string }[] = [];
  const reader = new LineFrameReader(max, {
    frame: (bytes) => frames.push(decode(bytes)),
    oversized: (size, head, tail) => oversized.push({ size, head: decode(head), tail: decode(tail) }),
  });
  return { reader, frames, oversized };
}

Deno.test("frames split across chunks, several per chunk, CRLF and blank lines", () => {
  const { reader, frames } = collect(1024);
  reader.push(encode('{"a":1}\n{"b"'));
  reader.push(encode(':2}\r\n\n{"c":3}'));
  assert.deepEqual(frames, ['{"a":1}', '{"b":2}']);
  reader.push(encode("\n"));
  assert.deepEqual(frames, ['{"a":1}', '{"b":2}', '{"c":3}']);
});

Deno.test("a frame exactly at the limit passes; one byte more is skipped and reported with its size", () => {
  const { reader, frames, oversized } = collect(10);
  reader.push(encode("0123456789\n01234567890\nok\n"));
  assert.deepEqual(frames, ["0123456789", "ok"]);
  assert.deepEqual(oversized.map((o) => o.size), [11]);
});

Deno.test("an oversized frame keeps only its edges, and the frames after it still arrive", () => {
  const { reader, frames, oversized } = collect(64 * 1024);
  const big = `{"jsonrpc":"2.0","id":42,"p":"${"x".repeat(1024 * 1024)}","end":1}`;
  for (let i = 0; i < big.length; i += 7000) reader.push(encode(big.slice(i, i + 7000)));
  reader.push(encode('\n{"next":true}\n'));
  assert.equal(oversized.length, 1);
  assert.equal(oversized[0].size, big.length);
  assert.ok(oversized[0].head.startsWith('{"jsonrpc":"2.0","id":42'));
  assert.ok(oversized[0].tail.endsWith('"end":1}'));
  assert.ok(oversized[0].head.length <= 4096 && oversized[0].tail.length <= 4096);
  assert.deepEqual(frames, ['{"next":true}']);
});

Deno.test("end() hands on a last frame without a line break, or reports it when oversized", () => {
  const one = collect(100);
  one.reader.push(encode('{"last":1}'));
  one.reader.end();
  assert.deepEqual(one.frames, ['{"last":1}']);
  const two = collect(4);
  two.reader.push(encode("123456"));
  two.reader.end();
  assert.deepEqual(two.oversized.map((o) => o.size), [6]);
});

Deno.test("a 64 MiB frame sent as 2,000 chunks of 32 KiB arrives whole", () => {
  const { reader, frames } = collect(64 * 1024 * 1024);
  const chunk = new Uint8Array(32 * 1024).fill(120);
  for (let i = 0; i < 2000; i++) reader.push(chunk);
  reader.push(encode("\n"));
  assert.equal(frames.length, 1);
  assert.equal(frames[0].length, 2000 * 32 * 1024);
});

Deno.test("triageFrame accepts JSON-RPC messages and names what is wrong with the rest", () => {
  const ok = triageFrame(encode('{"jsonrpc":"2.0","id":1,"method":"ping"}'));
  assert.equal(ok.kind, "message");
  const garbage = triageFrame(encode("{nope"));
  assert.deepEqual(garbage, {
    kind: "invalid",
    code: -32700,
    problem: "parse error: the frame is not valid JSON",
  });
  const badMethod = triageFrame(encode('{"jsonrpc":"2.0","id":"a","method":5}'));
  assert.equal(badMethod.kind === "invalid" && badMethod.id, "a");
  assert.match(badMethod.kind === "invalid" ? badMethod.problem : "", /"method" must be a string/);
  const invalidUtf8 = triageFrame(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
  assert.equal(invalidUtf8.kind, "invalid");
  const hugeId = triageFrame(encode(`{"jsonrpc":"2.0","id":"${"i".repeat(5000)}","method":5}`));
  assert.equal(hugeId.kind === "invalid" && hugeId.id, undefined, "a 5,000-character id is not echoed");
});

Deno.test("readableId takes short strings and safe integers only", () => {
  assert.equal(readableId(7), 7);
  assert.equal(readableId("x"), "x");
  assert.equal(readableId(1.5), undefined);
  assert.equal(readableId(2 ** 60), undefined);
  assert.equal(readableId(null), undefined);
});

Deno.test("idFromEdges reads a leading or trailing top-level id, never a nested one", () => {
  const none = new Uint8Array(0);
  assert.equal(idFromEdges(encode('{"jsonrpc":"2.0","id":7,"method":"x","params":{'), none), 7);
  assert.equal(idFromEdges(encode('{"id":"abc","result":{'), none), "abc");
  assert.equal(idFromEdges(encode('{"result":{"content":['), encode('"x"}]},"jsonrpc":"2.0","id":9}')), 9);
  assert.equal(idFromEdges(encode('{"result":{"a":'), encode('{"id":5}}}')), undefined);
  assert.equal(idFromEdges(encode('{"method":"x","params":{"id":3'), none), undefined);
});

Deno.test("formatBytes speaks MiB, KiB and bytes", () => {
  assert.equal(formatBytes(64 * 1024 * 1024), "64 MiB");
  assert.equal(formatBytes(17 * 1024 * 1024 + 5), "17 MiB");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(12), "12 bytes");
});

Deno.test("a chunk buffer reused by the caller does not corrupt frames split across pushes", () => {
  const { reader, frames } = collect(1024);
  const buffer = new Uint8Array(16);
  const push = (text: string) => {
    const bytes = encode(text);
    buffer.set(bytes);
    reader.push(buffer.subarray(0, bytes.length));
    buffer.fill(0x21); // the caller's next read overwrites the buffer
  };
  push('{"a":1}\n{"b":');
  push('2}\n{"c":3}\n');
  push('{"d"');
  push(":4}\n");
  assert.deepEqual(frames, ['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}']);
});
