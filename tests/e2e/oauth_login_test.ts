/**
 * Logging in and out against a real authorization server: the login refuses a forged `state` or
 * a wrong `iss` and stores nothing, says clearly when its port is taken or the browser never
 * comes back, `disconnect` revokes at the server, a URL without a transport falls back to SSE
 * (and remembers it), and `janus_login` logs an account in from chat.
 */
import { must } from "../must.ts";
import assert from "node:assert/strict";
import { refreshAuthorization } from "@modelcontextprotocol/client";
import { keychainTest } from "../secrets/secret_service.ts";
import { TokenStore } from "../../lib/oauth/token_store.ts";
import { createKeychainVault } from "../../lib/secrets/keychain_vault.ts";
import { callText, connectBroker } from "./harness.ts";
import { startOAuthWorld, storedGrant } from "./oauth_harness.ts";

const grantOf = (id: string) => new TokenStore(createKeychainVault()).grant(id);

keychainTest("a forged state or a wrong iss in the callback is refused and nothing is stored", async () => {
  const world = await startOAuthWorld({ accounts: ["acme"] });
  const { acme } = world.ids;
  try {
    const forged = await world.connect("acme", "alice", { FAKE_BROWSER_TAMPER: "state" });
    assert.equal(forged.code, 4, forged.stderr);
    assert.match(forged.stderr, /state that does not match this login/);
    assert.equal(await grantOf(acme), undefined);
    assert.equal(world.as.counts.codes, 0, "the code was never redeemed");

    const wrongIss = await world.connect("acme", "alice", { FAKE_BROWSER_TAMPER: "iss" });
    assert.equal(wrongIss.code, 4, wrongIss.stderr);
    assert.match(wrongIss.stderr, /login could not be completed: .*(issuer|iss)/i);
    assert.equal(await grantOf(acme), undefined);
    assert.equal(world.as.counts.codes, 0);

    // The callback port was released each time: a clean login works.
    const clean = await world.connect("acme", "alice");
    assert.equal(clean.code, 0, clean.stderr);
    assert.ok(await grantOf(acme));
  } finally {
    await world.close();
  }
});

keychainTest("a taken callback port and a browser that never comes back are clear errors", async () => {
  const world = await startOAuthWorld({ accounts: ["acme"] });
  try {
    const blocker = Deno.listen({ hostname: "127.0.0.1", port: Number(world.env.JANUS_OAUTH_PORT) });
    try {
      const taken = await world.connect("acme", "alice");
      assert.equal(taken.code, 2);
      assert.match(
        taken.stderr,
        new RegExp(`127\\.0\\.0\\.1:${world.env.JANUS_OAUTH_PORT} is already in use`),
      );
      assert.match(taken.stderr, /JANUS_OAUTH_PORT/);
    } finally {
      blocker.close();
    }
    const slow = await world.cli(["connect", world.ids.acme, "--timeout", "1"], { BROWSER: "true" });
    assert.equal(slow.code, 124);
    assert.match(slow.stderr, /no login arrived within 1 s/);
    assert.equal(slow.stdout, "", "the URL goes to stderr, never stdout");
  } finally {
    await world.close();
  }
});

keychainTest("disconnect revokes the tokens at the server and deletes them", async () => {
  const world = await startOAuthWorld({ accounts: ["acme"] });
  const { acme } = world.ids;
  try {
    assert.equal((await world.connect("acme", "alice")).code, 0);
    const grant = await storedGrant(acme);
    const out = await world.cli(["disconnect", acme]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, `${acme}: disconnected (tokens revoked at the server and deleted)\n`);
    assert.ok(world.as.counts.revocations >= 1);
    assert.equal(await grantOf(acme), undefined);
    const registration = await new TokenStore(createKeychainVault()).registration(grant.issuer);
    await assert.rejects(
      refreshAuthorization(world.as.issuer, {
        clientInformation: must(registration, "the registration").client,
        refreshToken: must(grant.refreshToken, "the refresh token"),
      }),
      /invalid_grant|grant request is invalid/i,
    );
    const status = await world.cli(["status"]);
    assert.match(status.stdout, new RegExp(`${acme}\\s+http\\s+needs-login`));
    const again = await world.cli(["disconnect", acme]);
    assert.equal(again.stdout, `${acme}: was not connected; nothing to do\n`);
  } finally {
    await world.close();
  }
});

keychainTest("a url without transport falls back to SSE on an SSE-only server and remembers it", async () => {
  const world = await startOAuthWorld({ accounts: ["acme"], mode: "sse", noTransport: true });
  const { acme } = world.ids;
  try {
    assert.equal((await world.connect("acme", "alice")).code, 0);
    for (const round of ["first", "remembered"]) {
      const session = await connectBroker(world.configPath, "2025-11-25");
      try {
        assert.deepEqual(
          await callText(session.client, "whoami"),
          { text: "subject=alice", isError: false },
          round,
        );
      } finally {
        await session.close();
      }
      const state = JSON.parse(await Deno.readTextFile(`${world.stateDir}/remote-state.json`));
      assert.deepEqual(state.accounts[acme].transport, { url: world.mcp.url, kind: "sse" }, round);
    }
    assert.equal(world.mcp.unauthorized, 0, "the Streamable HTTP attempt spent no token refresh");
  } finally {
    await world.close();
  }
});

keychainTest(
  "in chat: a call needing a login says both ways; janus_login logs in from the broker",
  async () => {
    const world = await startOAuthWorld({ accounts: ["acme"] });
    const { acme } = world.ids;
    try {
      const shown: Record<string, unknown>[] = [];
      const session = await connectBroker(world.configPath, "2025-11-25", {
        env: { ...world.env, FAKE_BROWSER_USER: "carol" },
        client: { capabilities: { elicitation: { url: {} } } },
        setup: (client) =>
          client.setRequestHandler("elicitation/create", (request) => {
            shown.push(request.params as Record<string, unknown>);
            return { action: "accept" };
          }),
      });
      try {
        const refused = await callText(session.client, "janus_with_account", {
          account_id: acme,
          tool: "whoami",
        });
        assert.equal(refused.isError, true);
        assert.match(
          refused.text,
          new RegExp(`account "${acme}" needs a login \\(it is not connected yet\\)`),
        );
        assert.match(refused.text, new RegExp(`janusmcp connect ${acme}`));
        assert.match(refused.text, new RegExp(`janus_login with \\{"account_id": "${acme}"\\}`));

        const login = await callText(session.client, "janus_login", { account_id: acme });
        assert.equal(login.isError, false, login.text);
        assert.match(login.text, new RegExp(`${acme}: connected as carol@example.test`));
        // The client was asked to show the login URL (URL elicitation), and nothing secret came with it.
        assert.equal(shown.length, 1);
        assert.equal(shown[0].mode, "url");
        assert.match(String(shown[0].url), new RegExp(`^${world.as.issuer}/auth\\?`));
        assert.doesNotMatch(JSON.stringify(shown[0]), /code_verifier|access_token/);
        assert.deepEqual(await callText(session.client, "whoami"), { text: "subject=carol", isError: false });
        const whoami = await callText(session.client, "janus_whoami");
        assert.match(whoami.text, /"login": "connected as carol@example\.test"/);
      } finally {
        await session.close();
      }
    } finally {
      await world.close();
    }
  },
);
