/**
 * The launch rule of `serve`'s head start (lib/early_launches.ts): a launch resolved at spawn is
 * the one the pool resolves for the account, a missing reference starts nothing, the vault
 * backend and text that does not parse, and the environment every upstream inherits.
 * (tests/early_launches_match_test.ts holds the launches equal to the validated config's.)
 */
import assert from "node:assert/strict";
import { getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
import { parseConfigText } from "../lib/config/mod.ts";
import {
  earlyLaunch,
  inheritedEnvironment,
  launchesFromConfig,
  launchReferences,
  resolveEarlyLaunch,
} from "../lib/early_launches.ts";
import { resolveLaunch } from "../lib/upstream/mod.ts";

const stdio = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  service: "s",
  command: `srv-${id}`,
  ...fields,
});

/** The one account of this config, validated as serve validates it. */
async function account(fields: Record<string, unknown>) {
  const config = await parseConfigText(
    JSON.stringify({ accounts: [{ id: "a", service: "s", command: "srv", ...fields }] }),
    "config.json",
  );
  return config.accounts[0];
}

Deno.test("a launch keeps the config's text: references as references, never their values", async () => {
  const fields = {
    args: ["--x", "$${literal}", "--dir=${HOME}"],
    env: { MODE: "dev", GITHUB_TOKEN: "vault:gh", API_KEY: "${MY_KEY}" },
    cwd: "/srv",
  };
  assert.deepEqual(earlyLaunch(await account(fields)), { account: "a", command: "srv", ...fields });
  assert.deepEqual(earlyLaunch(await account({})), { account: "a", command: "srv", args: [], env: {} });
});

Deno.test("a launch, resolved at spawn, is the one the pool resolves for the account", async () => {
  const env: Record<string, string> = { HOME: "/home/u", MY_KEY: "k-123456789", EMPTY_ONE: "" };
  const vault: Record<string, string> = { gh: "ghp_secret_value", other: "o-1" };
  for (
    const fields of [
      { args: ["--x", "$${literal}", "a$$b"], env: { MODE: "dev", EMPTY: "" }, cwd: "/srv" },
      { command: "/opt/a $${b}/srv", args: [] },
      {
        args: ["--dir=${HOME}/x", "${vault:other}"],
        env: { GITHUB_TOKEN: "vault:gh", API_KEY: "${MY_KEY}" },
      },
      { env: { TOKEN: "${vault:gh}${vault:other}", E: "${EMPTY_ONE}" } },
      { env: { API_TOKEN: "a-literal-token-value" } },
      {},
    ]
  ) {
    const config = await account(fields);
    const { spec } = await resolveLaunch(config, {
      env: (name) => env[name],
      vault: { get: (name) => Promise.resolve(vault[name]) },
    });
    assert.ok(spec.transport === "stdio");
    const { command, args, env: childEnv, cwd } = spec;
    const pool = { command, args, env: childEnv, ...(cwd === undefined ? {} : { cwd }) };
    const launch = earlyLaunch(config);
    assert.ok(launch, JSON.stringify(fields));
    const early = resolveEarlyLaunch(launch, { env: (name) => env[name], vault: (name) => vault[name] });
    assert.deepEqual(early, pool, JSON.stringify(fields));
  }
});

Deno.test("a missing variable or secret resolves to nothing: nothing starts early", async () => {
  const launch = earlyLaunch(await account({ env: { A: "${SET}", B: "vault:gone" } }));
  assert.ok(launch);
  assert.deepEqual(launchReferences(launch), { env: ["SET"], vault: ["gone"] });
  const none = () => undefined;
  assert.equal(resolveEarlyLaunch(launch, { env: () => "x", vault: none }), undefined);
  assert.equal(resolveEarlyLaunch(launch, { env: none, vault: () => "v" }), undefined);
  assert.deepEqual(resolveEarlyLaunch(launch, { env: () => "x", vault: () => "v" })?.env, { A: "x", B: "v" });
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

Deno.test("an early process inherits exactly what the SDK's default environment gives an upstream", () => {
  assert.deepEqual(inheritedEnvironment(), getDefaultEnvironment());
  const env: Record<string, string> = { HOME: "/h", PATH: "/bin", SHELL: "() { evil; }", SECRET: "s" };
  assert.deepEqual(inheritedEnvironment((name) => env[name], "linux"), { HOME: "/h", PATH: "/bin" });
  assert.deepEqual(inheritedEnvironment((name) => ({ PATH: "C:\\", HOME: "/h" })[name], "windows"), {
    PATH: "C:\\",
  });
});
