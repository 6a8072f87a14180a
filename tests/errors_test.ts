import assert from "node:assert/strict";
import {
  type ErrorCode,
  errorEnvelope,
  exitCodeFor,
  isToolFailure,
  JanusError,
  JSON_RPC,
  jsonRpcCodeFor,
  messageOf,
  toJanusError,
} from "../lib/errors.ts";

const CODES: ErrorCode[] = [
  "ambiguous_tool",
  "daemon_unavailable",
  "generic",
  "usage",
  "config",
  "selector",
  "auth",
  "upstream",
  "tool_error",
  "input_required",
  "timeout",
  "interrupted",
];

Deno.test("exit codes are the documented contract (DESIGN §5)", () => {
  assert.deepEqual(
    Object.fromEntries(CODES.map((code) => [code, exitCodeFor(code)])),
    {
      ambiguous_tool: 3,
      daemon_unavailable: 5,
      generic: 1,
      usage: 2,
      config: 3,
      selector: 3,
      auth: 4,
      upstream: 5,
      tool_error: 6,
      input_required: 7,
      timeout: 124,
      interrupted: 130,
    },
  );
});

Deno.test("a server-side fault is an internal error; a wrong request is invalid params", () => {
  for (const code of ["config", "auth", "upstream", "timeout", "generic"] as const) {
    assert.equal(jsonRpcCodeFor(code), JSON_RPC.internalError, code);
  }
  for (const code of ["selector", "usage", "input_required"] as const) {
    assert.equal(jsonRpcCodeFor(code), JSON_RPC.invalidParams, code);
  }
});

Deno.test("upstream-side failures reach a model as tool errors; request mistakes as protocol errors", () => {
  assert.deepEqual(CODES.filter(isToolFailure), [
    "daemon_unavailable",
    "generic",
    "config",
    "auth",
    "upstream",
    "tool_error",
    "timeout",
  ]);
});

Deno.test("anything thrown becomes a JanusError with a readable message", () => {
  const kept = new JanusError("auth", "log in again");
  assert.equal(toJanusError(kept), kept);
  assert.deepEqual(
    [
      toJanusError(new Error("boom")).code,
      toJanusError("plain").message,
      messageOf(new Error("x")),
      messageOf(7),
    ],
    ["generic", "plain", "x", "7"],
  );
  assert.deepEqual(errorEnvelope(kept), { ok: false, error: { code: "auth", message: "log in again" } });
});
