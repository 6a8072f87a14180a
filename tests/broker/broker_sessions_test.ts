/**
 * The routing core in-process with several sessions at once (something stdio cannot show: it
 * has one session per process), against real fixture upstream processes.
 */
import assert from "node:assert/strict";
import { Broker } from "../../lib/broker/broker.ts";
import type { ListKind } from "../../lib/broker/session.ts";
import type { JanusConfig, Selector } from "../../lib/config/types.ts";
import { formatProblem, validateConfig } from "../../lib/config/validate.ts";
import { fixtureAccount } from "../e2e/harness.ts";

/** A validated config of two fixture accounts (built the way the broker builds it from a file). */
function config(bindingMode: JanusConfig["bindingMode"]): JanusConfig {
  const validated = validateConfig({
    accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
    bindingMode,
  });
  if (!validated.ok) throw new Error(validated.problems.map(formatProblem).join("\n"));
  return validated.config;
}

/** A broker plus sessions that record the notifications they are sent. */
function setup(bindingMode: JanusConfig["bindingMode"]) {
  const saved: Selector[] = [];
  const broker = new Broker({
    config: config(bindingMode),
    sources: { env: (name) => Deno.env.get(name) },
    persistGlobal: (selector) => {
      saved.push(selector);
      return Promise.resolve();
    },
    log: () => {},
  });
  const open = (id: string) => {
    const seen: ListKind[] = [];
    const session = broker.openSession(id);
    session.notifier = { listChanged: (kind) => seen.push(kind) };
    return { session, seen };
  };
  return { broker, saved, open };
}

const text = (result: Record<string, unknown>) =>
  ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? "").join("");

Deno.test("session mode: a session switch notifies and reroutes only that session", async () => {
  const { broker, saved, open } = setup("session");
  try {
    const one = open("one");
    const two = open("two");
    await broker.listTools(one.session);
    await broker.listTools(two.session);
    const result = await broker.callTool(one.session, {
      name: "janus_use_account",
      arguments: { account_id: "beta" },
    });
    assert.equal(result.isError, undefined, text(result));
    assert.deepEqual(one.seen, ["tools"]);
    assert.deepEqual(two.seen, []);
    assert.deepEqual(saved, []);
    assert.equal(text(await broker.callTool(one.session, { name: "whoami" })), "account:beta");
    assert.equal(text(await broker.callTool(two.session, { name: "whoami" })), "account:alpha");
  } finally {
    await broker.close();
  }
});

Deno.test("session mode: a global switch reaches sessions without their own choice only", async () => {
  const { broker, saved, open } = setup("session");
  try {
    const chooser = open("chooser");
    const follower = open("follower");
    const loyal = open("loyal");
    for (const s of [chooser, follower, loyal]) await broker.listTools(s.session);
    await broker.callTool(loyal.session, { name: "janus_use_account", arguments: { account_id: "alpha" } });
    loyal.seen.length = 0; // alpha was already in force: nothing changed for it anyway
    const result = await broker.callTool(chooser.session, {
      name: "janus_use_account",
      arguments: { account_id: "beta", scope: "global" },
    });
    assert.equal(result.isError, undefined, text(result));
    assert.deepEqual(saved, [{ kind: "account", id: "beta" }]);
    assert.deepEqual(chooser.seen, ["tools"]);
    assert.deepEqual(follower.seen, ["tools"]);
    assert.deepEqual(loyal.seen, []);
    assert.equal(text(await broker.callTool(follower.session, { name: "whoami" })), "account:beta");
    assert.equal(text(await broker.callTool(loyal.session, { name: "whoami" })), "account:alpha");
  } finally {
    await broker.close();
  }
});

Deno.test("global mode: a switch reaches every session that has listed, and none that has not", async () => {
  const { broker, open } = setup("global");
  try {
    const one = open("one");
    const two = open("two");
    const idle = open("idle");
    await broker.listTools(one.session);
    await broker.listTools(two.session);
    await broker.callTool(two.session, { name: "janus_use_account", arguments: { account_id: "beta" } });
    assert.deepEqual(one.seen, ["tools"]);
    assert.deepEqual(two.seen, ["tools"]);
    assert.deepEqual(idle.seen, []);
  } finally {
    await broker.close();
  }
});

Deno.test("switching to the account already in force announces nothing", async () => {
  const { broker, open } = setup("session");
  try {
    const one = open("one");
    await broker.listTools(one.session);
    await broker.callTool(one.session, { name: "janus_use_account", arguments: { account_id: "alpha" } });
    assert.deepEqual(one.seen, []);
  } finally {
    await broker.close();
  }
});

Deno.test("an upstream's own list_changed refreshes its cached tools and reaches its sessions only", async () => {
  const { broker, open } = setup("session");
  try {
    const onAlpha = open("on-alpha");
    const onBeta = open("on-beta");
    await broker.callTool(onBeta.session, { name: "janus_use_account", arguments: { account_id: "beta" } });
    await broker.listTools(onAlpha.session);
    await broker.listTools(onBeta.session);
    onBeta.seen.length = 0;
    const grown = text(await broker.callTool(onAlpha.session, { name: "grow" }));
    const deadline = Date.now() + 5000;
    while (onAlpha.seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(onAlpha.seen, ["tools"]);
    assert.deepEqual(onBeta.seen, []);
    assert.ok((await broker.listTools(onAlpha.session)).some((t) => t.name === grown));
  } finally {
    await broker.close();
  }
});

Deno.test("concurrent first calls share one upstream start: every call reaches the same process", async () => {
  const { broker, open } = setup("global");
  try {
    const { session } = open("one");
    const results = await Promise.all(
      Array.from({ length: 6 }, () => broker.callTool(session, { name: "pid" })),
    );
    const pids = new Set(results.map(text));
    assert.equal(pids.size, 1, `several upstream processes started: ${[...pids].join(", ")}`);
  } finally {
    await broker.close();
  }
});

Deno.test("a global switch announces list_changed before its state write ends, then reports the write", async () => {
  const writes: { selector: Selector; finish(error?: Error): void }[] = [];
  const logged: string[] = [];
  const broker = new Broker({
    config: config("global"),
    sources: { env: (name) => Deno.env.get(name) },
    // A write that ends only when the test says so: the announcement must not wait for it.
    persistGlobal: (selector) =>
      new Promise<void>((resolve, reject) => {
        writes.push({ selector, finish: (error) => error ? reject(error) : resolve() });
      }),
    log: (line) => logged.push(line),
  });
  try {
    const session = broker.openSession("one");
    let announced = 0;
    session.notifier = { listChanged: () => announced++ };
    await broker.listTools(session);
    const switched = broker.callTool(session, {
      name: "janus_use_account",
      arguments: { account_id: "beta", scope: "global" },
    });
    const until = async (done: () => boolean) => {
      for (const end = Date.now() + 5_000; !done() && Date.now() < end;) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    // list_changed reaches the session while no write has ended (none ever will, until told).
    await until(() => announced > 0);
    assert.equal(announced, 1, "list_changed must not wait for the state write");
    await until(() => writes.length > 0);
    assert.deepEqual(writes.map((w) => w.selector), [{ kind: "account", id: "beta" }]);
    let answered = false;
    void switched.then(() => answered = true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(answered, false, "the switch answers only once its choice is saved (or failed to be)");
    writes[0].finish(new Error("disk full"));
    const result = await switched;
    assert.match(text(result), /could not be saved.*disk full/);
    assert.ok(logged.some((line) => /warning: the choice could not be saved.*disk full/.test(line)));
    assert.equal(text(await broker.callTool(session, { name: "whoami" })), "account:beta");
  } finally {
    await broker.close();
  }
});
