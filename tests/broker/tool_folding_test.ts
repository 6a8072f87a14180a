import assert from "node:assert/strict";
import type { Tool } from "@modelcontextprotocol/server";
import { labelProfileTools } from "../../lib/broker/account_labels.ts";
import {
  ACCOUNT_ARGUMENT,
  canFold,
  foldedCall,
  foldedToolTable,
  foldLegend,
  selectorFolds,
} from "../../lib/broker/tool_folding.ts";
import type { AccountItems } from "../../lib/broker/routes.ts";
import type { ResolvedSelector } from "../../lib/broker/selector.ts";

const echo = (extra: Partial<Tool> = {}): Tool => ({
  name: "echo",
  description: "Echo the text.",
  inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  ...extra,
});
const plain = (name: string): Tool => ({ name, inputSchema: { type: "object" } });
const accounts = (...ids: string[]) => ids.map((id) => ({ id, label: id }));
const catalog = (accountId: string, items: Tool[]): AccountItems<Tool> => ({ accountId, items });

Deno.test("five accounts with the same tools list them once, each with a required account argument", () => {
  const ids = ["e1", "e2", "e3", "e4", "e5"];
  const table = foldedToolTable(ids.map((id) => catalog(id, [echo(), plain("ping")])));
  assert.deepEqual(table.items.map((t) => t.name), ["echo", "ping"]);
  const folded = table.items[0];
  assert.deepEqual(folded.inputSchema, {
    type: "object",
    properties: { [ACCOUNT_ARGUMENT]: { type: "string", enum: ids }, text: { type: "string" } },
    required: [ACCOUNT_ARGUMENT, "text"],
  });
  assert.equal(folded.description, "Echo the text.", "the upstream's own description is kept");
  assert.deepEqual(table.routes.get("echo"), {
    accountId: "e1",
    upstream: "echo",
    folded: { argument: ACCOUNT_ARGUMENT, accounts: ids },
  });
  assert.deepEqual(
    table.items[1].inputSchema.required,
    [ACCOUNT_ARGUMENT],
    "a schema without required gets one",
  );
});

Deno.test("the account argument is the ids alone; the labels are told once, by foldLegend", () => {
  const table = foldedToolTable([catalog("acme", [echo()]), catalog("globex", [echo()])]);
  const argument = table.items[0].inputSchema.properties?.[ACCOUNT_ARGUMENT];
  assert.deepEqual(argument, { type: "string", enum: ["acme", "globex"] });
  assert.equal(
    foldLegend([{ id: "acme", label: "GitHub — Acme" }, { id: "globex", label: "globex" }]),
    'Tools that take "janus_account" act as the account it names: acme = GitHub — Acme; globex = globex.',
  );
  assert.equal(foldLegend(accounts("acme", "globex")), undefined, "ids alone say all there is");
});

Deno.test("tools that differ stay apart and are namespaced; the same ones fold beside them", () => {
  const other = echo({ inputSchema: { type: "object", properties: { text: { type: "number" } } } });
  const described = echo({ description: "Echo, on a3." });
  const table = foldedToolTable(
    [
      catalog("a1", [echo(), plain("only_a1")]),
      catalog("a2", [echo()]),
      catalog("a3", [described]),
      catalog("a4", [other]),
      catalog("a5", [echo()]),
    ],
  );
  assert.deepEqual(table.items.map((t) => t.name), ["echo", "only_a1", "a3_echo", "a4_echo"]);
  assert.deepEqual(table.routes.get("echo")?.folded?.accounts, ["a1", "a2", "a5"]);
  assert.deepEqual(table.routes.get("a3_echo"), { accountId: "a3", upstream: "echo" });
  assert.deepEqual(table.items[2], { ...described, name: "a3_echo" }, "a lone tool is left as it was");
  assert.deepEqual(table.routes.get("a4_echo"), { accountId: "a4", upstream: "echo" });
});

Deno.test("a folded group that is not first takes the namespaced name of its first account", () => {
  const other = echo({ description: "Different." });
  const table = foldedToolTable(
    [catalog("a", [other]), catalog("b", [echo()]), catalog("c", [echo()])],
  );
  assert.deepEqual(table.items.map((t) => t.name), ["echo", "b_echo"]);
  assert.equal(table.routes.get("echo")?.folded, undefined);
  assert.deepEqual(table.routes.get("b_echo")?.folded?.accounts, ["b", "c"]);
});

Deno.test("definitions compare by content, not key order; folding is deterministic", () => {
  const reordered: Tool = {
    inputSchema: { required: ["text"], properties: { text: { type: "string" } }, type: "object" },
    description: "Echo the text.",
    name: "echo",
  };
  const catalogs = [catalog("x", [plain("a"), echo()]), catalog("y", [reordered, plain("a")])];
  const first = foldedToolTable(catalogs);
  assert.deepEqual(first.items.map((t) => t.name), ["a", "echo"]);
  assert.deepEqual(first.routes.get("echo")?.folded?.accounts, ["x", "y"]);
  assert.deepEqual(foldedToolTable(catalogs), first);
});

Deno.test("a schema that has janus_account itself, or that is not a plain object schema, is not folded", () => {
  const own = echo({
    inputSchema: { type: "object", properties: { [ACCOUNT_ARGUMENT]: { type: "string" } } },
  });
  const composed = echo({
    inputSchema: { type: "object", oneOf: [{ required: ["a"] }, { required: ["b"] }] },
  });
  const closed = echo({ inputSchema: { type: "object", propertyNames: { pattern: "^[a-z]+$" } } });
  assert.equal(canFold(echo()), true);
  for (const tool of [own, composed, closed]) {
    assert.equal(canFold(tool), false, JSON.stringify(tool.inputSchema));
    const table = foldedToolTable([catalog("a", [tool]), catalog("b", [tool])]);
    assert.deepEqual(table.items.map((t) => t.name), ["echo", "b_echo"]);
    assert.deepEqual(table.items[0], tool, "left untouched");
  }
  assert.equal(canFold({ name: "x", inputSchema: { type: "string" } } as unknown as Tool), false);
});

Deno.test("a name one account lists twice is not folded for that account", () => {
  const table = foldedToolTable(
    [catalog("a", [echo(), echo()]), catalog("b", [echo()])],
  );
  assert.deepEqual(table.items.map((t) => t.name), ["echo", "a_echo", "b_echo"]);
  assert.equal([...table.routes.values()].some((route) => route.folded), false);
});

Deno.test("a folded tool with a reserved name is namespaced like any other", () => {
  const table = foldedToolTable(
    [catalog("a", [plain("janus_whoami")]), catalog("b", [plain("janus_whoami")])],
    new Set(["janus_whoami"]),
  );
  assert.deepEqual(table.items.map((t) => t.name), ["a_janus_whoami"]);
  assert.deepEqual(table.routes.get("a_janus_whoami")?.folded?.accounts, ["a", "b"]);
});

Deno.test("a folded call goes to the named account without the account argument", () => {
  const table = foldedToolTable([catalog("a", [echo()]), catalog("b", [echo()])]);
  const route = table.routes.get("echo");
  assert.ok(route);
  const args = { [ACCOUNT_ARGUMENT]: "b", text: "hi" };
  assert.deepEqual(foldedCall("echo", route, args), { ok: true, accountId: "b", arguments: { text: "hi" } });
  assert.deepEqual(args, { [ACCOUNT_ARGUMENT]: "b", text: "hi" }, "the caller's object is not changed");
  for (const bad of [undefined, { text: "hi" }, { [ACCOUNT_ARGUMENT]: "c" }, { [ACCOUNT_ARGUMENT]: 1 }]) {
    const call = foldedCall("echo", route, bad);
    assert.equal(call.ok, false);
    assert.match(call.ok ? "" : call.problem, /pass "janus_account" with one of a, b/);
  }
  // An unfolded route passes the arguments on as they came, janus_account or not.
  const own = { [ACCOUNT_ARGUMENT]: "x" };
  assert.deepEqual(foldedCall("t", { accountId: "a", upstream: "t" }, own), {
    ok: true,
    accountId: "a",
    arguments: own,
  });
});

Deno.test("a call still naming an account after its tool stopped folding never acts as another account", () => {
  // a2's copy went away (a restart, a changed definition): echo is now a1's plain tool.
  const route = { accountId: "a1", upstream: "echo" };
  const context = { accounts: ["a1", "a2"], declares: false };
  const other = foldedCall("echo", route, { [ACCOUNT_ARGUMENT]: "a2", text: "hi" }, context);
  assert.equal(other.ok, false);
  assert.match(other.ok ? "" : other.problem, /acts as account a1 only.*list tools again/);
  assert.deepEqual(foldedCall("echo", route, { [ACCOUNT_ARGUMENT]: "a1", text: "hi" }, context), {
    ok: true,
    accountId: "a1",
    arguments: { text: "hi" },
  });
  // A tool with its own janus_account, or a value that is no account of the selector, is left alone.
  const own = { [ACCOUNT_ARGUMENT]: "a2" };
  assert.deepEqual(foldedCall("t", route, own, { ...context, declares: true }), {
    ok: true,
    accountId: "a1",
    arguments: own,
  });
  const mine = { [ACCOUNT_ARGUMENT]: "mine" };
  assert.deepEqual(foldedCall("t", route, mine, context), { ok: true, accountId: "a1", arguments: mine });
});

Deno.test("folded tools are not stamped with one account; the others still are", () => {
  const table = foldedToolTable(
    [catalog("a", [echo(), plain("only_a")]), catalog("b", [echo()])],
  );
  const labelled = labelProfileTools(table, 2);
  assert.equal(labelled.items[0].description, "Echo the text.");
  assert.equal(labelled.items[1].description, "[account a]");
});

Deno.test("profiles fold unless they say fold: false; single accounts never do", () => {
  const resolved = (selector: ResolvedSelector["selector"]): ResolvedSelector => ({
    selector,
    accounts: [],
    source: "session",
  });
  const config = { profileFold: { apart: false, together: true } };
  assert.equal(selectorFolds(config, resolved({ kind: "profile", name: "work" })), true);
  assert.equal(selectorFolds(config, resolved({ kind: "profile", name: "together" })), true);
  assert.equal(selectorFolds(config, resolved({ kind: "profile", name: "apart" })), false);
  assert.equal(selectorFolds(config, resolved({ kind: "account", id: "a" })), false);
});
