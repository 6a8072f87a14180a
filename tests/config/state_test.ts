import assert from "node:assert/strict";
import { join } from "node:path";
import { stateFilePath, StateStore } from "../../lib/config/state.ts";
import type { PersistedState } from "../../lib/config/types.ts";

const posix = Deno.build.os !== "windows";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "janus-state-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A store for a config in `dir`, and the warnings it has emitted. */
function storeIn(dir: string): { store: StateStore; warnings: string[] } {
  const warnings: string[] = [];
  const store = new StateStore(join(dir, "config.json"), { warn: (message) => warnings.push(message) });
  return { store, warnings };
}

Deno.test("the state file sits next to the config file", () => {
  assert.equal(
    stateFilePath(join("/etc", "janusmcp", "config.json")),
    join("/etc", "janusmcp", "state.json"),
  );
  assert.equal(new StateStore(join("/x", "my.jsonc")).path, join("/x", "state.json"));
});

Deno.test("missing state loads as empty without a warning", async () => {
  await withTempDir(async (dir) => {
    const { store, warnings } = storeIn(dir);
    assert.deepEqual(await store.load(), {});
    assert.deepEqual(warnings, []);
  });
});

Deno.test("saved state loads back the same", async () => {
  await withTempDir(async (dir) => {
    const { store, warnings } = storeIn(dir);
    const states: PersistedState[] = [
      { globalSelector: { kind: "account", id: "work" } },
      { globalSelector: { kind: "profile", name: "client-a" } },
      {},
    ];
    for (const state of states) {
      await store.save(state);
      assert.deepEqual(await store.load(), state);
      assert.deepEqual(await storeIn(dir).store.load(), state);
    }
    assert.deepEqual(warnings, []);
  });
});

Deno.test("saving creates the file with mode 0600 and its directory with mode 0700", async () => {
  await withTempDir(async (dir) => {
    const configDir = join(dir, "janusmcp");
    const { store } = storeIn(configDir);
    await store.save({ globalSelector: { kind: "account", id: "a" } });
    const text = await Deno.readTextFile(join(configDir, "state.json"));
    assert.deepEqual(JSON.parse(text), { globalSelector: { kind: "account", id: "a" } });
    assert.ok(text.endsWith("\n"));
    if (posix) {
      assert.equal(((await Deno.stat(join(configDir, "state.json"))).mode ?? -1) & 0o777, 0o600);
      assert.equal(((await Deno.stat(configDir)).mode ?? -1) & 0o777, 0o700);
    }
  });
});

Deno.test("a corrupt state file loads as empty with exactly one warning naming the file", async () => {
  await withTempDir(async (dir) => {
    const { store, warnings } = storeIn(dir);
    await Deno.writeTextFile(store.path, '{"globalSelector": {"kind": "acc');
    assert.deepEqual(await store.load(), {});
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes(store.path), warnings[0]);
    assert.match(warnings[0], /not valid JSON/);
  });
});

Deno.test("a state file that is not an object loads as empty with one warning", async () => {
  await withTempDir(async (dir) => {
    const { store, warnings } = storeIn(dir);
    for (const text of ["[]", "null", '"x"', "3"]) {
      await Deno.writeTextFile(store.path, text);
      assert.deepEqual(await store.load(), {}, text);
    }
    assert.equal(warnings.length, 4);
    for (const warning of warnings) {
      assert.equal(
        warning,
        `warning: ignoring state file ${store.path}: expected a JSON object; starting with empty state`,
      );
    }
  });
});

Deno.test("an unreadable state file loads as empty with one warning", async () => {
  await withTempDir(async (dir) => {
    const { store, warnings } = storeIn(dir);
    await Deno.mkdir(store.path);
    assert.deepEqual(await store.load(), {});
    assert.equal(warnings.length, 1);
    assert.ok(
      warnings[0].startsWith(`warning: ignoring state file ${store.path}: cannot read it`),
      warnings[0],
    );
  });
});

Deno.test("unknown selector shapes and unknown keys are dropped silently", async () => {
  await withTempDir(async (dir) => {
    const { store, warnings } = storeIn(dir);
    const cases: unknown[] = [
      { globalSelector: { kind: "group", members: ["a"] } },
      { globalSelector: { kind: "account" } },
      { globalSelector: { kind: "account", id: 3 } },
      { globalSelector: { kind: "profile", name: "" } },
      { globalSelector: "a" },
      { somethingNew: true },
    ];
    for (const raw of cases) {
      await Deno.writeTextFile(store.path, JSON.stringify(raw));
      assert.deepEqual(await store.load(), {}, JSON.stringify(raw));
    }
    await Deno.writeTextFile(
      store.path,
      JSON.stringify({ globalSelector: { kind: "profile", name: "p", extra: 1 }, other: 2 }),
    );
    assert.deepEqual(await store.load(), { globalSelector: { kind: "profile", name: "p" } });
    assert.deepEqual(warnings, []);
  });
});

Deno.test("20 concurrent saves end with the last one on disk", async () => {
  await withTempDir(async (dir) => {
    const { store } = storeIn(dir);
    const saves = Array.from(
      { length: 20 },
      (_, i) => store.save({ globalSelector: { kind: "account", id: `account-${i}` } }),
    );
    await Promise.all(saves);
    assert.deepEqual(await store.load(), { globalSelector: { kind: "account", id: "account-19" } });
    assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["state.json"]);
  });
});

Deno.test("a save writes the state as it was when save was called", async () => {
  await withTempDir(async (dir) => {
    const { store } = storeIn(dir);
    const state: PersistedState = { globalSelector: { kind: "account", id: "before" } };
    const saving = store.save(state);
    state.globalSelector = { kind: "account", id: "after" };
    await saving;
    assert.deepEqual(await store.load(), { globalSelector: { kind: "account", id: "before" } });
  });
});

Deno.test("a failed save rejects its caller and later saves still run", async () => {
  await withTempDir(async (dir) => {
    const { store } = storeIn(dir);
    await Deno.mkdir(store.path);
    await Deno.writeTextFile(join(store.path, "block"), "");
    await assert.rejects(() => store.save({ globalSelector: { kind: "account", id: "x" } }));
    await Deno.remove(store.path, { recursive: true });
    await store.save({ globalSelector: { kind: "account", id: "y" } });
    assert.deepEqual(await store.load(), { globalSelector: { kind: "account", id: "y" } });
  });
});
