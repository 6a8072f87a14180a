import assert from "node:assert/strict";
import { mergeEntry } from "../../lib/clients/merge.ts";

const OURS = { command: "/new/janusmcp", args: ["serve"] };

Deno.test("what the user added to the entry is kept; how JanusMCP starts is replaced", () => {
  const current = {
    command: "/old/janusmcp",
    args: ["serve", "--demo"],
    disabled: false,
    timeout: 30000,
    env: { JANUS_VAULT: "file", JANUS_CONFIG: "/old/config.json" },
  };
  assert.deepEqual(mergeEntry(current, OURS), {
    command: "/new/janusmcp",
    args: ["serve"],
    disabled: false,
    timeout: 30000,
    env: { JANUS_VAULT: "file" },
  });
  assert.deepEqual(mergeEntry(current, { ...OURS, env: { JANUS_CONFIG: "/new/config.json" } }).env, {
    JANUS_VAULT: "file",
    JANUS_CONFIG: "/new/config.json",
  });
});

Deno.test("a stale JANUS_CONFIG alone is dropped with its env object; a client that wants env keeps {}", () => {
  assert.deepEqual(mergeEntry({ ...OURS, env: { JANUS_CONFIG: "/old.json" } }, OURS), OURS);
  assert.deepEqual(mergeEntry({ ...OURS, env: { JANUS_CONFIG: "/old.json" } }, { ...OURS, env: {} }), {
    ...OURS,
    env: {},
  });
});

Deno.test("no current entry, or one that is not an object, gives ours as it is", () => {
  assert.deepEqual(mergeEntry(undefined, OURS), OURS);
  assert.deepEqual(mergeEntry("janusmcp", OURS), OURS);
  assert.deepEqual(mergeEntry(["x"], OURS), OURS);
});
