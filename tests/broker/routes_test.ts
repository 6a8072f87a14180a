import assert from "node:assert/strict";
import {
  namespacedName,
  parsePrefixedUri,
  prefixedUri,
  routeByName,
  routeByTemplate,
  routeByUri,
} from "../../lib/broker/routes.ts";
import { CONTROL_TOOL_NAMES } from "../../lib/broker/control_tools.ts";

interface TestTool {
  name: string;
  description: string;
  inputSchema: { type: "object"; properties: Record<string, unknown> };
}

function tool(name: string, description = `${name} tool`): TestTool {
  return { name, description, inputSchema: { type: "object", properties: { q: { type: "string" } } } };
}

const names = (items: readonly { name: string }[]) => items.map((i) => i.name);

Deno.test("a single account keeps every upstream name as it is", () => {
  const table = routeByName([{ accountId: "acme", items: [tool("search"), tool("create_issue")] }]);
  assert.deepEqual(names(table.items), ["search", "create_issue"]);
  assert.deepEqual([...table.routes], [
    ["search", { accountId: "acme", upstream: "search" }],
    ["create_issue", { accountId: "acme", upstream: "create_issue" }],
  ]);
});

Deno.test("an unchanged item is passed through as the same object", () => {
  const search = tool("search");
  const table = routeByName([{ accountId: "acme", items: [search] }]);
  assert.equal(table.items[0], search);
});

Deno.test("names no other account uses are kept inside a profile", () => {
  const table = routeByName([
    { accountId: "gh", items: [tool("create_issue")] },
    { accountId: "slack", items: [tool("post_message")] },
  ]);
  assert.deepEqual(names(table.items), ["create_issue", "post_message"]);
  assert.deepEqual(table.routes.get("post_message"), { accountId: "slack", upstream: "post_message" });
});

Deno.test("a later account's clashing tool is namespaced with its id; the first keeps the name", () => {
  const table = routeByName([
    { accountId: "work", items: [tool("search"), tool("only_work")] },
    { accountId: "home", items: [tool("search"), tool("only_home")] },
  ]);
  assert.deepEqual(names(table.items), ["search", "only_work", "home_search", "only_home"]);
  assert.deepEqual(table.routes.get("search"), { accountId: "work", upstream: "search" });
  assert.deepEqual(table.routes.get("home_search"), { accountId: "home", upstream: "search" });
  assert.equal(table.routes.has("work_search"), false);
});

Deno.test("a third account with the same tool is namespaced with its own id", () => {
  const table = routeByName([
    { accountId: "a", items: [tool("search")] },
    { accountId: "b", items: [tool("search")] },
    { accountId: "c", items: [tool("search")] },
  ]);
  assert.deepEqual(names(table.items), ["search", "b_search", "c_search"]);
  assert.deepEqual(table.routes.get("c_search"), { accountId: "c", upstream: "search" });
});

Deno.test("a reserved control-tool name is namespaced even for the first account", () => {
  const table = routeByName(
    [{ accountId: "acme", items: [tool("janus_whoami"), tool("search")] }],
    CONTROL_TOOL_NAMES,
  );
  assert.deepEqual(names(table.items), ["acme_janus_whoami", "search"]);
  assert.deepEqual(table.routes.get("acme_janus_whoami"), { accountId: "acme", upstream: "janus_whoami" });
  assert.equal(table.routes.has("janus_whoami"), false);
});

Deno.test("a namespaced name that is itself taken gets a counter", () => {
  // "b" exposes both "search" (clashes with a's) and a literal "b_search".
  const table = routeByName([
    { accountId: "a", items: [tool("search"), tool("b_search")] },
    { accountId: "b", items: [tool("search")] },
  ]);
  assert.deepEqual(names(table.items), ["search", "b_search", "b_search_2"]);
  assert.deepEqual(table.routes.get("b_search"), { accountId: "a", upstream: "b_search" });
  assert.deepEqual(table.routes.get("b_search_2"), { accountId: "b", upstream: "search" });
});

Deno.test("the counter keeps counting past names that are already taken", () => {
  const table = routeByName([
    { accountId: "a", items: [tool("x"), tool("b_x"), tool("b_x_2")] },
    { accountId: "b", items: [tool("x")] },
  ]);
  assert.deepEqual(names(table.items), ["x", "b_x", "b_x_2", "b_x_3"]);
  assert.deepEqual(table.routes.get("b_x_3"), { accountId: "b", upstream: "x" });
});

Deno.test("a reserved namespaced name also forces a counter", () => {
  const table = routeByName(
    [{ accountId: "acme", items: [tool("search")] }, { accountId: "b", items: [tool("search")] }],
    new Set(["b_search"]),
  );
  assert.deepEqual(names(table.items), ["search", "b_search_2"]);
});

Deno.test("every exposed name has exactly one route back to its account and upstream name", () => {
  const table = routeByName(
    [
      { accountId: "a", items: [tool("search"), tool("janus_use_account"), tool("list")] },
      { accountId: "b", items: [tool("search"), tool("list"), tool("extra")] },
    ],
    CONTROL_TOOL_NAMES,
  );
  assert.equal(table.routes.size, table.items.length);
  assert.deepEqual(new Set(names(table.items)), new Set(table.routes.keys()));
  for (const name of CONTROL_TOOL_NAMES) assert.equal(table.routes.has(name), false, name);
  assert.deepEqual(Object.fromEntries(table.routes), {
    search: { accountId: "a", upstream: "search" },
    a_janus_use_account: { accountId: "a", upstream: "janus_use_account" },
    list: { accountId: "a", upstream: "list" },
    b_search: { accountId: "b", upstream: "search" },
    b_list: { accountId: "b", upstream: "list" },
    extra: { accountId: "b", upstream: "extra" },
  });
});

Deno.test("a renamed tool keeps its other fields and the input items are not mutated", () => {
  const first = tool("search", "work search");
  const second = tool("search", "home search");
  const before = structuredClone([first, second]);
  const secondItems = [second];
  const table = routeByName([{ accountId: "work", items: [first] }, {
    accountId: "home",
    items: secondItems,
  }]);

  const renamed = table.items[1];
  assert.deepEqual(renamed, { ...second, name: "home_search" });
  assert.notEqual(renamed, second);
  assert.equal(renamed.inputSchema, second.inputSchema, "the schema object is shared, not copied");
  assert.deepEqual([first, second], before);
  assert.equal(second.name, "search");
  assert.deepEqual(secondItems, [second]);
});

Deno.test("an empty catalog gives an empty table", () => {
  const table = routeByName<TestTool>([]);
  assert.deepEqual(table.items, []);
  assert.equal(table.routes.size, 0);
  const noItems = routeByName<TestTool>([{ accountId: "a", items: [] }]);
  assert.deepEqual(noItems.items, []);
});

Deno.test("namespacedName joins the account id and name with an underscore", () => {
  assert.equal(namespacedName("client-a", "search"), "client-a_search");
});

Deno.test("a later account's clashing resource URI is prefixed as janus://<account>/<uri>", () => {
  const docA = { uri: "file:///README.md", name: "readme", mimeType: "text/markdown" };
  const docB = { uri: "file:///README.md", name: "readme", mimeType: "text/markdown" };
  const other = { uri: "file:///b-only.txt", name: "b-only" };
  const before = structuredClone([docA, docB, other]);
  const table = routeByUri([{ accountId: "a", items: [docA] }, { accountId: "b", items: [docB, other] }]);

  assert.deepEqual(table.items, [
    docA,
    { uri: "janus://b/file:///README.md", name: "readme", mimeType: "text/markdown" },
    other,
  ]);
  assert.deepEqual(table.routes.get("file:///README.md"), { accountId: "a", upstream: "file:///README.md" });
  assert.deepEqual(table.routes.get("janus://b/file:///README.md"), {
    accountId: "b",
    upstream: "file:///README.md",
  });
  assert.deepEqual(table.routes.get("file:///b-only.txt"), {
    accountId: "b",
    upstream: "file:///b-only.txt",
  });
  assert.deepEqual([docA, docB, other], before);
});

Deno.test("resources never use the tool-style underscore namespace", () => {
  const table = routeByUri([
    { accountId: "a", items: [{ uri: "mem://x" }] },
    { accountId: "b", items: [{ uri: "mem://x" }] },
  ]);
  assert.deepEqual(table.items.map((i) => i.uri), ["mem://x", "janus://b/mem://x"]);
});

Deno.test("a later account's clashing URI template is prefixed the same way", () => {
  const templateA = { uriTemplate: "repo://{owner}/{name}", name: "repo" };
  const templateB = { uriTemplate: "repo://{owner}/{name}", name: "repo", description: "b's" };
  const before = structuredClone([templateA, templateB]);
  const table = routeByTemplate([
    { accountId: "a", items: [templateA] },
    { accountId: "b", items: [templateB] },
  ]);
  assert.deepEqual(table.items, [
    templateA,
    { uriTemplate: "janus://b/repo://{owner}/{name}", name: "repo", description: "b's" },
  ]);
  assert.deepEqual(table.routes.get("janus://b/repo://{owner}/{name}"), {
    accountId: "b",
    upstream: "repo://{owner}/{name}",
  });
  assert.deepEqual([templateA, templateB], before);
});

Deno.test("parsePrefixedUri round-trips what prefixedUri builds", () => {
  for (
    const [accountId, uri] of [
      ["b", "file:///README.md"],
      ["client-a_1", "https://example.com/a/b?c=d"],
      ["x", "janus://y/nested"],
      ["x", ""],
    ]
  ) {
    const prefixed = prefixedUri(accountId, uri);
    assert.equal(prefixed, `janus://${accountId}/${uri}`);
    assert.deepEqual(parsePrefixedUri(prefixed), { accountId, upstream: uri });
  }
});

Deno.test("parsePrefixedUri rejects URIs that are not janus://<account>/<uri>", () => {
  for (
    const uri of [
      "file:///README.md",
      "janus:/b/x",
      "janus://",
      "janus://b",
      "janus:///x",
      "JANUS://b/x",
      " janus://b/x",
      "",
    ]
  ) {
    assert.equal(parsePrefixedUri(uri), undefined, JSON.stringify(uri));
  }
});
