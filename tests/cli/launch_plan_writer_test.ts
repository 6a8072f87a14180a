/** Which launches `serve` may put into the launch plan, and when a command line gets a head start at all. */
import assert from "node:assert/strict";
import { parseConfigText } from "../../lib/config/mod.ts";
import { plannedLaunch } from "../../lib/cli/launch_plan_writer.ts";
import { startsUpstreamsAtOnce } from "../../lib/cli/early_start.ts";
import { launchReferences, resolvePlanned } from "../../lib/launch_plan.ts";
import { resolveLaunch } from "../../lib/upstream/mod.ts";

async function account(fields: Record<string, unknown>) {
  const config = await parseConfigText(
    JSON.stringify({ accounts: [{ id: "a", service: "s", command: "srv", ...fields }] }),
    "config.json",
  );
  return config.accounts[0];
}

Deno.test("a launch is planned as the config writes it: references as references, never their values", async () => {
  assert.deepEqual(
    plannedLaunch(
      await account({
        args: ["--x", "$${literal}", "--dir=${HOME}"],
        env: { MODE: "dev", GITHUB_TOKEN: "vault:gh", API_KEY: "${MY_KEY}" },
        cwd: "/srv",
      }),
    ),
    {
      account: "a",
      command: "srv",
      args: ["--x", "$${literal}", "--dir=${HOME}"],
      env: { MODE: "dev", GITHUB_TOKEN: "vault:gh", API_KEY: "${MY_KEY}" },
      cwd: "/srv",
    },
  );
  assert.deepEqual(plannedLaunch(await account({})), { account: "a", command: "srv", args: [], env: {} });
});

Deno.test("a planned launch, resolved at spawn, is the one the pool resolves for the account", async () => {
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
    const planned = plannedLaunch(config);
    assert.ok(planned, JSON.stringify(fields));
    const early = resolvePlanned(planned, { env: (name) => env[name], vault: (name) => vault[name] });
    assert.deepEqual(early, pool, JSON.stringify(fields));
  }
});

Deno.test("a missing variable or secret resolves to nothing: nothing starts early", async () => {
  const planned = plannedLaunch(await account({ env: { A: "${SET}", B: "vault:gone" } }));
  assert.ok(planned);
  assert.deepEqual(launchReferences(planned), { env: ["SET"], vault: ["gone"] });
  const none = () => undefined;
  assert.equal(resolvePlanned(planned, { env: () => "x", vault: none }), undefined);
  assert.equal(resolvePlanned(planned, { env: none, vault: () => "v" }), undefined);
  assert.deepEqual(resolvePlanned(planned, { env: () => "x", vault: () => "v" })?.env, { A: "x", B: "v" });
});

Deno.test("an oauth: reference, a literal in a credential-named variable or a reference in command or cwd: never planned", async () => {
  for (
    const fields of [
      { env: { HELPER: "oauth:google" } },
      { args: ["Bearer ${oauth:google}"] },
      { env: { API_TOKEN: "a-literal-token-value" } },
      { env: { API_TOKEN: "ghp_${vault:suffix}" } },
      { env: { PLAIN: "x" }, secretEnv: ["PLAIN"] },
      { cwd: "${HOME}/srv" },
      { command: "${HOME}/bin/srv" },
    ]
  ) assert.equal(plannedLaunch(await account(fields)), undefined, JSON.stringify(fields));
  const remote = (await parseConfigText(
    JSON.stringify({
      accounts: [{ id: "r", service: "s", transport: "http", url: "https://example.com/mcp" }],
    }),
    "config.json",
  )).accounts[0];
  assert.equal(plannedLaunch(remote), undefined);
});

Deno.test("only a serve that starts its upstreams at once gets a head start", () => {
  const line = (values: Record<string, string | boolean>, name = "serve", extra = {}) => ({
    name,
    help: false,
    version: false,
    args: { positionals: [], values },
    ...extra,
  });
  const none = () => undefined;
  assert.ok(startsUpstreamsAtOnce(line({}), none));
  assert.ok(startsUpstreamsAtOnce(line({ transport: "both" }), none));
  assert.ok(startsUpstreamsAtOnce(line({}), (n) => (n === "JANUS_DAEMON" ? "off" : undefined)));
  assert.ok(!startsUpstreamsAtOnce(line({ http: true }), none));
  assert.ok(!startsUpstreamsAtOnce(line({ transport: "http" }), none));
  assert.ok(!startsUpstreamsAtOnce(line({}), (n) => (n === "JANUS_TRANSPORT" ? "http" : undefined)));
  assert.ok(!startsUpstreamsAtOnce(line({ demo: true }), none));
  assert.ok(!startsUpstreamsAtOnce(line({}), (n) => (n === "JANUS_DAEMON" ? "auto" : undefined)));
  assert.ok(!startsUpstreamsAtOnce(line({}, "serve", { help: true }), none));
  assert.ok(!startsUpstreamsAtOnce(line({}, "tools"), none));
});
