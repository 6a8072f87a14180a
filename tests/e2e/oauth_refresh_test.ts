/**
 * Refresh that never loses a token, against a real authorization server with short access-token
 * lifetimes and refresh-token rotation with reuse detection (a reused refresh token revokes the
 * whole grant): silent refresh on expiry, one refresh and one retry on a 401, one refresh
 * across processes refreshing at once, and a revoked login reported once, without a storm.
 */
import assert from "node:assert/strict";
import { keychainTest } from "../secrets/secret_service.ts";
import { callText, connectBroker } from "./harness.ts";
import {
  replaceGrant,
  revokeAtServer,
  startOAuthWorld,
  storedGrant,
  waitUntilExpired,
} from "./oauth_harness.ts";

keychainTest("an expired access token is refreshed silently before the call", async () => {
  const world = await startOAuthWorld({ accounts: ["acme"], accessTokenTtl: 3 });
  const { acme } = world.ids;
  try {
    assert.equal((await world.connect("acme", "alice")).code, 0);
    const session = await connectBroker(world.configPath, "2025-11-25");
    try {
      for (let round = 0; round < 2; round++) {
        const before = (await storedGrant(acme)).accessToken;
        await waitUntilExpired(acme);
        assert.deepEqual(await callText(session.client, "whoami"), { text: "subject=alice", isError: false });
        assert.notEqual((await storedGrant(acme)).accessToken, before, "the stored token was rotated");
      }
      assert.ok(world.as.counts.refresh >= 2);
      assert.equal(world.as.counts.refreshErrors, 0);
      assert.equal(world.mcp.unauthorized, 0, "no request went out with an expired token");
    } finally {
      await session.close();
    }
  } finally {
    await world.close();
  }
});

keychainTest("a 401 mid-session triggers one refresh and one retry", async () => {
  const world = await startOAuthWorld({ accounts: ["acme"] });
  const { acme } = world.ids;
  try {
    assert.equal((await world.connect("acme", "alice")).code, 0);
    const session = await connectBroker(world.configPath, "2025-11-25");
    try {
      assert.equal((await callText(session.client, "whoami")).text, "subject=alice");
      // The resource server stops accepting the current access token (revoked on its side).
      world.mcp.rejected.add((await storedGrant(acme)).accessToken);
      assert.deepEqual(await callText(session.client, "whoami"), { text: "subject=alice", isError: false });
      assert.equal(world.mcp.unauthorized, 1);
      assert.equal(world.as.counts.refresh, 1);
    } finally {
      await session.close();
    }
  } finally {
    await world.close();
  }
});

keychainTest(
  "two brokers and a CLI call refreshing one account at once: one refresh, nobody logged out",
  async () => {
    // Long enough that the refreshed token is not due again (at half its life) while the slowest
    // of the three processes starts.
    const world = await startOAuthWorld({ accounts: ["acme"], accessTokenTtl: 16 });
    const { acme } = world.ids;
    try {
      assert.equal((await world.connect("acme", "alice")).code, 0);
      const one = await connectBroker(world.configPath, "2025-11-25");
      const two = await connectBroker(world.configPath, "2025-11-25");
      try {
        assert.equal((await callText(one.client, "whoami")).text, "subject=alice");
        assert.equal((await callText(two.client, "whoami")).text, "subject=alice");
        await waitUntilExpired(acme);
        const refreshesBefore = world.as.counts.refresh;
        const [a, b, cli] = await Promise.all([
          callText(one.client, "whoami"),
          callText(two.client, "whoami"),
          world.cli(["connect", acme, "--check"]),
        ]);
        assert.deepEqual(a, { text: "subject=alice", isError: false });
        assert.deepEqual(b, { text: "subject=alice", isError: false });
        assert.equal(cli.code, 0, cli.stderr);
        assert.equal(cli.stdout, `${acme}: connected as alice@example.test\n`);
        assert.equal(world.as.counts.refresh - refreshesBefore, 1, "exactly one refresh reached the server");
        assert.equal(world.as.counts.refreshErrors, 0, "no refresh token was reused");
        assert.equal(world.as.counts.revocations, 0, "reuse detection never revoked the grant");
        // Still logged in everywhere afterwards.
        assert.equal((await callText(one.client, "whoami")).text, "subject=alice");
        assert.equal((await callText(two.client, "whoami")).text, "subject=alice");
      } finally {
        await one.close();
        await two.close();
      }
    } finally {
      await world.close();
    }
  },
);

keychainTest(
  "a revoked login makes that account need a login once, with no retry storm; others go on",
  async () => {
    const world = await startOAuthWorld({ accounts: ["acme", "globex"] });
    const { acme, globex } = world.ids;
    try {
      assert.equal((await world.connect("acme", "alice")).code, 0);
      assert.equal((await world.connect("globex", "bob")).code, 0);
      const session = await connectBroker(world.configPath, "2025-11-25");
      try {
        assert.equal((await callText(session.client, "whoami")).text, "subject=alice");
        await revokeAtServer(world, acme);
        world.mcp.rejected.add((await storedGrant(acme)).accessToken);
        for (let i = 0; i < 3; i++) {
          const refused = await callText(session.client, "whoami");
          assert.equal(refused.isError, true);
          assert.match(refused.text, new RegExp(`account "${acme}" needs a login`));
          assert.match(refused.text, new RegExp(`janusmcp connect ${acme}`));
          assert.match(refused.text, /janus_login/);
        }
        assert.equal(world.as.counts.refreshErrors, 1, "the server was asked once");
        const other = await callText(session.client, "janus_with_account", {
          account_id: globex,
          tool: "whoami",
        });
        assert.deepEqual(other, { text: "subject=bob", isError: false });

        const status = await world.cli(["status"]);
        assert.equal(status.code, 4);
        assert.match(status.stdout, new RegExp(`${acme}\\s+http\\s+needs-login`));
        assert.match(status.stdout, new RegExp(`${globex}\\s+http\\s+connected as bob@example.test`));

        // Logging in again brings the account back in the running broker.
        assert.equal((await world.connect("acme", "alice")).code, 0);
        assert.deepEqual(await callText(session.client, "whoami"), { text: "subject=alice", isError: false });
      } finally {
        await session.close();
      }
    } finally {
      await world.close();
    }
  },
);

keychainTest(
  "a changed issuer is refused: the refresh token is not sent, the account needs a login",
  async () => {
    const world = await startOAuthWorld({ accounts: ["acme"], accessTokenTtl: 3 });
    const { acme } = world.ids;
    try {
      assert.equal((await world.connect("acme", "alice")).code, 0);
      // The login was made with another issuer than the one the server's metadata names now.
      const grant = await storedGrant(acme);
      await replaceGrant(acme, { ...grant, issuer: "http://127.0.0.1:1/previous-issuer" });
      await waitUntilExpired(acme);
      const check = await world.cli(["connect", acme, "--check"]);
      assert.equal(check.code, 4);
      assert.match(
        check.stderr,
        /now says it is http:\/\/127\.0\.0\.1:\d+, not http:\/\/127\.0\.0\.1:1\/previous-issuer/,
      );
      assert.equal(world.as.counts.refresh + world.as.counts.refreshErrors, 0);
      const status = await world.cli(["status"]);
      assert.match(status.stdout, new RegExp(`${acme}\\s+http\\s+needs-login`));
    } finally {
      await world.close();
    }
  },
);
