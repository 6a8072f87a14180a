import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/atomic_write.ts";

const posix = Deno.build.os !== "windows";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "janus-atomic-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function entries(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test("writes a new file with mode 0600 and nothing else in the directory", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "config.json");
    await writeFileAtomic(path, '{"accounts": []}\n');
    assert.equal(await Deno.readTextFile(path), '{"accounts": []}\n');
    assert.deepEqual(entries(dir), ["config.json"]);
    if (posix) assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600);
  });
});

Deno.test("creates missing parent directories with mode 0700", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "a", "b", "config.json");
    await writeFileAtomic(path, "x");
    assert.equal(await Deno.readTextFile(path), "x");
    if (posix) {
      assert.equal(((await Deno.stat(join(dir, "a", "b"))).mode ?? -1) & 0o777, 0o700);
      assert.equal(((await Deno.stat(join(dir, "a"))).mode ?? -1) & 0o777, 0o700);
    }
  });
});

Deno.test("leaves an existing directory's mode alone", async () => {
  await withTempDir(async (dir) => {
    if (!posix) return;
    await Deno.chmod(dir, 0o755);
    await writeFileAtomic(join(dir, "f"), "x");
    assert.equal(((await Deno.stat(dir)).mode ?? -1) & 0o777, 0o755);
  });
});

Deno.test("replaces an existing file and tightens its mode to 0600", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "state.json");
    await Deno.writeTextFile(path, "old contents that are longer than the new ones");
    if (posix) await Deno.chmod(path, 0o644);
    await writeFileAtomic(path, "new");
    assert.equal(await Deno.readTextFile(path), "new");
    if (posix) assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600);
    assert.deepEqual(entries(dir), ["state.json"]);
  });
});

Deno.test("writes unicode text byte for byte", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "f");
    const text = "héllo — 日本 🎉\n".repeat(10_000);
    await writeFileAtomic(path, text);
    assert.deepEqual(await Deno.readFile(path), new TextEncoder().encode(text));
  });
});

Deno.test("writing through a symlink replaces the link's target and keeps the link", async () => {
  await withTempDir(async (dir) => {
    if (!posix) return;
    const real = join(dir, "dotfiles", "config.json");
    await Deno.mkdir(join(dir, "dotfiles"));
    await Deno.writeTextFile(real, "old");
    const link = join(dir, "config.json");
    await Deno.symlink(real, link);
    await writeFileAtomic(link, "new");
    assert.equal((await Deno.lstat(link)).isSymlink, true);
    assert.equal(await Deno.readTextFile(real), "new");
  });
});

Deno.test("a failed rename removes the temp file and leaves the target intact", async () => {
  await withTempDir(async (dir) => {
    // A non-empty directory where the file should go makes the final rename fail.
    const path = join(dir, "config.json");
    await Deno.mkdir(path);
    await Deno.writeTextFile(join(path, "keep"), "kept");
    await assert.rejects(() => writeFileAtomic(path, "new"));
    assert.deepEqual(entries(dir), ["config.json"]);
    assert.equal(await Deno.readTextFile(join(path, "keep")), "kept");
  });
});

Deno.test("a parent path that is a file fails without touching it", async () => {
  await withTempDir(async (dir) => {
    const parent = join(dir, "not-a-dir");
    await Deno.writeTextFile(parent, "old");
    await assert.rejects(() => writeFileAtomic(join(parent, "config.json"), "new"));
    assert.equal(await Deno.readTextFile(parent), "old");
    assert.deepEqual(entries(dir), ["not-a-dir"]);
  });
});

Deno.test("concurrent writes each leave a complete file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "f");
    const texts = Array.from({ length: 20 }, (_, i) => `${i}:`.padEnd(50_000, String(i % 10)));
    await Promise.all(texts.map((text) => writeFileAtomic(path, text)));
    assert.ok(texts.includes(await Deno.readTextFile(path)));
    assert.deepEqual(entries(dir), ["f"]);
  });
});

Deno.test("bytes are written exactly as given (binary files such as the encrypted vault)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/vault.enc`;
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 37) % 256);
    await writeFileAtomic(path, bytes);
    assert.deepEqual(await Deno.readFile(path), bytes);
    assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
