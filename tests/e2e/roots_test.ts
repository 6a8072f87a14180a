/**
 * Roots through the broker: an upstream that asks for roots outside any call (at start, as
 * server-filesystem and server-everything do) is told the account has none, so it logs no
 * failure; one that asks mid-call still gets the calling client's roots.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/client";
import {
  callText,
  connectBroker,
  eventually,
  everythingAccount,
  fixtureAccount,
  fixtureArgs,
  REPO,
  writeConfig,
} from "./harness.ts";

/** npm's server-filesystem over `dir` (a real third-party server that asks for roots at start). */
function filesystemAccount(id: string, dir: string): Record<string, unknown> {
  return {
    id,
    service: "filesystem",
    command: "deno",
    args: [
      "run",
      "-A",
      "--quiet",
      `--config=${REPO}deno.json`,
      "npm:@modelcontextprotocol/server-filesystem@2026.8.31",
      dir,
    ],
  };
}

/** The matrix fixture, which asks its client for roots in the middle of its `roots` tool. */
function matrixAccount(id: string): Record<string, unknown> {
  return {
    id,
    service: "matrix",
    command: "deno",
    args: fixtureArgs("tests/fixtures/matrix_stdio.ts", ["--allow-env=MATRIX_BAD_TOOL"], ["legacy"]),
  };
}

const CLIENT_ROOT = { uri: "file:///client/work", name: "work" };

Deno.test("an upstream asking for roots at start hears 'none' without failing; mid-call the caller's roots are relayed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-roots-" });
  const configPath = await writeConfig({
    accounts: [
      fixtureAccount("plain", {
        env: { FIXTURE_ACCOUNT: "plain", FIXTURE_ERA: "legacy", FIXTURE_ROOTS_AT_START: "1" },
      }),
      filesystemAccount("files", dir),
      everythingAccount("everything"),
      matrixAccount("matrix"),
    ],
    defaultAccount: "everything",
  });
  const session = await connectBroker(configPath, "2025-11-25", {
    client: { capabilities: { roots: {} } },
    setup: (client: Client) => client.setRequestHandler("roots/list", () => ({ roots: [CLIENT_ROOT] })),
  });
  try {
    // Listing each account's tools starts its upstream; no call of ours is running afterwards.
    for (const id of ["plain", "files", "everything"]) {
      const listed = await callText(session.client, "janus_with_account", { account_id: id });
      assert.equal(listed.isError, false, listed.text);
    }
    const said = (pattern: RegExp) => session.stderr.filter((line) => pattern.test(line));
    // Each upstream's own reaction to the answer is awaited, whichever it was.
    assert.ok(await eventually(() => said(/\[plain\] roots at start/).length > 0), session.stderr.join("\n"));
    assert.deepEqual(said(/\[plain\] roots at start/), ["janusmcp: [plain] roots at start: []"]);
    assert.ok(await eventually(() => said(/\[files\].*root/i).length > 0), session.stderr.join("\n"));
    // server-everything asks 350 ms after its start and then sends a log message about the answer.
    assert.ok(
      await eventually(() =>
        session.notifications.includes("notifications/message") || said(/\[everything\].*roots/i).length > 0
      ),
      session.stderr.join("\n"),
    );
    assert.deepEqual(said(/fail|no call is in progress|error/i), []);

    // Mid-call, the calling client is still the one asked.
    const mid = await callText(session.client, "janus_with_account", { account_id: "matrix", tool: "roots" });
    assert.equal(mid.text, `roots: ${CLIENT_ROOT.uri}`);
  } finally {
    await session.close();
  }
});
