/** The search index on its own (pure): ranking, account filter, closest names, immutability. */
import assert from "node:assert/strict";
import { type IndexedTool, ToolIndex } from "../../lib/search/tool_index.ts";
import { SAAS_TOOLS } from "../fixtures/saas_tools.ts";

const entries = (account: string, service: string, prefix = ""): IndexedTool[] =>
  SAAS_TOOLS[service].map((tool) => ({ name: `${prefix}${tool.name}`, account, accountText: service, tool }));

const index = new ToolIndex([
  ...entries("gh", "github"),
  ...entries("sl", "slack"),
  ...entries("li", "linear", "li_"),
]);
const top = (query: string, options = {}) => index.search(query, options).map((hit) => hit.name);

Deno.test("a word of the tool name ranks above the same word in a description", () => {
  assert.equal(top("merge pull request")[0], "merge_pull_request");
  assert.equal(top("fork")[0], "fork_repository");
});

Deno.test("plural, -ing and -ed forms meet the tool's own words", () => {
  assert.equal(top("listing commits")[0], "list_commits");
  assert.equal(top("merged pull requests")[0], "merge_pull_request");
});

Deno.test("a synonym finds a tool named with another word, below one named with the query's own", () => {
  assert.ok(top("remove a slack message", { limit: 2 }).includes("slack_delete_message"));
  assert.equal(top("delete slack message")[0], "slack_delete_message");
});

Deno.test("camelCase and snake_case names are split into words", () => {
  const camel = new ToolIndex([
    { name: "getUserProfile", account: "a", tool: { name: "getUserProfile" } },
    { name: "list-things", account: "a", tool: { name: "list-things" } },
  ]);
  assert.deepEqual(camel.search("user profile").map((h) => h.name), ["getUserProfile"]);
  assert.deepEqual(camel.search("things").map((h) => h.name), ["list-things"]);
});

Deno.test("a query naming the service prefers that account's tool of the same name", () => {
  assert.equal(top("create a linear issue")[0], "li_create_issue");
  assert.equal(top("create a github issue")[0], "create_issue");
});

Deno.test("the account filter keeps only that account's tools", () => {
  const hits = index.search("issue", { account: "li", limit: 20 });
  assert.ok(hits.length > 3);
  assert.ok(hits.every((hit) => hit.account === "li"));
});

Deno.test("the limit bounds the hits, at least one and five by default", () => {
  assert.equal(index.search("issue").length, 5);
  assert.equal(index.search("issue", { limit: 2 }).length, 2);
  assert.equal(index.search("issue", { limit: 0 }).length, 1);
});

Deno.test("a query of filler words or unknown words finds nothing", () => {
  assert.deepEqual(top("the of a to"), []);
  assert.deepEqual(top("xylophone"), []);
  assert.deepEqual(top(""), []);
});

Deno.test("each hit carries the tool's definition as given", () => {
  const [hit] = index.search("post message to channel", { limit: 1 });
  assert.equal(hit.tool, SAAS_TOOLS.slack.find((tool) => tool.name === "slack_post_message"));
  assert.equal(hit.account, "sl");
  assert.ok(hit.score > 0);
});

Deno.test("closest names: a typo first, then names sharing words; none for nonsense", () => {
  assert.equal(index.closest("slack_post_mesage")[0], "slack_post_message");
  assert.equal(index.closest("create_isue")[0], "create_issue");
  assert.ok(index.closest("list_issue").includes("list_issues"));
  assert.ok(index.closest("create_isue", { account: "li" }).every((name) => name.startsWith("li_")));
  assert.deepEqual(index.closest("qqqqqq"), []);
  assert.ok(index.closest("create_issue").length <= 3);
});

Deno.test("an index over no tools answers every query with nothing", () => {
  const empty = new ToolIndex([]);
  assert.equal(empty.size, 0);
  assert.deepEqual(empty.search("anything"), []);
  assert.deepEqual(empty.closest("anything"), []);
});
