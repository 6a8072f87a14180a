import assert from "node:assert/strict";
import { join } from "node:path";
import { JanusError } from "../../lib/errors.ts";
import { EMPTY_CONFIG, type JanusConfig } from "../../lib/config/types.ts";
import { chooseVaultBackend, fileVaultPath, openVault } from "../../lib/secrets/open_vault.ts";

function config(backend: "keychain" | "file"): JanusConfig {
  return { ...structuredClone(EMPTY_CONFIG), vault: { backend } };
}

function envOf(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => values[name];
}

Deno.test("the keychain is the default backend", () => {
  assert.equal(chooseVaultBackend(EMPTY_CONFIG, envOf({})), "keychain");
  assert.equal(
    openVault({ config: EMPTY_CONFIG, configDir: "/nowhere", env: envOf({}) }).backend,
    "keychain",
  );
});

Deno.test("config chooses the file backend; JANUS_VAULT overrides the config both ways", () => {
  assert.equal(chooseVaultBackend(config("file"), envOf({})), "file");
  assert.equal(chooseVaultBackend(config("keychain"), envOf({ JANUS_VAULT: "file" })), "file");
  assert.equal(chooseVaultBackend(config("file"), envOf({ JANUS_VAULT: "keychain" })), "keychain");
  assert.equal(chooseVaultBackend(config("file"), envOf({ JANUS_VAULT: "" })), "file", "empty means unset");
});

Deno.test("an unknown JANUS_VAULT value is a config error, not a silent default", () => {
  assert.throws(
    () => chooseVaultBackend(config("keychain"), envOf({ JANUS_VAULT: "plaintext" })),
    (error) => {
      assert.ok(error instanceof JanusError);
      assert.equal(error.code, "config");
      assert.match(error.message, /JANUS_VAULT must be "keychain" or "file", not "plaintext"/);
      return true;
    },
  );
});

Deno.test("the file vault is vault.enc in the config directory, unlocked by JANUS_VAULT_PASSPHRASE", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-open-vault-" });
  try {
    assert.equal(fileVaultPath(dir), join(dir, "vault.enc"));
    const env = envOf({ JANUS_VAULT: "file", JANUS_VAULT_PASSPHRASE: "env passphrase 123" });
    const vault = openVault({ config: EMPTY_CONFIG, configDir: dir, env });
    assert.equal(vault.backend, "file");
    await vault.set("A", "value-1234");
    await Deno.stat(join(dir, "vault.enc"));
    const prompted = openVault({
      config: config("file"),
      configDir: dir,
      env: envOf({}),
      promptPassphrase: () => Promise.resolve("env passphrase 123"),
    });
    assert.equal(await prompted.get("A"), "value-1234", "the prompt is used when the variable is not set");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file vault with neither passphrase variable nor prompt fails with a clear auth error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-open-vault-" });
  try {
    const vault = openVault({ config: config("file"), configDir: dir, env: envOf({}) });
    await assert.rejects(vault.set("A", "value-1234"), (error: unknown) => {
      assert.ok(error instanceof JanusError);
      assert.equal(error.code, "auth");
      assert.match(error.message, /needs a passphrase: set JANUS_VAULT_PASSPHRASE/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
