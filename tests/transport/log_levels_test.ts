import assert from "node:assert/strict";
import type { LoggingLevel } from "@modelcontextprotocol/server";
import { atLeast, isLoggingLevel } from "../../lib/transport/log_levels.ts";

// RFC 5424 severities, least severe first, as MCP's logging/setLevel orders them.
const ORDER: LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

Deno.test("a message passes exactly the minimums at or below its own severity", () => {
  for (const [i, level] of ORDER.entries()) {
    for (const [j, minimum] of ORDER.entries()) {
      assert.equal(atLeast(level, minimum), i >= j, `atLeast(${level}, ${minimum})`);
    }
  }
});

Deno.test("every level passes itself and a debug minimum lets everything through", () => {
  for (const level of ORDER) {
    assert.equal(atLeast(level, level), true, level);
    assert.equal(atLeast(level, "debug"), true, level);
  }
});

Deno.test("an emergency minimum lets only emergencies through", () => {
  assert.deepEqual(ORDER.filter((level) => atLeast(level, "emergency")), ["emergency"]);
});

Deno.test("a warning minimum drops debug, info and notice", () => {
  assert.deepEqual(ORDER.filter((level) => !atLeast(level, "warning")), ["debug", "info", "notice"]);
});

Deno.test("only the eight MCP levels are log levels; anything else a client sends is not", () => {
  for (const level of ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]) {
    assert.equal(isLoggingLevel(level), true, level);
  }
  for (const value of ["bogus", "INFO", "", "toString", "__proto__", 3, null, undefined, {}]) {
    assert.equal(isLoggingLevel(value), false, String(value));
  }
});
