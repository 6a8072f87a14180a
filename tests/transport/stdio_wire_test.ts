import assert from "node:assert/strict";
import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import { StdioWire, type WireStreams } from "../../lib/transport/stdio_wire.ts";
import { RejectLog } from "../../lib/wire/mod.ts";

/** A stdin that hands out the given chunks (at most `buffer.length` bytes per read), then end of file. */
function stdinOf(chunks: string[]): WireStreams["stdin"] {
  const pending = chunks.map((chunk) => new TextEncoder().encode(chunk));
  return {
    read(buffer) {
      const next = pending.shift();
      if (next === undefined) return Promise.resolve(null);
      const n = Math.min(next.length, buffer.length);
      buffer.set(next.subarray(0, n));
      if (n < next.length) pending.unshift(next.subarray(n));
      return Promise.resolve(n);
    },
  };
}

/** A stdout that takes at most `most` bytes per write, as a full pipe may. */
function stdoutTaking(most: number): WireStreams["stdout"] & { text(): string } {
  const parts: Uint8Array[] = [];
  return {
    writeSync(bytes) {
      const n = Math.min(most, bytes.length);
      parts.push(bytes.slice(0, n));
      return n;
    },
    text: () => parts.map((part) => new TextDecoder().decode(part)).join(""),
  };
}

Deno.test("the stdio wire writes whole frames even when stdout takes a few bytes at a time", async () => {
  const stdout = stdoutTaking(7);
  const wire = new StdioWire(1024, new RejectLog(() => {}), { stdin: stdinOf([]), stdout });
  const message: JSONRPCMessage = {
    jsonrpc: "2.0",
    id: 1,
    result: { content: [{ type: "text", text: "é ü" }] },
  };
  await wire.send(message);
  await wire.send({ jsonrpc: "2.0", method: "notifications/tools/list_changed" });
  const lines = stdout.text().split("\n");
  assert.deepEqual(lines.map((line) => line && JSON.parse(line)), [
    message,
    { jsonrpc: "2.0", method: "notifications/tools/list_changed" },
    "",
  ]);
});

Deno.test("the stdio wire delivers frames split across reads, answers a malformed one, and ends at end of file", async () => {
  const stdout = stdoutTaking(1 << 20);
  const logged: string[] = [];
  const wire = new StdioWire(1024, new RejectLog((line) => logged.push(line)), {
    stdin: stdinOf([
      '{"jsonrpc":"2.0","id":1,"met',
      'hod":"ping"}\n{"jsonrpc":"2.0","id":2,"method":5}\n',
      "{nope}\n",
    ]),
    stdout,
  });
  const received: JSONRPCMessage[] = [];
  let closed = 0;
  wire.onmessage = (message) => received.push(message);
  wire.onclose = () => closed++;
  await wire.start();
  await wire.ended;
  assert.deepEqual(received, [{ jsonrpc: "2.0", id: 1, method: "ping" }]);
  const answers = stdout.text().trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(answers.map((answer) => [answer.id, answer.error?.code]), [[2, -32600]]);
  assert.equal(logged.length, 2);
  assert.equal(closed, 1);
  await assert.rejects(wire.send({ jsonrpc: "2.0", id: 3, result: {} }), /closed/);
});
