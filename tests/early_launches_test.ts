/**
 * The launches a first start works out from the config file alone (lib/early_launches.ts) are
 * the ones the plan writer would plan from the validated config: same selector, same launches.
 */
import assert from "node:assert/strict";
import { parseConfigText } from "../lib/config/mod.ts";
import { launchesFromConfig } from "../lib/early_launches.ts";
import { plannedLaunch } from "../lib/cli/launch_plan_writer.ts";
import { readSelector, resolveSelector } from "../lib/selection.ts";

const stdio = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  service: "s",
  command: `srv-${id}`,
  ...fields,
});

/** What the plan writer plans for this config and state, the config validated as serve validates it. */
async function planned(text: string, state?: string) {
  const config = await parseConfigText(text, "config.jsonc");
  let global;
  try {
    global = state === undefined ? undefined : readSelector(JSON.parse(state).globalSelector);
  } catch {
    global = undefined; // as StateStore reads a damaged file: no selection
  }
  return resolveSelector(config, { global }).accounts.map(plannedLaunch).filter((l) => l !== undefined);
}

/** Both ways agree, and give these accounts. */
async function agree(text: string, state: string | undefined, accounts: string[]) {
  const early = launchesFromConfig(text, state).launches;
  assert.deepEqual(early, await planned(text, state), text);
  assert.deepEqual(early.map((launch) => launch.account), accounts, text);
}

Deno.test("the first account, the default account, a saved account or profile: as the broker selects", async () => {
  const accounts = [stdio("a"), stdio("b", { args: ["--x", "$${lit}"], env: { MODE: "dev" } }), stdio("c")];
  await agree(JSON.stringify({ accounts }), undefined, ["a"]);
  await agree(JSON.stringify({ accounts, defaultAccount: "b" }), undefined, ["b"]);
  const profiles = { two: ["c", "a"], form: { accounts: ["b", "c"], exposure: "search" } };
  const saved = (selector: unknown) => JSON.stringify({ globalSelector: selector });
  await agree(JSON.stringify({ accounts, profiles }), saved({ kind: "profile", name: "two" }), ["c", "a"]);
  await agree(JSON.stringify({ accounts, profiles }), saved({ kind: "profile", name: "form" }), ["b", "c"]);
  await agree(JSON.stringify({ accounts }), saved({ kind: "account", id: "c" }), ["c"]);
  // A saved selection the config no longer has, a locked config, a damaged state file: the default.
  await agree(JSON.stringify({ accounts }), saved({ kind: "account", id: "gone" }), ["a"]);
  await agree(JSON.stringify({ accounts, bindingMode: "locked" }), saved({ kind: "account", id: "c" }), [
    "a",
  ]);
  await agree(JSON.stringify({ accounts }), "{not json", ["a"]);
  await agree(JSON.stringify({ accounts: [] }), undefined, []);
});

Deno.test("comments, trailing commas and a byte-order mark read as the loader reads them", async () => {
  const text = `\uFEFF{
    // the one we use
    "accounts": [
      {"id": "a", "service": "s", "command": "srv", "args": ["/* not a comment */", "// nor this",],},
    ],
    /* "defaultAccount": "x", */
  }`;
  await agree(text, undefined, ["a"]);
  assert.deepEqual(launchesFromConfig(text, undefined).launches[0].args, [
    "/* not a comment */",
    "// nor this",
  ]);
});

Deno.test("${ENV} and vault: references start early, kept as references, as the writer plans them", async () => {
  const fields = { env: { HELPER: "vault:helper", DIR: "${HOME}" }, args: ["--token=${vault:tok}"] };
  const text = JSON.stringify({ accounts: [stdio("a", fields)] });
  await agree(text, undefined, ["a"]);
  assert.deepEqual(launchesFromConfig(text, undefined).launches[0].env, fields.env);
});

Deno.test("the vault backend is the config's, the keychain by default; an odd one reads as the file (never early)", () => {
  const accounts = [stdio("a")];
  const vault = (extra: Record<string, unknown>) =>
    launchesFromConfig(JSON.stringify({ accounts, ...extra }), undefined).vault;
  assert.equal(vault({}), "keychain");
  assert.equal(vault({ vault: { backend: "keychain" } }), "keychain");
  assert.equal(vault({ vault: {} }), "keychain");
  assert.equal(vault({ vault: { backend: "file" } }), "file");
  assert.equal(vault({ vault: { backend: "cloud" } }), "file");
  assert.equal(vault({ vault: "x" }), "file");
});

Deno.test("an account with an oauth: reference, a credential-named literal or no process is not started early", async () => {
  for (
    const fields of [
      { env: { HELPER: "oauth:helper" } },
      { args: ["--token=${oauth:tok}"] },
      { env: { API_TOKEN: "a-literal-token-value" } },
      { env: { PLAIN: "x" }, secretEnv: ["PLAIN"] },
      { command: "${HOME}/bin/srv" },
      { cwd: "${HOME}" },
    ]
  ) {
    const text = JSON.stringify({ accounts: [stdio("a", fields), stdio("b")], profiles: { p: ["a", "b"] } });
    await agree(text, JSON.stringify({ globalSelector: { kind: "profile", name: "p" } }), ["b"]);
  }
  const remote = { id: "r", service: "s", transport: "http", url: "https://example.com/mcp" };
  await agree(JSON.stringify({ accounts: [remote, stdio("b")] }), undefined, []);
  await agree(
    JSON.stringify({ accounts: [{ id: "r", service: "s", url: "https://example.com/mcp" }] }),
    undefined,
    [],
  );
});

Deno.test("text that does not parse, or a shape the broker would refuse, starts nothing rather than a guess", () => {
  for (
    const text of [
      "",
      "{",
      '{"accounts": [,]}',
      "[]",
      '{"accounts": {}}',
      '{"accounts": [{"service": "s", "command": "srv"}]}',
      '{"accounts": [{"id": "a", "service": "s", "command": "srv"}], "profiles": {"p": "a"}}',
      '{"accounts": [{"id": "a", "service": "s", "command": "srv"}], "bindingMode": "free"}',
      '{"accounts": [{"id": "a", "service": "s", "command": "srv"}], "defaultAccount": 3}',
      '{"accounts": [{"id": "a", "service": "s", "command": "srv", "args": "x"}]}',
      '{"accounts": [{"id": "a", "service": "s", "command": "srv", "env": {"N": 1}}]}',
    ]
  ) assert.deepEqual(launchesFromConfig(text, undefined).launches, [], text);
});
