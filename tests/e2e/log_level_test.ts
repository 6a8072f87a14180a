/**
 * Relayed upstream logs honour the level a 2026-07-28 client sends with each request. A level
 * outside the eight is refused by the SDK's envelope check before it reaches the broker; the
 * broker's own check (request_context.ts) is the second line, unit-tested in log_levels_test.ts.
 */
import assert from "node:assert/strict";
import { LOG_LEVEL_META_KEY } from "@modelcontextprotocol/client";
import { connectBroker, eventually, REPO, writeConfig } from "./harness.ts";

const conformanceAccount = {
  id: "conf",
  service: "conformance",
  command: "deno",
  args: [
    "run",
    "--quiet",
    `--config=${REPO}deno.json`,
    "--allow-env",
    `${REPO}tests/fixtures/conformance_upstream.ts`,
  ],
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
