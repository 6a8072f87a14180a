import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../lib/config/load.ts";
import { EMPTY_CONFIG } from "../../lib/config/types.ts";
import { JanusError } from "../../lib/errors.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "janus-load-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs `fn`, which must throw a JanusError, and returns it. */
async function configError(fn: () => Promise<unknown>): Promise<JanusError> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof JanusError, `expected a JanusError, got ${error}`);
    assert.equal(error.code, "config");
    return error;
  }
  assert.fail("expected loading to fail");
}

Deno.test("comments and trailing commas are accepted", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "config.json");
    await Deno.writeTextFile(
      path,
      `// JanusMCP config
{
  /* two identities */
  "accounts": [
    { "id": "work", "service": "github", "command": "gh-mcp", }, // trailing comma
  ],
  "bindingMode": "session",
}
`,
    );
    const loaded = await loadConfig(path);
    assert.equal(loaded.path, path);
    assert.equal(loaded.exists, true);
    assert.equal(loaded.config.bindingMode, "session");
    assert.deepEqual(loaded.config.accounts.map((account) => account.id), ["work"]);
  });
});

Deno.test("a byte-order mark at the start is ignored", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "config.json");
    await Deno.writeFile(path, new TextEncoder().encode('\uFEFF{"accounts": []}'));
    assert.equal((await loadConfig(path)).exists, true);
  });
});

Deno.test("a missing file loads as the empty config without creating anything", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "nested", "config.json");
    const loaded = await loadConfig(path);
    assert.deepEqual(loaded, { path, exists: false, config: EMPTY_CONFIG });
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("a syntax error names file, line, column and the problem in words", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "config.json");
    await Deno.writeTextFile(
      path,
      '{\n  "accounts": [\n    { "id": "a", "service": "s", "command": "c" }\n    { "id": "b" }\n  ]\n}\n',
    );
    const error = await configError(() => loadConfig(path));
    assert.equal(error.message, `${path}:4:5: expected a comma`);
  });
});

Deno.test("other syntax errors are described too", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "config.json");
    const cases: [string, string][] = [
      ['{"accounts": [}', "1:15: expected a value"],
      ['{"accounts" []}', "1:13: expected a colon"],
      ['{"accounts": "abc', "1:14: unclosed string"],
      ['{"accounts": []} {}', "1:18: expected the end of the file (only one top-level value is allowed)"],
      ["{accounts: []}", "1:2: unexpected character (strings and keys need double quotes)"],
      ['{"accounts": [] /* note', "1:17: unclosed comment"],
    ];
    for (const [text, expected] of cases) {
      await Deno.writeTextFile(path, text);
      const error = await configError(() => loadConfig(path));
      assert.equal(error.message, `${path}:${expected}`, text);
    }
  });
});

Deno.test("an empty or whitespace-only file is a config error", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "config.json");
    for (const text of ["", "  \n\t\n"]) {
      await Deno.writeTextFile(path, text);
      const error = await configError(() => loadConfig(path));
      assert.equal(error.message, `config ${path} is empty (write {"accounts": []} or remove the file)`);
    }
  });
});

Deno.test("an invalid config throws one config error listing every problem and leaves the file untouched", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "config.json");
    const bytes = new TextEncoder().encode(
      '{\n  // keep me\n  "acounts": [],\n  "accounts": [{"id": "a", "service": "s"}],\n  "bindingMode": "x",\n}\n',
    );
    await Deno.writeFile(path, bytes);
    const before = await Deno.stat(path);
    const error = await configError(() => loadConfig(path));
    assert.equal(
      error.message,
      [
        `invalid config ${path}:`,
        '  acounts: unknown key (did you mean "accounts"?)',
        "  accounts[0].command: required for a stdio account",
        '  bindingMode: expected "global", "session" or "locked", got "x"',
      ].join("\n"),
    );
    assert.deepEqual(await Deno.readFile(path), bytes);
    assert.equal((await Deno.stat(path)).mtime?.getTime(), before.mtime?.getTime());
    assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["config.json"]);
  });
});

Deno.test("a path that cannot be read as a file is a config error", async () => {
  await withTempDir(async (dir) => {
    const error = await configError(() => loadConfig(dir));
    assert.ok(error.message.startsWith(`cannot read config ${dir}: `), error.message);
  });
});

Deno.test("the empty config handed out for a missing file is a fresh copy", async () => {
  await withTempDir(async (dir) => {
    const first = await loadConfig(join(dir, "config.json"));
    first.config.accounts.push({
      id: "x",
      service: "s",
      label: "x",
      transport: "stdio",
      command: "c",
      args: [],
      env: {},
      headers: {},
    });
    assert.deepEqual(EMPTY_CONFIG.accounts, []);
    assert.deepEqual((await loadConfig(join(dir, "config.json"))).config.accounts, []);
  });
});
