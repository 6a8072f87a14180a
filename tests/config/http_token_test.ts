import assert from "node:assert/strict";
import { join } from "node:path";
import { httpTokenPath, loadOrCreateHttpToken } from "../../lib/config/http_token.ts";
import { JanusError } from "../../lib/errors.ts";

const posix = Deno.build.os !== "windows";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "janus-token-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function entries(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test("the token lives in the config directory's http-token file", () => {
  assert.equal(httpTokenPath("/home/me/.config/janusmcp"), join("/home/me/.config/janusmcp", "http-token"));
});

Deno.test("a first call creates a long base64url token in a private file", async () => {
  await withTempDir(async (dir) => {
    const { token, path, created } = await loadOrCreateHttpToken(dir);
    assert.equal(created, true);
    assert.equal(path, join(dir, "http-token"));
    assert.match(token, /^[A-Za-z0-9_-]{40,}$/);
    assert.equal(await Deno.readTextFile(path), `${token}\n`);
    assert.deepEqual(entries(dir), ["http-token"]);
    if (posix) assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600);
  });
});

Deno.test("a missing config directory is created with mode 0700", async () => {
  await withTempDir(async (dir) => {
    const configDir = join(dir, "config", "janusmcp");
    const { path, created } = await loadOrCreateHttpToken(configDir);
    assert.equal(created, true);
    assert.equal(path, join(configDir, "http-token"));
    if (posix) {
      assert.equal(((await Deno.stat(configDir)).mode ?? -1) & 0o777, 0o700);
      assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600);
    }
  });
});

Deno.test("a second call returns the same token without creating one", async () => {
  await withTempDir(async (dir) => {
    const first = await loadOrCreateHttpToken(dir);
    const before = await Deno.readFile(first.path);
    const second = await loadOrCreateHttpToken(dir);
    assert.deepEqual(second, { token: first.token, path: first.path, created: false });
    assert.deepEqual(await Deno.readFile(first.path), before);
  });
});

Deno.test("separate config directories get different tokens", async () => {
  await withTempDir(async (a) => {
    await withTempDir(async (b) => {
      assert.notEqual((await loadOrCreateHttpToken(a)).token, (await loadOrCreateHttpToken(b)).token);
    });
  });
});

Deno.test("a long enough hand-written token is used as it is, surrounding whitespace trimmed", async () => {
  await withTempDir(async (dir) => {
    const mine = "my-own-token-that-is-long-enough-1234567890";
    await Deno.writeTextFile(join(dir, "http-token"), `  ${mine}\r\n\n`);
    assert.deepEqual(await loadOrCreateHttpToken(dir), {
      token: mine,
      path: join(dir, "http-token"),
      created: false,
    });
  });
});

Deno.test("a hand-written short token is refused by name and left untouched", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "http-token");
    for (const text of ["short-token\n", "", "\n", "x".repeat(31)]) {
      await Deno.writeTextFile(path, text);
      const before = await Deno.readFile(path);
      await assert.rejects(loadOrCreateHttpToken(dir), (error) => {
        assert.ok(error instanceof JanusError);
        assert.equal(error.code, "config");
        assert.ok(error.message.includes(path), error.message);
        assert.match(error.message, /at least 32 characters/);
        return true;
      });
      assert.deepEqual(await Deno.readFile(path), before);
      assert.deepEqual(entries(dir), ["http-token"]);
    }
  });
});
