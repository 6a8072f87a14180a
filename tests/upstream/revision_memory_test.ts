import assert from "node:assert/strict";
import type { AccountConfig } from "../../lib/config/types.ts";
import { FileRevisionMemory, parseRevisionsFile, upstreamKey } from "../../lib/upstream/revision_memory.ts";

const account = (extra: Partial<AccountConfig> = {}): AccountConfig => ({
  id: "a",
  service: "s",
  label: "a",
  transport: "stdio",
  command: "deno",
  args: ["run", "x.ts"],
  env: { TOKEN: "vault:tok" },
  headers: {},
  ...extra,
});
const DISCOVER = {
  supportedVersions: ["2026-07-28"],
  capabilities: {},
  serverInfo: { name: "f", version: "1" },
};

Deno.test("verdicts survive a restart, keyed by how the upstream is reached", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/upstream-revisions.json`;
  const memory = await FileRevisionMemory.load(path, () => {});
  memory.set(account(), { legacy: true, modern: DISCOVER as never });
  await memory.flushed();
  const again = await FileRevisionMemory.load(path, () => {});
  assert.deepEqual(again.get(account()), { legacy: true, modern: DISCOVER });
  // Another command is another upstream: nothing is assumed about it.
  assert.equal(again.get(account({ args: ["run", "y.ts"] })), undefined);
  assert.ok(!(await Deno.readTextFile(path)).includes("vault:tok"), "env is not part of the key");
  assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600);
});

Deno.test("a damaged file is ignored with one warning and left as it was", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/upstream-revisions.json`;
  await Deno.writeTextFile(path, "{not json");
  const warnings: string[] = [];
  const memory = await FileRevisionMemory.load(path, (line) => warnings.push(line));
  assert.equal(memory.get(account()), undefined);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /upstream-revisions\.json.*probed/);
  assert.equal(await Deno.readTextFile(path), "{not json");
});

Deno.test("entries of an unknown shape are dropped; known fields are kept", () => {
  const key = upstreamKey(account());
  const parsed = parseRevisionsFile(JSON.stringify({
    [key]: { legacy: true, modern: false, extra: 1 },
    other: "nonsense",
    third: { modern: { notDiscover: true }, legacy: "yes" },
  }));
  assert.deepEqual(parsed.get(key), { legacy: true, modern: false });
  assert.equal(parsed.has("other"), false);
  assert.deepEqual(parsed.get("third"), {});
  assert.throws(() => parseRevisionsFile("[]"), /expected a JSON object/);
});
