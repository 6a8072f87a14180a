/**
 * Relayed upstream logs honour the level a 2026-07-28 client sends with each request, and a
 * 2026-07-28 request without a level gets none (the spec's "MUST NOT"), even from a 2025-only
 * upstream, which logs regardless. A level
 * outside the eight is refused by the SDK's envelope check before it reaches the broker; the
 * broker's own check (request_context.ts) is the second line, unit-tested in log_levels_test.ts.
 */
import assert from "node:assert/strict";
import { LOG_LEVEL_META_KEY } from "@modelcontextprotocol/client";
import { connectBroker, eventually, fixtureArgs, writeConfig } from "./harness.ts";

const conformanceAccount = {
  id: "conf",
  service: "conformance",
  command: "deno",
  args: fixtureArgs("tests/fixtures/conformance_upstream.ts"),
};

async function logsDuringCall(level: string): Promise<number> {
  const session = await connectBroker(await writeConfig({ accounts: [conformanceAccount] }), "2026-07-28");
  try {
    const result = await session.client.callTool({
      name: "test_logging_tool",
      arguments: {},
      _meta: { [LOG_LEVEL_META_KEY]: level },
    });
    assert.equal(result.isError, undefined);
    await eventually(
      () => session.notifications.filter((n) => n === "notifications/message").length >= 3,
      1000,
    );
    return session.notifications.filter((n) => n === "notifications/message").length;
  } finally {
    await session.close();
  }
}

Deno.test("[2026-07-28] the level sent with a call filters the upstream's logs relayed to it", async () => {
  assert.equal(await logsDuringCall("error"), 0); // the fixture logs at info
  assert.equal(await logsDuringCall("debug"), 3);
});

Deno.test("[2026-07-28] an unknown log level is refused with a message naming the levels", async () => {
  await assert.rejects(() => logsDuringCall("bogus"), /expected one of "debug"\|"info"/);
});

/** The matrix fixture as a 2025-only or a 2026-only upstream; its `log` tool logs once at info. */
const matrixAccount = (kind: "legacy" | "modern") => ({
  id: "matrix",
  service: "matrix",
  command: "deno",
  args: fixtureArgs("tests/fixtures/matrix_stdio.ts", ["-A"], [kind]),
});

/** Logs a client at `revision` hears during one `log` call with `level` (none: no level sent). */
async function matrixLogs(
  revision: "2025-11-25" | "2026-07-28",
  kind: "legacy" | "modern",
  level?: string,
): Promise<number> {
  const session = await connectBroker(await writeConfig({ accounts: [matrixAccount(kind)] }), revision);
  try {
    const result = await session.client.callTool({
      name: "log",
      arguments: {},
      ...(level ? { _meta: { [LOG_LEVEL_META_KEY]: level } } : {}),
    });
    assert.equal(result.isError, undefined);
    // A log of that call is sent before its result: one more round trip has certainly passed it.
    await session.client.listTools();
    return session.notifications.filter((n) => n === "notifications/message").length;
  } finally {
    await session.close();
  }
}

Deno.test("[2026-07-28] a call without a log level hears no logs, from a 2025-only upstream either", async () => {
  assert.equal(await matrixLogs("2026-07-28", "legacy"), 0);
  assert.equal(await matrixLogs("2026-07-28", "modern"), 0);
  // The same calls with a level do hear the upstream's log: the zeros above are the gate's.
  assert.equal(await matrixLogs("2026-07-28", "legacy", "debug"), 1);
  assert.equal(await matrixLogs("2026-07-28", "modern", "debug"), 1);
});

Deno.test("[2025-11-25] a client that set no level hears every log of its call", async () => {
  assert.equal(await matrixLogs("2025-11-25", "legacy"), 1);
  // A 2026-only upstream logs only when asked with a level: the broker asks on the client's behalf.
  assert.equal(await matrixLogs("2025-11-25", "modern"), 1);
});
