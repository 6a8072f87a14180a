import assert from "node:assert/strict";
import { join } from "node:path";
import { JanusError } from "../../lib/errors.ts";
import { createFileVault, type PassphrasePurpose } from "../../lib/secrets/file_vault.ts";
import {
  DEFAULT_SCRYPT,
  deriveVaultKey,
  newKeyParams,
  openVaultFile,
  parseVaultFile,
  sealVaultFile,
} from "../../lib/secrets/vault_file_format.ts";

const PASSPHRASE = "correct horse battery staple";
// The floor the format accepts; keeps the suite quick. One test checks the default separately.
const FAST_KDF = { logN: 15, r: 8, p: 1 };
const HEADER_LENGTH = 73;
const NONCE = [45, 57] as const;

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "janus-file-vault-" });
}

function vaultAt(path: string, passphrase = PASSPHRASE, asked: PassphrasePurpose[] = []) {
  return createFileVault({
    path,
    kdf: FAST_KDF,
    passphrase: (purpose) => {
      asked.push(purpose);
      return Promise.resolve(passphrase);
    },
  });
}

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof JanusError, `expected a JanusError, got ${error}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

async function seeded(): Promise<{ dir: string; path: string; bytes: Uint8Array }> {
  const dir = await tempDir();
  const path = join(dir, "vault.enc");
  await vaultAt(path).set("GITHUB", "ghp_example_value_1234");
  return { dir, path, bytes: await Deno.readFile(path) };
}

Deno.test("file vault round trip: set, get, list, replace, delete, and a second instance reads it back", async () => {
  const dir = await tempDir();
  try {
    const path = join(dir, "vault.enc");
    const vault = vaultAt(path);
    assert.equal(vault.backend, "file");
    await vault.set("GITHUB_WORK", "ghp_first");
    await vault.set("unicode.value", "clé 🔑 секрет\nsecond line");
    await vault.set("__proto__", "still a plain name");
    assert.deepEqual(await vault.list(), ["GITHUB_WORK", "__proto__", "unicode.value"]);
    await vault.set("GITHUB_WORK", "ghp_second");

    const again = vaultAt(path);
    assert.equal(await again.get("GITHUB_WORK"), "ghp_second");
    assert.equal(await again.get("unicode.value"), "clé 🔑 секрет\nsecond line");
    assert.equal(await again.get("__proto__"), "still a plain name");
    assert.equal(await again.get("absent"), undefined);
    assert.equal(await again.delete("GITHUB_WORK"), true);
    assert.equal(await again.delete("GITHUB_WORK"), false);
    assert.deepEqual(await vaultAt(path).list(), ["__proto__", "unicode.value"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file vault stores no value in clear and none of the names either", async () => {
  const { dir, bytes } = await seeded();
  try {
    const text = new TextDecoder("latin1").decode(bytes);
    assert.ok(!text.includes("ghp_example_value_1234"));
    assert.ok(!text.includes("GITHUB"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing vault file reads as empty without asking for a passphrase", async () => {
  const dir = await tempDir();
  try {
    const asked: PassphrasePurpose[] = [];
    const vault = vaultAt(join(dir, "vault.enc"), PASSPHRASE, asked);
    assert.deepEqual(await vault.list(), []);
    assert.equal(await vault.get("X"), undefined);
    assert.equal(await vault.delete("X"), false);
    assert.deepEqual(asked, []);
    await vault.set("X", "value-1234");
    assert.deepEqual(asked, ["create"]);
    await vault.set("Y", "value-5678");
    assert.deepEqual(asked, ["create"], "the passphrase is asked once per vault");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wrong passphrase is a clear auth error naming the file, and nothing is overwritten", async () => {
  const { dir, path, bytes } = await seeded();
  try {
    const wrong = vaultAt(path, "not the passphrase");
    await rejectsWith(wrong.get("GITHUB"), "auth", new RegExp(`^wrong vault passphrase for ${path}$`));
    await rejectsWith(wrong.set("OTHER", "value-9999"), "auth", /wrong vault passphrase/);
    await rejectsWith(wrong.delete("GITHUB"), "auth", /wrong vault passphrase/);
    assert.deepEqual(await Deno.readFile(path), bytes);
    assert.equal(await vaultAt(path).get("GITHUB"), "ghp_example_value_1234");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("after a wrong passphrase the vault asks again", async () => {
  const { dir, path } = await seeded();
  try {
    const answers = ["wrong one", PASSPHRASE];
    const vault = createFileVault({ path, passphrase: () => Promise.resolve(answers.shift() ?? "") });
    await rejectsWith(vault.list(), "auth", /wrong vault passphrase/);
    assert.deepEqual(await vault.list(), ["GITHUB"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a truncated vault file is a clear error naming the file, and is left alone", async () => {
  const { dir, path, bytes } = await seeded();
  try {
    for (const length of [0, 5, 8, 40, HEADER_LENGTH, HEADER_LENGTH + 15]) {
      const cut = bytes.slice(0, length);
      await Deno.writeFile(path, cut);
      const vault = vaultAt(path);
      await rejectsWith(vault.list(), "config", /is truncated \(\d+ bytes\)/);
      await rejectsWith(vault.set("NEW", "value-1234"), "config", new RegExp(path.replaceAll(".", "\\.")));
      assert.deepEqual(await Deno.readFile(path), cut, `length ${length}: the file must be left alone`);
    }
    // Cut inside the ciphertext: the header is whole, so authentication catches it.
    await Deno.writeFile(path, bytes.slice(0, bytes.length - 3));
    await rejectsWith(vaultAt(path).list(), "config", /corrupted/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("any flipped byte is reported as damage naming the file, never as a wrong passphrase or garbage", async () => {
  const { dir, path, bytes } = await seeded();
  try {
    const vault = vaultAt(path);
    for (let offset = 0; offset < bytes.length; offset++) {
      const damaged = bytes.slice();
      damaged[offset] ^= 0x01;
      await Deno.writeFile(path, damaged);
      await assert.rejects(vault.get("GITHUB"), (error: unknown) => {
        assert.ok(error instanceof JanusError);
        assert.equal(error.code, "config", `offset ${offset}: ${error.message}`);
        assert.ok(error.message.includes(path), `offset ${offset}: ${error.message}`);
        assert.doesNotMatch(error.message, /wrong vault passphrase/);
        return true;
      });
      await assert.rejects(vault.set("GITHUB", "overwrite-attempt"));
      assert.deepEqual(await Deno.readFile(path), damaged, `offset ${offset}: the file must be left alone`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unknown format version is a clear error naming the file and the version", async () => {
  const { dir, path, bytes } = await seeded();
  try {
    const future = bytes.slice();
    future[8] = 2;
    await Deno.writeFile(path, future);
    await rejectsWith(vaultAt(path).list(), "config", /format version 2.*reads version 1/);
    await rejectsWith(
      vaultAt(path).set("X", "value-1234"),
      "config",
      new RegExp(path.replaceAll(".", "\\.")),
    );
    assert.deepEqual(await Deno.readFile(path), future);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file that is not a vault at all is refused by name", async () => {
  const dir = await tempDir();
  try {
    const path = join(dir, "vault.enc");
    await Deno.writeTextFile(path, '{"secrets": {"GITHUB": "plain"}}');
    await rejectsWith(vaultAt(path).list(), "config", /is not a JanusMCP vault file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  { name: "vault file is mode 0600 in a directory created 0700", ignore: Deno.build.os === "windows" },
  async () => {
    const dir = await tempDir();
    try {
      const path = join(dir, "nested", "janusmcp", "vault.enc");
      const vault = vaultAt(path);
      await vault.set("A", "value-1234");
      assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600);
      assert.equal(((await Deno.stat(join(dir, "nested", "janusmcp"))).mode ?? -1) & 0o777, 0o700);
      await vault.set("B", "value-5678");
      assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600, "a rewrite keeps the mode");
      const leftovers = [...Deno.readDirSync(join(dir, "nested", "janusmcp"))].map((entry) => entry.name);
      assert.deepEqual(leftovers, ["vault.enc"], "no temp files are left behind");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("every write uses a fresh nonce, even for the same content", async () => {
  const dir = await tempDir();
  try {
    const path = join(dir, "vault.enc");
    const vault = vaultAt(path);
    await vault.set("SAME", "same-value-1234");
    const first = await Deno.readFile(path);
    await vault.set("SAME", "same-value-1234");
    const second = await Deno.readFile(path);
    assert.equal(first.length, second.length);
    assert.deepEqual(first.slice(0, NONCE[0]), second.slice(0, NONCE[0]), "magic, parameters and salt stay");
    assert.notDeepEqual(first.slice(...NONCE), second.slice(...NONCE));
    assert.notDeepEqual(first.slice(HEADER_LENGTH), second.slice(HEADER_LENGTH));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the header is authenticated: a key that matches cannot open a file whose header changed", async () => {
  const key = await deriveVaultKey(PASSPHRASE, newKeyParams(FAST_KDF));
  const bytes = await sealVaultFile(new Map([["A", "value-1234"]]), key);
  const file = await parseVaultFile(bytes, "memory");
  assert.deepEqual(await openVaultFile(file, key, "memory"), new Map([["A", "value-1234"]]));
  for (const offset of [10, 11, 20, 40]) {
    const header = file.header.slice();
    header[offset] ^= 0x01;
    await assert.rejects(openVaultFile({ ...file, header }, key, "memory"), /corrupted/);
  }
});

Deno.test("new vault files use scrypt N=2^17, r=8, p=1 and a per-file salt", async () => {
  const dir = await tempDir();
  try {
    const one = join(dir, "one.enc");
    const two = join(dir, "two.enc");
    for (const path of [one, two]) {
      await createFileVault({ path, passphrase: () => Promise.resolve(PASSPHRASE) }).set("A", "value-1234");
    }
    const [a, b] = [await Deno.readFile(one), await Deno.readFile(two)];
    assert.deepEqual([...a.slice(10, 13)], [DEFAULT_SCRYPT.logN, DEFAULT_SCRYPT.r, DEFAULT_SCRYPT.p]);
    assert.deepEqual([DEFAULT_SCRYPT.logN, DEFAULT_SCRYPT.r, DEFAULT_SCRYPT.p], [17, 8, 1]);
    assert.notDeepEqual(a.slice(13, 29), b.slice(13, 29));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("concurrent changes in one process are not lost", async () => {
  const dir = await tempDir();
  try {
    const path = join(dir, "vault.enc");
    const vault = vaultAt(path);
    await Promise.all(Array.from({ length: 8 }, (_, i) => vault.set(`K${i}`, `value-${i}-xxxx`)));
    assert.deepEqual(await vaultAt(path).list(), ["K0", "K1", "K2", "K3", "K4", "K5", "K6", "K7"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad names, empty values and short new passphrases are refused before anything is written", async () => {
  const dir = await tempDir();
  try {
    const path = join(dir, "vault.enc");
    const vault = vaultAt(path);
    await rejectsWith(vault.set("has space", "value-1234"), "usage", /invalid secret name/);
    await rejectsWith(vault.get("vault:X"), "usage", /invalid secret name/);
    await rejectsWith(vault.set("OK", ""), "usage", /empty value/);
    await rejectsWith(vaultAt(path, "short").set("OK", "value-1234"), "usage", /at least 8 characters/);
    await rejectsWith(vaultAt(path, "").set("OK", "value-1234"), "auth", /empty vault passphrase/);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  { name: "a symlinked vault file stays a symlink after a write", ignore: Deno.build.os === "windows" },
  async () => {
    const dir = await tempDir();
    try {
      const real = join(dir, "synced", "vault.enc");
      const link = join(dir, "vault.enc");
      await vaultAt(real).set("A", "value-1234");
      await Deno.symlink(real, link);
      await vaultAt(link).set("B", "value-5678");
      assert.ok((await Deno.lstat(link)).isSymlink);
      assert.deepEqual(await vaultAt(real).list(), ["A", "B"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
