import assert from "node:assert/strict";
import type { Tool } from "@modelcontextprotocol/server";
import { labelProfileTools } from "../../lib/broker/account_labels.ts";
import { routeByName } from "../../lib/broker/routes.ts";

const tool = (name: string, extra: Partial<Tool> = {}): Tool => ({
  name,
  description: `does ${name}`,
  inputSchema: { type: "object" },
  ...extra,
});

Deno.test("in a profile, un-prefixed tools carry their account in title and description", () => {
  const table = routeByName([
    { accountId: "work", items: [tool("search", { title: "Search" }), tool("only_work")] },
    { accountId: "home", items: [tool("search")] },
  ]);
  const labelled = labelProfileTools(table, 2);
  const byName = new Map(labelled.items.map((t) => [t.name, t]));
  assert.equal(byName.get("search")?.title, "Search (account work)");
  assert.equal(byName.get("search")?.description, "[account work] does search");
  assert.equal(byName.get("only_work")?.title, "only_work (account work)");
  assert.deepEqual(
    byName.get("home_search"),
    { ...tool("search"), name: "home_search" },
    "namespaced: left as it is",
  );
  assert.equal(labelled.routes, table.routes);
});

Deno.test("a single account's tools are left untouched", () => {
  const table = routeByName([{ accountId: "work", items: [tool("search")] }]);
  assert.equal(labelProfileTools(table, 1), table);
});
