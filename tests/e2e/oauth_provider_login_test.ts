/**
 * Token logins for stdio servers (`oauth:NAME` references): `janusmcp login PROVIDER NAME` at a
 * provider from the config — in the browser and with the device grant (RFC 8628) — against a
 * real authorization server, the token reaching a stdio upstream's environment (and redacted
 * from what it returns), refreshed by the same rules.
 */
import assert from "node:assert/strict";
import { type AuthServer, startAuthServer, STATIC_CLIENT_ID } from "../fixtures/oauth/auth_server.ts";
import { keychainTest } from "../secrets/secret_service.ts";
import { grantSecretName } from "../../lib/oauth/token_store.ts";
import { loginKey } from "../../lib/oauth/provider_login.ts";
import { createKeychainVault } from "../../lib/secrets/keychain_vault.ts";
import { callText, connectBroker, fixtureAccount, REPO, runCli, writeConfig } from "./harness.ts";
import { storedGrant, waitUntilExpired } from "./oauth_harness.ts";

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function providerConfig(as: AuthServer): Record<string, unknown> {
  return {
    issuer: as.issuer,
    authorizationEndpoint: `${as.issuer}/auth`,
    tokenEndpoint: `${as.issuer}/token`,
    deviceAuthorizationEndpoint: `${as.issuer}/device/auth`,
    revocationEndpoint: `${as.issuer}/token/revocation`,
    clientId: STATIC_CLIENT_ID,
    scopes: ["openid", "email", "offline_access"],
  };
}

keychainTest(
  "a browser token login feeds oauth:NAME to a stdio server, refreshed when it expires",
  async () => {
    const as = await startAuthServer({ accessTokenTtl: 3 });
    const name = `work-${crypto.randomUUID().slice(0, 6)}`;
    const configPath = await writeConfig({
      oauthProviders: { testauth: providerConfig(as) },
      accounts: [
        fixtureAccount("tool", { env: { FIXTURE_ACCOUNT: "tool", FIXTURE_SECRET: `oauth:${name}` } }),
      ],
    });
    const env = {
      JANUS_OAUTH_PORT: String(freePort()),
      BROWSER: `deno run --quiet -A ${REPO}tests/fixtures/oauth/browser.ts`,
      FAKE_BROWSER_USER: "dora",
    };
    try {
      const before = await connectBroker(configPath, "2025-11-25");
      try {
        const refused = await callText(before.client, "janus_with_account", { account_id: "tool" });
        assert.equal(refused.isError, true);
        assert.match(
          refused.text,
          new RegExp(`oauth:${name} needs a login.*janusmcp login PROVIDER ${name}`),
        );
      } finally {
        await before.close();
      }

      const missing = await runCli(["status", "--config", configPath]);
      assert.equal(missing.code, 4);
      assert.match(
        missing.stdout,
        new RegExp(`tool\\s+stdio\\s+needs-login\\s+needs: oauth:${name} MISSING`),
      );

      const login = await runCli(["login", "testauth", name, "--config", configPath], { env });
      assert.equal(login.code, 0, login.stderr);
      const present = await runCli(["status", "--config", configPath]);
      assert.equal(present.code, 0, present.stdout);
      assert.match(present.stdout, new RegExp(`tool\\s+stdio\\s+ready\\s+needs: oauth:${name} ok`));
      assert.equal(login.stdout, `oauth:${name}: logged in at testauth as dora@example.test\n`);

      const session = await connectBroker(configPath, "2025-11-25");
      try {
        const hash = await callText(session.client, "env_sha256", { name: "FIXTURE_SECRET" });
        assert.equal(hash.text, await sha256((await storedGrant(loginKey(name))).accessToken));
        const plain = await callText(session.client, "env_value", { name: "FIXTURE_SECRET" });
        assert.equal(plain.text, `[redacted:oauth:${name}]`, "the token is redacted from results");
        // Due for refresh while the broker runs: the child is restarted with a refreshed token.
        const before = (await storedGrant(loginKey(name))).accessToken;
        await waitUntilExpired(loginKey(name));
        const renewed = await callText(session.client, "env_sha256", { name: "FIXTURE_SECRET" });
        const after = (await storedGrant(loginKey(name))).accessToken;
        assert.notEqual(after, before);
        assert.equal(renewed.text, await sha256(after));
        assert.ok(session.stderr.some((line) => line.includes("due for refresh; restarting it")));
      } finally {
        await session.close();
      }
      // Expired again: the next broker's upstream start gets a refreshed token too.
      const first = (await storedGrant(loginKey(name))).accessToken;
      await waitUntilExpired(loginKey(name));
      const again = await connectBroker(configPath, "2025-11-25");
      try {
        const hash = await callText(again.client, "env_sha256", { name: "FIXTURE_SECRET" });
        const refreshed = (await storedGrant(loginKey(name))).accessToken;
        assert.notEqual(refreshed, first);
        assert.equal(hash.text, await sha256(refreshed));
        assert.ok(as.counts.refresh >= 1);
        assert.equal(as.counts.refreshErrors, 0);
      } finally {
        await again.close();
      }
    } finally {
      await createKeychainVault().delete(await grantSecretName(loginKey(name))).catch(() => false);
      await as.close();
    }
  },
);

keychainTest("a device-grant login (RFC 8628) stores a token for oauth:NAME", async () => {
  const as = await startAuthServer();
  const name = `dev-${crypto.randomUUID().slice(0, 6)}`;
  const configPath = await writeConfig({ oauthProviders: { testauth: providerConfig(as) }, accounts: [] });
  const env = {
    BROWSER: `deno run --quiet -A ${REPO}tests/fixtures/oauth/browser.ts`,
    FAKE_BROWSER_USER: "erin",
    FAKE_BROWSER_DEVICE: "1",
  };
  try {
    const login = await runCli(["login", "testauth", name, "--device", "--config", configPath], { env });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, new RegExp(`open ${as.issuer}/device\\S* and enter the code \\S+`));
    assert.equal(login.stdout, `oauth:${name}: logged in at testauth as erin@example.test\n`);
    assert.ok((await storedGrant(loginKey(name))).refreshToken);

    const unknown = await runCli(["login", "nope", name, "--config", configPath], { env });
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /unknown OAuth provider "nope" \(known: testauth\)/);
  } finally {
    await createKeychainVault().delete(await grantSecretName(loginKey(name))).catch(() => false);
    await as.close();
  }
});
