/**
 * The route tables a selector's requests reuse (SelectorRoutes' recent tables), in-process
 * against real fixture upstream processes: every event that changes what a session sees gives a
 * new table on the next request — a switch, a hot reload, an upstream's list_changed, and an
 * upstream closed and reopened with other tools.
 */
import assert from "node:assert/strict";
import { Broker } from "../../lib/broker/broker.ts";
import type { ListKind } from "../../lib/broker/session.ts";
import type { JanusConfig } from "../../lib/config/types.ts";
import { formatProblem, validateConfig } from "../../lib/config/validate.ts";
import { fixtureAccount } from "../e2e/harness.ts";

function configOf(raw: Record<string, unknown>): JanusConfig {
  const validated = validateConfig({ exposure: "all", bindingMode: "session", ...raw });
  if (!validated.ok) throw new Error(validated.problems.map(formatProblem).join("\n"));
  return validated.config;
}

function brokerOf(config: JanusConfig): Broker {
  return new Broker({
    config,
    sources: { env: (name) => Deno.env.get(name) },
    persistGlobal: () => Promise.resolve(),
    log: () => {},
  });
}

/** A session that records the list changes it is told of. */
function openSession(broker: Broker) {
  const heard: ListKind[] = [];
  const session = broker.openSession(`s-${crypto.randomUUID()}`);
  session.notifier = { listChanged: (kind) => heard.push(kind) };
  const names = async () => (await broker.listTools(session)).map((tool) => tool.name);
  return { session, heard, names };
}

async function waitUntil(check: () => boolean, ms = 8000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

const text = (result: Record<string, unknown>) =>
  ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? "").join("");

Deno.test("route cache: after a switch, the session's next requests see the new selector's tools", async () => {
  const broker = brokerOf(configOf({
    accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
    // Two profiles of the same accounts whose tables differ: only the selector tells them apart.
    profiles: { folded: ["alpha", "beta"], plain: { accounts: ["alpha", "beta"], fold: false } },
  }));
  try {
    const { session, names } = openSession(broker);
    assert.ok((await names()).includes("only_alpha"));
    assert.equal(text(await broker.callTool(session, { name: "only_alpha" })), "only on alpha");
    await broker.select(session, { kind: "account", id: "beta" }, "session");
    const after = await names();
    assert.ok(after.includes("only_beta") && !after.includes("only_alpha"), after.join(", "));
    assert.equal(text(await broker.callTool(session, { name: "whoami" })), "account:beta");
    await broker.select(session, { kind: "profile", name: "folded" }, "session");
    assert.ok(!(await names()).includes("beta_whoami"), "whoami should be folded");
    await broker.select(session, { kind: "profile", name: "plain" }, "session");
    assert.ok((await names()).includes("beta_whoami"), "the unfolded profile's table was not served");
    assert.equal(text(await broker.callTool(session, { name: "beta_whoami" })), "account:beta");
  } finally {
    await broker.close();
  }
});

Deno.test("route cache: a hot reload that changes folding gives the reloaded table", async () => {
  const accounts = [fixtureAccount("alpha"), fixtureAccount("beta")];
  const profile = (fold: boolean) => ({ both: { accounts: ["alpha", "beta"], fold } });
  const broker = brokerOf(configOf({ accounts, profiles: profile(true) }));
  try {
    const { session, names } = openSession(broker);
    await broker.select(session, { kind: "profile", name: "both" }, "session");
    assert.ok(!(await names()).includes("beta_whoami"), "whoami should be folded");
    const diff = await broker.reload(configOf({ accounts, profiles: profile(false) }));
    assert.deepEqual(diff.changed, []); // the upstreams stay: only the table changes
    assert.ok((await names()).includes("beta_whoami"), "the reload's unfolded table was not served");
    assert.equal(text(await broker.callTool(session, { name: "beta_whoami" })), "account:beta");
  } finally {
    await broker.close();
  }
});

Deno.test("route cache: an upstream's tools/list_changed gives its new tools to the next requests", async () => {
  const broker = brokerOf(configOf({ accounts: [fixtureAccount("alpha")] }));
  try {
    const { session, heard, names } = openSession(broker);
    await names();
    const grown = text(await broker.callTool(session, { name: "grow" }));
    assert.match(grown, /^grown_\d+$/);
    assert.ok(await waitUntil(() => heard.includes("tools")), "no list_changed reached the session");
    assert.ok((await names()).includes(grown), `${grown} missing after list_changed`);
    assert.ok(await broker.findTool(session, grown), `${grown} has no definition for the header check`);
  } finally {
    await broker.close();
  }
});

Deno.test("route cache: an upstream closed and reopened with other tools is routed by its new list", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-route-cache-" });
  const toolsFile = `${dir}/tools.txt`;
  await Deno.writeTextFile(toolsFile, "before_close\n");
  const fixture = fixtureAccount("sleepy", {
    env: { FIXTURE_ACCOUNT: "sleepy", FIXTURE_TOOLS_FILE: toolsFile },
  });
  const args = ["run", "--allow-read", ...(fixture.args as string[]).slice(1)];
  const broker = brokerOf(configOf({ accounts: [{ ...fixture, args }], upstreams: { idleCloseSeconds: 1 } }));
  try {
    const { names } = openSession(broker);
    assert.ok((await names()).includes("before_close"));
    await Deno.writeTextFile(toolsFile, "after_reopen\n");
    assert.ok(
      await waitUntil(() => broker.upstreamState("sleepy").state === "idle"),
      "the idle upstream was not closed",
    );
    const now = await names();
    assert.ok(now.includes("after_reopen") && !now.includes("before_close"), now.join(", "));
  } finally {
    await broker.close();
    await Deno.remove(dir, { recursive: true });
  }
});
