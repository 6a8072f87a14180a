/** Which launches `serve` may put into the launch plan, and when a command line gets a head start at all. */
import assert from "node:assert/strict";
import { parseConfigText } from "../../lib/config/mod.ts";
import { plannedLaunch } from "../../lib/cli/launch_plan_writer.ts";
import { startsUpstreamsAtOnce } from "../../lib/cli/early_start.ts";
import { resolveLaunch } from "../../lib/upstream/mod.ts";

async function account(fields: Record<string, unknown>) {
  const config = await parseConfigText(
    JSON.stringify({ accounts: [{ id: "a", service: "s", command: "srv", ...fields }] }),
    "config.json",
  );
  return config.accounts[0];
}

Deno.test("a launch with nothing to resolve is planned as the pool would start it", async () => {
  assert.deepEqual(
    plannedLaunch(await account({ args: ["--x", "$${literal}"], env: { MODE: "dev" }, cwd: "/srv" })),
    {
      account: "a",
      command: "srv",
      args: ["--x", "${literal}"],
      env: { MODE: "dev" },
      cwd: "/srv",
    },
  );
  assert.deepEqual(plannedLaunch(await account({})), { account: "a", command: "srv", args: [], env: {} });
});

Deno.test("a planned launch is the one the pool resolves for the account", async () => {
  for (
    const fields of [
      { args: ["--x", "$${literal}", "a$$b"], env: { MODE: "dev", EMPTY: "" }, cwd: "/srv" },
      { command: "/opt/a $${b}/srv", args: [] },
      {},
    ]
  ) {
    const config = await account(fields);
    const { spec } = await resolveLaunch(config, { env: () => undefined });
    assert.ok(spec.transport === "stdio");
    const { command, args, env, cwd } = spec;
    const pool = { account: "a", command, args, env, ...(cwd === undefined ? {} : { cwd }) };
    assert.deepEqual(plannedLaunch(config), pool, JSON.stringify(fields));
  }
});

Deno.test("a launch with any reference, or a credential-named variable, is never planned", async () => {
  for (
    const fields of [
      { args: ["--token=${GITHUB_TOKEN}"] },
      { args: ["${HOME}/x"] },
      { env: { HELPER: "vault:helper" } },
      { env: { HELPER: "oauth:google" } },
      { env: { DIR: "${HOME}" } },
      { env: { API_TOKEN: "a-literal-token-value" } },
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
