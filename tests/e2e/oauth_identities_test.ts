/**
 * Two logins to the same OAuth-protected MCP server URL, side by side: each account is its own
 * subject at the server, sessions switch between them, each sees only its own data, and both
 * survive a broker restart — against a real authorization server (oidc-provider).
 */
import assert from "node:assert/strict";
import { keychainTest } from "../secrets/secret_service.ts";
import { callText, connectBroker, connectHttp, startHttpBroker } from "./harness.ts";
import { startOAuthWorld } from "./oauth_harness.ts";

keychainTest("two accounts of one URL log in as two subjects and keep them across a restart", async () => {
  const world = await startOAuthWorld({ accounts: ["acme", "globex"] });
  const { acme, globex } = world.ids;
  try {
    const first = await world.connect("acme", "alice");
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `${acme}: connected as alice@example.test\n`);
    assert.match(first.stderr, /Open this URL to log in/);
    const second = await world.connect("globex", "bob");
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, `${globex}: connected as bob@example.test\n`);
    // One registration at the authorization server, shared by both accounts.
    assert.equal(world.as.counts.registrations, 1);

    const status = await world.cli(["status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`${acme}\\s+http\\s+connected as alice@example.test`));
    assert.match(status.stdout, new RegExp(`${globex}\\s+http\\s+connected as bob@example.test`));

    for (const round of ["first start", "after a restart"]) {
      const session = await connectBroker(world.configPath, "2025-11-25");
      try {
        assert.deepEqual(
          await callText(session.client, "whoami"),
          { text: "subject=alice", isError: false },
          round,
        );
        const switched = await callText(session.client, "janus_use_account", { account_id: globex });
        assert.equal(switched.isError, false, switched.text);
        assert.deepEqual(
          await callText(session.client, "whoami"),
          { text: "subject=bob", isError: false },
          round,
        );
        const once = await callText(session.client, "janus_with_account", {
          account_id: acme,
          tool: "whoami",
        });
        assert.deepEqual(once, { text: "subject=alice", isError: false }, round);
        const whoami = await callText(session.client, "janus_whoami");
        assert.match(whoami.text, /connected as bob@example\.test/, round);
      } finally {
        await session.close();
      }
    }
    // No login was needed again: still the two logins of the start.
    assert.equal(world.as.counts.codes, 2);

    // Logging an account in again as someone else takes effect in a broker that is already running.
    const session = await connectBroker(world.configPath, "2025-11-25");
    try {
      assert.equal((await callText(session.client, "whoami")).text, "subject=alice");
      assert.equal((await world.connect("acme", "dave")).code, 0);
      assert.equal((await callText(session.client, "whoami")).text, "subject=dave");
    } finally {
      await session.close();
    }
  } finally {
    await world.close();
  }
});

keychainTest(
  "over HTTP each session acts as its own account of the same URL and sees only its subject",
  async () => {
    const world = await startOAuthWorld({ accounts: ["acme", "globex"] });
    const { acme, globex } = world.ids;
    const broker = await startHttpBroker(world.configPath);
    try {
      assert.equal((await world.connect("acme", "alice")).code, 0);
      assert.equal((await world.connect("globex", "bob")).code, 0);
      const one = await connectHttp(broker.origin, "2025-11-25");
      const two = await connectHttp(broker.origin, "2025-11-25");
      try {
        assert.equal((await callText(one.client, "janus_use_account", { account_id: acme })).isError, false);
        assert.equal(
          (await callText(two.client, "janus_use_account", { account_id: globex })).isError,
          false,
        );
        const [a, b] = await Promise.all([callText(one.client, "whoami"), callText(two.client, "whoami")]);
        assert.equal(a.text, "subject=alice");
        assert.equal(b.text, "subject=bob");
        assert.deepEqual([...new Set(world.mcp.subjects)].sort(), ["alice", "bob"]);
      } finally {
        await one.client.close();
        await two.client.close();
      }
    } finally {
      await broker.stop();
      await world.close();
    }
  },
);
