import assert from "node:assert/strict";
import { parseJSONRPCMessage } from "@modelcontextprotocol/server";
import { plainMessage, triageValue } from "../../lib/wire/jsonrpc_triage.ts";

/** Frames as peers send them, well-formed and not, in the shapes the schema treats specially. */
const CORPUS: unknown[] = [
  { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { message: "hi" } } },
  { jsonrpc: "2.0", id: "a", method: "ping" },
  { jsonrpc: "2.0", id: 0, method: "tools/list", params: {} },
  { jsonrpc: "2.0", id: -7, method: "x", params: { _meta: { progressToken: 3 } } },
  { jsonrpc: "2.0", id: 1, method: "x", params: { _meta: { progressToken: "t", other: { a: 1 } } } },
  {
    jsonrpc: "2.0",
    id: 2,
    method: "tools/call",
    params: {
      name: "t",
      _meta: {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": { name: "c", version: "1", extra: true },
      },
    },
  },
  { jsonrpc: "2.0", method: "notifications/initialized" },
  { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 4, reason: "r" } },
  { jsonrpc: "2.0", id: 5, result: {} },
  { jsonrpc: "2.0", id: 5, result: { content: [{ type: "text", text: "x" }], isError: false } },
  { jsonrpc: "2.0", id: "r", result: { content: [], _meta: { a: 1, nested: { b: [1, 2] } } } },
  { jsonrpc: "2.0", id: 1, error: { code: -32601, message: "Method not found" } },
  // The schema rewrites these: they must take its path.
  {
    jsonrpc: "2.0",
    id: 1,
    result: { _meta: { "io.modelcontextprotocol/serverInfo": { name: "x", version: "1", z: 1 } } },
  },
  { jsonrpc: "2.0", id: 1, result: { _meta: { "io.modelcontextprotocol/serverInfo": 5 } } },
  {
    jsonrpc: "2.0",
    id: 1,
    method: "x",
    params: { _meta: { "io.modelcontextprotocol/related-task": { taskId: "a", z: 1 } } },
  },
  { jsonrpc: "2.0", id: 1, error: { code: 1, message: "m", extra: 1 } },
  // The schema refuses these.
  { jsonrpc: "2.0", id: 2 ** 60, method: "x" },
  { jsonrpc: "2.0", id: 1.5, method: "x" },
  { jsonrpc: "2.0", id: null, method: "x" },
  { jsonrpc: "2.0", id: 1, method: "x", params: [] },
  { jsonrpc: "2.0", id: 1, method: "x", params: null },
  { jsonrpc: "2.0", id: 1, method: "x", params: { _meta: [] } },
  { jsonrpc: "2.0", id: 1, method: "x", params: { _meta: { progressToken: 1.5 } } },
  { jsonrpc: "2.0", id: 1, method: "x", extra: 1 },
  { jsonrpc: "2.0", id: 1, method: 5 },
  { jsonrpc: "2.0", method: "x", result: {} },
  { jsonrpc: "2.0", id: 1, result: [] },
  { jsonrpc: "2.0", id: 1, result: { _meta: "m" } },
  { jsonrpc: "2.0", result: {} },
  { jsonrpc: "1.0", id: 1, method: "x" },
  { id: 1, method: "x" },
  JSON.parse('{"jsonrpc":"2.0","id":1,"method":"x","__proto__":{"a":1}}'),
  [{ jsonrpc: "2.0", id: 1, method: "x" }],
  "text",
  null,
];

function schema(value: unknown): unknown {
  try {
    return parseJSONRPCMessage(value);
  } catch {
    return "refused";
  }
}

Deno.test("the plain-message path takes only what the SDK's schema accepts unchanged", () => {
  let plain = 0;
  for (const value of CORPUS) {
    const quick = plainMessage(value);
    if (quick === undefined) continue;
    plain++;
    // Fails if an SDK update makes the schema refuse or rewrite an envelope the fast path passes.
    assert.deepStrictEqual(quick, schema(value), JSON.stringify(value));
  }
  assert.ok(plain >= 10, `only ${plain} frames took the plain path`);
});

Deno.test("triageValue answers as the schema does, whichever path a frame takes", () => {
  for (const value of CORPUS) {
    const triage = triageValue(value);
    const expected = schema(value);
    if (expected === "refused") assert.equal(triage.kind, "invalid", JSON.stringify(value));
    else assert.deepStrictEqual(triage, { kind: "message", message: expected }, JSON.stringify(value));
  }
});

Deno.test("frames the schema rewrites or refuses do not take the plain path", () => {
  const rewritten = [
    { jsonrpc: "2.0", id: 1, result: { _meta: { "io.modelcontextprotocol/serverInfo": 5 } } },
    { jsonrpc: "2.0", id: 1, error: { code: 1, message: "m", extra: 1 } },
    { jsonrpc: "2.0", id: 2 ** 60, method: "x" },
    { jsonrpc: "2.0", id: 1, method: "x", extra: 1 },
  ];
  for (const value of rewritten) assert.equal(plainMessage(value), undefined, JSON.stringify(value));
});
