import assert from "node:assert/strict";
import { JanusError } from "../../lib/errors.ts";
import { createKeychainVault, KEYCHAIN_SERVICE } from "../../lib/secrets/keychain_vault.ts";
import type { Vault } from "../../lib/secrets/vault.ts";
import { keychainTest, testService } from "./secret_service.ts";

async function cleanUp(vault: Vault): Promise<void> {
  for (const name of await vault.list()) await vault.delete(name);
}

keychainTest("keychain vault round trip: set, get, list, replace, delete", async () => {
  const vault = createKeychainVault({ service: testService() });
  try {
    assert.equal(vault.backend, "keychain");
    assert.deepEqual(await vault.list(), []);
    assert.equal(await vault.get("GITHUB_WORK"), undefined);
    await vault.set("GITHUB_WORK", "ghp_first_value");
    await vault.set("supabase.prod-key", "sb_value");
    assert.deepEqual(await vault.list(), ["GITHUB_WORK", "supabase.prod-key"]);
    assert.equal(await vault.get("GITHUB_WORK"), "ghp_first_value");
    await vault.set("GITHUB_WORK", "ghp_second_value");
    assert.equal(await vault.get("GITHUB_WORK"), "ghp_second_value");
    assert.deepEqual(await vault.list(), ["GITHUB_WORK", "supabase.prod-key"], "replacing adds no entry");
    assert.equal(await vault.delete("GITHUB_WORK"), true);
    assert.equal(await vault.delete("GITHUB_WORK"), false);
    assert.equal(await vault.get("GITHUB_WORK"), undefined);
    assert.deepEqual(await vault.list(), ["supabase.prod-key"]);
  } finally {
    await cleanUp(vault);
  }
});

keychainTest("keychain vault keeps unicode and multi-line values exactly", async () => {
  const service = testService();
  const vault = createKeychainVault({ service });
  try {
    const value = "clé 🔑 секрет 秘密\n  second line\twith tab  ";
    await vault.set("unicode", value);
    assert.equal(await vault.get("unicode"), value);
    assert.equal(
      await createKeychainVault({ service }).get("unicode"),
      value,
      "a second instance reads it too",
    );
  } finally {
    await cleanUp(vault);
  }
});

keychainTest("keychain services are isolated: names and values never cross", async () => {
  const one = createKeychainVault({ service: testService() });
  const two = createKeychainVault({ service: testService() });
  try {
    await one.set("SHARED", "value-in-one");
    await two.set("SHARED", "value-in-two");
    await one.set("ONLY_ONE", "x-value");
    assert.deepEqual(await one.list(), ["ONLY_ONE", "SHARED"]);
    assert.deepEqual(await two.list(), ["SHARED"]);
    assert.equal(await one.get("SHARED"), "value-in-one");
    assert.equal(await two.get("SHARED"), "value-in-two");
    assert.equal(await two.get("ONLY_ONE"), undefined);
    assert.equal(await two.delete("ONLY_ONE"), false);
    assert.equal(await one.get("ONLY_ONE"), "x-value");
  } finally {
    await cleanUp(one);
    await cleanUp(two);
  }
});

keychainTest("the default service is janusmcp, readable with the system's own secret-tool", async () => {
  const name = `janus-test-${crypto.randomUUID().slice(0, 8)}`;
  const vault = createKeychainVault();
  try {
    await vault.set(name, "visible-to-system-tools");
    assert.ok((await vault.list()).includes(name));
    const lookup = await new Deno.Command("secret-tool", {
      args: ["lookup", "service", KEYCHAIN_SERVICE, "username", name],
      stdout: "piped",
      stderr: "piped",
    }).output().catch(() => undefined);
    if (lookup !== undefined) {
      assert.equal(lookup.code, 0, new TextDecoder().decode(lookup.stderr));
      assert.equal(new TextDecoder().decode(lookup.stdout).replace(/\n$/, ""), "visible-to-system-tools");
    }
  } finally {
    await vault.delete(name);
  }
});

keychainTest("keychain vault refuses bad names and empty values without touching the keychain", async () => {
  const vault = createKeychainVault({ service: testService() });
  for (const name of ["", "has space", "vault:X", "x".repeat(65), "slash/name"]) {
    await assert.rejects(vault.set(name, "value-1234"), (error: unknown) => {
      assert.ok(error instanceof JanusError);
      assert.equal(error.code, "usage");
      return true;
    });
  }
  await assert.rejects(vault.set("OK", ""), /empty value/);
  assert.deepEqual(await vault.list(), []);
});

Deno.test({
  name: "without a Secret Service the keychain vault fails loudly with the file opt-in, and stores nothing",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const probe = `
      import { createKeychainVault } from ${
      JSON.stringify(new URL("../../lib/secrets/keychain_vault.ts", import.meta.url).href)
    };
      const results = [];
      for (const op of [(v) => v.set("X", "value-1234"), (v) => v.get("X"), (v) => v.list(), (v) => v.delete("X")]) {
        try { await op(createKeychainVault({ service: "janusmcp-test-nobus" })); results.push({ ok: true }); }
        catch (error) { results.push({ ok: false, code: error.code, message: error.message }); }
      }
      console.log(JSON.stringify(results));
    `;
    const dir = await Deno.makeTempDir({ prefix: "janus-nobus-" });
    try {
      const output = await new Deno.Command("deno", {
        args: ["eval", "--ext=js", probe],
        cwd: new URL("../..", import.meta.url).pathname,
        // A bus address nobody listens on: exactly what a headless box without a keyring looks like.
        env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/no-bus` },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assert.equal(output.code, 0, stderr);
      const results: { ok: boolean; code?: string; message?: string }[] = JSON.parse(
        new TextDecoder().decode(output.stdout),
      );
      assert.equal(results.length, 4);
      for (const result of results) {
        assert.equal(result.ok, false, "no operation may succeed without the keychain (no silent fallback)");
        assert.equal(result.code, "auth");
        assert.match(result.message ?? "", /^the OS keychain is unavailable: .+/);
        assert.match(result.message ?? "", /JANUS_VAULT=file/);
        assert.match(result.message ?? "", /"vault": \{"backend": "file"\}/);
        assert.ok(!(result.message ?? "").includes("value-1234"));
        assert.equal((result.message ?? "").split("\n").length, 1, "one line");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
