import assert from "node:assert/strict";
import { ListMemory } from "../../lib/upstream/list_memory.ts";

Deno.test("a list fetched again is a change only when it differs from the last one of its account, era and kind", () => {
  const memory = new ListMemory();
  assert.equal(memory.changed("a", "legacy", "tools", [{ name: "x" }]), false, "nothing to compare with yet");
  assert.equal(memory.changed("a", "legacy", "tools", [{ name: "x" }]), false);
  assert.equal(memory.changed("a", "legacy", "tools", [{ name: "y" }]), true);
  assert.equal(memory.changed("a", "modern", "tools", [{ name: "z" }]), false, "each era has its own");
  assert.equal(memory.changed("b", "legacy", "tools", [{ name: "z" }]), false, "each account has its own");
  assert.equal(memory.changed("a", "legacy", "prompts", []), false);
  memory.forget("a", ["tools"]);
  assert.equal(
    memory.changed("a", "legacy", "tools", [{ name: "q" }]),
    false,
    "forgotten: announced already",
  );
  assert.equal(memory.changed("a", "legacy", "prompts", [{ name: "p" }]), true, "other kinds are kept");
  memory.forget("a");
  assert.equal(memory.changed("a", "legacy", "prompts", []), false);
  assert.equal(memory.changed("b", "legacy", "tools", [{ name: "w" }]), true, "other accounts are kept");
});
