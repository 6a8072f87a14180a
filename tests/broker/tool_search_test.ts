/**
 * Tool search in the routing core, in-process against real fixture upstream processes that
 * list GitHub- and Slack-shaped tools: which tools a session is shown, searching a profile,
 * and `janus_call_tool` going wherever the direct call would.
 */
import { CONTROL_TOOLS } from "../../lib/broker/control_tools.ts";
import assert from "node:assert/strict";
import { Broker } from "../../lib/broker/broker.ts";
import { searchTools } from "../../lib/broker/search_actions.ts";
import { JanusError } from "../../lib/errors.ts";
import type { Session } from "../../lib/broker/session.ts";
import { formatProblem, validateConfig } from "../../lib/config/validate.ts";
import { fixtureAccount } from "../e2e/harness.ts";

/** A fixture account that also lists the SaaS-shaped tools of `catalog` (15 + 20 per service). */
const account = (id: string, catalog = "") =>
  fixtureAccount(id, { env: { FIXTURE_ACCOUNT: id, FIXTURE_CATALOG: catalog } });

function start(config: Record<string, unknown> = {}) {
  const validated = validateConfig({
    accounts: [account("alpha", "github,slack"), account("beta", "github,slack"), account("gamma")],
    profiles: { both: ["alpha", "beta"] },
    ...config,
  });
  if (!validated.ok) throw new Error(validated.problems.map(formatProblem).join("\n"));
  const broker = new Broker({
    config: validated.config,
    sources: { env: (name) => Deno.env.get(name) },
    persistGlobal: () => Promise.resolve(),
    log: () => {},
  });
  return { broker, session: broker.openSession("test") };
}

const text = (result: Record<string, unknown>) =>
  ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? "").join("");

const names = async (broker: Broker, session: Session, client?: string) =>
  (await broker.listTools(session, client)).map((tool) => tool.name);

const CONTROL_AND_SEARCH = [
  ...CONTROL_TOOLS.map((tool) => tool.name),
  "janus_search_tools",
  "janus_call_tool",
];

async function use(broker: Broker, session: Session, selector: Record<string, string>) {
  const tool = "profile" in selector ? "janus_use_profile" : "janus_use_account";
  const result = await broker.callTool(session, { name: tool, arguments: selector });
  assert.notEqual(result.isError, true, text(result));
}

async function search(broker: Broker, session: Session, args: Record<string, unknown>) {
  const result = await broker.callTool(session, { name: "janus_search_tools", arguments: args });
  assert.notEqual(result.isError, true, text(result));
  return (result.structuredContent as {
    results: { name: string; account?: string; accounts?: string[]; inputSchema: unknown }[];
  }).results;
}

Deno.test("auto: search tools past the threshold, every tool below it or for a client that searches natively", async () => {
  const { broker, session } = start({ defaultAccount: "gamma" });
  try {
    const gamma = await names(broker, session, "some-client");
    assert.equal(
      gamma.length,
      CONTROL_TOOLS.length + 15,
      "15 tools is under the threshold: every tool listed",
    );
    await use(broker, session, { account_id: "alpha" }); // 55 tools
    assert.deepEqual(await names(broker, session, "some-client"), CONTROL_AND_SEARCH);
    assert.deepEqual(
      await names(broker, session),
      CONTROL_AND_SEARCH,
      "a client without a name is not exempt",
    );
    for (const native of ["claude-code", "Claude Code"]) {
      assert.equal((await names(broker, session, native)).length, CONTROL_TOOLS.length + 55, native);
    }
  } finally {
    await broker.close();
  }
});

Deno.test("the threshold is the config's, and all or search ignore it", async () => {
  for (
    const [config, expected] of [
      [{ searchThreshold: 100 }, CONTROL_TOOLS.length + 55],
      [{ exposure: "all" }, CONTROL_TOOLS.length + 55],
      [{ exposure: "search", searchThreshold: 1000 }, CONTROL_TOOLS.length + 2],
      [{ exposure: "search" }, CONTROL_TOOLS.length + 2],
    ] as const
  ) {
    const { broker, session } = start({ defaultAccount: "alpha", ...config });
    try {
      assert.equal((await names(broker, session, "claude-code")).length, expected, JSON.stringify(config));
    } finally {
      await broker.close();
    }
  }
});

Deno.test("a profile's own exposure overrides the broker's, and leaves accounts alone", async () => {
  const { broker, session } = start({
    exposure: "all",
    defaultAccount: "gamma",
    profiles: { both: { accounts: ["alpha", "beta"], exposure: "search" }, plain: ["alpha"] },
  });
  try {
    assert.equal((await names(broker, session)).length, CONTROL_TOOLS.length + 15);
    await use(broker, session, { profile: "both" });
    assert.deepEqual(await names(broker, session, "claude-code"), CONTROL_AND_SEARCH);
    await use(broker, session, { profile: "plain" });
    assert.equal(
      (await names(broker, session)).length,
      CONTROL_TOOLS.length + 55,
      "an array profile follows the broker's exposure",
    );
    const listed = await broker.callTool(session, { name: "janus_list_accounts" });
    assert.deepEqual(
      (listed.structuredContent as { profiles: { name: string; exposure: string }[] }).profiles
        .map((p) => [p.name, p.exposure]),
      [["both", "search"], ["plain", "all"]],
      "janus_list_accounts says which exposure each profile has",
    );
  } finally {
    await broker.close();
  }
});

Deno.test("search finds tools across a profile's accounts under the names the session calls them by", async () => {
  const { broker, session } = start({ defaultAccount: "alpha" });
  try {
    await use(broker, session, { profile: "both" });
    // The two accounts list the same Slack tools: each is one folded tool acting as either.
    const hits = await search(broker, session, { query: "post a message to a slack channel", limit: 2 });
    assert.deepEqual(hits[0].name, "slack_post_message");
    assert.deepEqual(hits[0].accounts, ["alpha", "beta"]);
    assert.equal(hits[0].account, undefined);
    assert.notEqual(hits[1].name, "beta_slack_post_message", "listed once, not once per account");
    assert.deepEqual(
      (hits[0].inputSchema as { required: string[] }).required,
      ["janus_account", "channel_id", "text"],
      "each hit carries its input schema, with the account argument",
    );
    const onlyBeta = await search(broker, session, { query: "open an issue", account: "beta" });
    assert.ok(
      onlyBeta.length > 0 && onlyBeta.every((h) => h.accounts?.includes("beta") || h.account === "beta"),
    );
    assert.equal(onlyBeta[0].name, "create_issue");
    assert.equal((await search(broker, session, { query: "the of a to" })).length, 0);
  } finally {
    await broker.close();
  }
  // Unfolded (fold: false), each account's copy is its own hit under its own name.
  const apart = start({
    defaultAccount: "alpha",
    profiles: { both: { accounts: ["alpha", "beta"], fold: false } },
  });
  try {
    await use(apart.broker, apart.session, { profile: "both" });
    const hits = await search(apart.broker, apart.session, {
      query: "post a message to a slack channel",
      limit: 2,
    });
    assert.deepEqual(hits.map((h) => [h.name, h.account]), [["slack_post_message", "alpha"], [
      "beta_slack_post_message",
      "beta",
    ]]);
    const onlyBeta = await search(apart.broker, apart.session, { query: "open an issue", account: "beta" });
    assert.equal(onlyBeta[0].name, "beta_create_issue");
  } finally {
    await apart.broker.close();
  }
});

Deno.test("janus_call_tool routes like a direct call, by exposed name or by account and upstream name", async () => {
  const { broker, session } = start({ defaultAccount: "alpha" });
  try {
    await use(broker, session, { profile: "both" });
    const args = { channel_id: "C1", text: "hi" };
    // The fixture echoes the arguments it received: the account argument never reaches it.
    const direct = text(
      await broker.callTool(session, {
        name: "slack_post_message",
        arguments: { janus_account: "beta", ...args },
      }),
    );
    assert.equal(direct, 'slack_post_message as beta: {"channel_id":"C1","text":"hi"}');
    const viaName = await broker.callTool(session, {
      name: "janus_call_tool",
      arguments: { name: "slack_post_message", arguments: { janus_account: "beta", ...args } },
    });
    assert.equal(text(viaName), direct);
    const viaAccount = await broker.callTool(session, {
      name: "janus_call_tool",
      arguments: { name: "slack_post_message", account: "beta", arguments: args },
    });
    assert.equal(text(viaAccount), direct);
    const first = await broker.callTool(session, {
      name: "janus_call_tool",
      arguments: { name: "whoami", account: "alpha" },
    });
    assert.equal(text(first), "account:alpha");
    const unnamed = await broker.callTool(session, {
      name: "janus_call_tool",
      arguments: { name: "whoami" },
    });
    assert.equal(unnamed.isError, true);
    assert.match(text(unnamed), /pass "janus_account" with one of alpha, beta/);
    const disagree = await broker.callTool(session, {
      name: "janus_call_tool",
      arguments: { name: "whoami", account: "alpha", arguments: { janus_account: "beta" } },
    });
    assert.equal(disagree.isError, true);
    assert.match(text(disagree), /disagree/);
  } finally {
    await broker.close();
  }
});

Deno.test("janus_call_tool refuses unknown names with the closest matches, and the broker's own tools", async () => {
  const { broker, session } = start({ defaultAccount: "alpha" });
  try {
    const typo = await broker.callTool(session, {
      name: "janus_call_tool",
      arguments: { name: "slack_post_mesage", arguments: {} },
    });
    assert.equal(typo.isError, true);
    assert.match(
      text(typo),
      /^unknown tool "slack_post_mesage" for account "alpha"; closest: slack_post_message/,
    );
    const elsewhere = await broker.callTool(session, {
      name: "janus_call_tool",
      arguments: { name: "only_beta" },
    });
    assert.equal(elsewhere.isError, true, "a tool of another account is not reachable without `account`");
    const own = await broker.callTool(session, {
      name: "janus_call_tool",
      arguments: { name: "janus_whoami" },
    });
    assert.equal(own.isError, true);
    assert.match(text(own), /call it directly/);
    const bad = await broker.callTool(session, { name: "janus_call_tool", arguments: { arguments: {} } });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /^janus_call_tool: invalid arguments — name:/);
  } finally {
    await broker.close();
  }
});

Deno.test("another account's tools follow the binding rules: reachable when switching is allowed, refused when locked", async () => {
  for (const bindingMode of ["global", "session", "locked"] as const) {
    const { broker, session } = start({ bindingMode, defaultAccount: "alpha" });
    try {
      const call = await broker.callTool(session, {
        name: "janus_call_tool",
        arguments: { name: "whoami", account: "gamma" },
      });
      const found = await broker.callTool(session, {
        name: "janus_search_tools",
        arguments: { query: "which account", account: "gamma" },
      });
      if (bindingMode === "locked") {
        assert.equal(call.isError, true);
        assert.match(text(call), /bindingMode is "locked"/);
        assert.equal(found.isError, true);
        // The session's own tools are still reachable through search in locked mode.
        const own = await broker.callTool(session, {
          name: "janus_call_tool",
          arguments: { name: "whoami" },
        });
        assert.equal(text(own), "account:alpha");
      } else {
        assert.equal(text(call), "account:gamma", bindingMode);
        assert.equal(
          text(await broker.callTool(session, { name: "janus_whoami" })).includes('"alpha"'),
          true,
        );
        assert.equal((found.structuredContent as { results: { name: string }[] }).results[0].name, "whoami");
      }
      const unknown = await broker.callTool(session, {
        name: "janus_call_tool",
        arguments: { name: "whoami", account: "nobody" },
      });
      assert.equal(unknown.isError, true);
      assert.match(
        text(unknown),
        bindingMode === "locked" ? /locked/ : /unknown account "nobody" \(known: alpha, beta, gamma\)/,
      );
    } finally {
      await broker.close();
    }
  }
});

Deno.test("a change in an upstream's list reaches the index", async () => {
  const { broker, session } = start({ defaultAccount: "gamma" });
  try {
    const grownHits = async () =>
      (await search(broker, session, { query: "grown" })).filter((h) => h.name.startsWith("grown_"));
    assert.deepEqual(await grownHits(), []);
    const before = (await broker.toolSearch(broker.resolve(session))).index;
    assert.equal(
      (await broker.toolSearch(broker.resolve(session))).index,
      before,
      "unchanged lists: no rebuild",
    );
    const grown = text(
      await broker.callTool(session, { name: "janus_call_tool", arguments: { name: "grow" } }),
    );
    assert.match(grown, /^grown_\d+$/);
    let hits: { name: string }[] = [];
    for (let attempt = 0; attempt < 100 && hits.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20)); // the upstream's list_changed is a notification
      hits = await grownHits();
    }
    assert.deepEqual(hits.map((h) => h.name), [grown]);
    assert.notEqual((await broker.toolSearch(broker.resolve(session))).index, before);
  } finally {
    await broker.close();
  }
});

Deno.test("progress and cancellation travel through janus_call_tool", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-marks-" });
  const { broker, session } = start({
    accounts: [fixtureAccount("gamma", { env: { FIXTURE_ACCOUNT: "gamma", FIXTURE_MARK_DIR: marks } })],
    profiles: {},
  });
  try {
    const progress: number[] = [];
    const done = await broker.callTool(
      session,
      { name: "janus_call_tool", arguments: { name: "slow", arguments: { ms: 100 } } },
      { onProgress: (p) => progress.push(p.progress) },
    );
    assert.equal(text(done), "slow done:gamma");
    assert.deepEqual(progress, [1, 2, 3, 4, 5]);

    const controller = new AbortController();
    const call = broker.callTool(
      session,
      { name: "janus_call_tool", arguments: { name: "slow", arguments: { ms: 3000 } } },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await call.catch(() => {}); // how the abandoned call ends is the SDK's business; the upstream must hear
    let heard = false;
    for (let attempt = 0; attempt < 150 && !heard; attempt++) {
      heard = await Deno.stat(`${marks}/cancelled-gamma`).then(() => true, () => false);
      if (!heard) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(heard, "the upstream never saw the cancellation");
  } finally {
    await broker.close();
  }
});

Deno.test("searchTools (for the agent CLI) searches a given selector, or the session's, and refuses an unknown one", async () => {
  const { broker, session } = start({ defaultAccount: "gamma" });
  try {
    const onDefault = await searchTools(broker, session, "which account", { limit: 1 });
    assert.deepEqual(onDefault.map((h) => [h.name, h.account]), [["whoami", "gamma"]]);
    const onProfile = await searchTools(broker, session, "reply in a slack thread", {
      selector: { kind: "profile", name: "both" },
      account: "beta",
      limit: 1,
    });
    assert.deepEqual(onProfile.map((h) => [h.name, h.accounts]), [["slack_reply_to_thread", [
      "alpha",
      "beta",
    ]]]);
    await assert.rejects(
      searchTools(broker, session, "x", { selector: { kind: "profile", name: "nope" } }),
      (error: unknown) => error instanceof JanusError && error.code === "selector",
    );
  } finally {
    await broker.close();
  }
});
