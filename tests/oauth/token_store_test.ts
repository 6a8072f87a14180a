import assert from "node:assert/strict";
import { grantSecretName, registrationSecretName, TokenStore } from "../../lib/oauth/token_store.ts";
import { createKeychainVault } from "../../lib/secrets/keychain_vault.ts";
import { VAULT_NAME_PATTERN } from "../../lib/references.ts";
import { keychainTest, testService } from "../secrets/secret_service.ts";

const grant = {
  issuer: "https://as.example",
  authorizationServerUrl: "https://as.example",
  clientId: "c",
  accessToken: "at-value",
  tokenType: "Bearer",
  refreshToken: "rt-value",
  obtainedAt: 1,
  loginId: "l1",
};

Deno.test("vault names for grants and registrations are valid vault names, even for 64-character ids", async () => {
  const long = "a".repeat(64);
  for (
    const name of [
      await grantSecretName("acme"),
      await grantSecretName(long),
      await registrationSecretName("https://x/y"),
    ]
  ) {
    assert.match(name, VAULT_NAME_PATTERN);
  }
  assert.equal(await grantSecretName("acme"), "oauth-token.acme");
  assert.notEqual(await grantSecretName(long), await grantSecretName(`${"a".repeat(63)}b`));
});

keychainTest("grants are per account and registrations per issuer in the keychain", async () => {
  const vault = createKeychainVault({ service: testService() });
  const store = new TokenStore(vault);
  try {
    await store.saveGrant("one", grant);
    assert.deepEqual(await store.grant("one"), grant);
    assert.equal(await store.grant("two"), undefined);
    await store.saveRegistration({
      issuer: grant.issuer,
      client: { client_id: "c", redirect_uris: ["http://127.0.0.1/callback"] },
    });
    assert.equal((await store.registration(grant.issuer))?.client.client_id, "c");
    assert.equal(await store.registration("https://other.example"), undefined);
    assert.equal(await store.deleteGrant("one"), true);
    assert.equal(await store.grant("one"), undefined);
  } finally {
    for (const name of await vault.list()) await vault.delete(name);
  }
});

keychainTest(
  "a registration stored for another issuer, or a damaged entry, is refused with the reason",
  async () => {
    const vault = createKeychainVault({ service: testService() });
    const store = new TokenStore(vault);
    try {
      const name = await registrationSecretName("https://as.example");
      await vault.set(name, JSON.stringify({ issuer: "https://evil.example", client: { client_id: "c" } }));
      await assert.rejects(
        store.registration("https://as.example"),
        /made with authorization server https:\/\/evil\.example/,
      );
      await vault.set(await grantSecretName("one"), "{not json");
      await assert.rejects(store.grant("one"), (error: Error) => {
        assert.match(error.message, /stored login of account "one" is damaged/);
        assert.doesNotMatch(error.message, /not json/);
        return true;
      });
      await vault.set(await grantSecretName("one"), JSON.stringify({ accessToken: 5 }));
      await assert.rejects(store.grant("one"), /unexpected shape/);
    } finally {
      for (const name of await vault.list()) await vault.delete(name);
    }
  },
);
