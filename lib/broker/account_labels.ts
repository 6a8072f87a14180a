/**
 * Inside a profile, a tool that keeps its upstream name does not say which account it acts as;
 * a model choosing between two GitHub accounts' tools must be told. Each such tool's title and
 * description are stamped with its account (pure). A folded tool acts as several accounts and
 * says so in its account argument instead.
 */
import type { Tool } from "@modelcontextprotocol/server";
import type { RouteTable } from "./routes.ts";

/** The table with every un-prefixed tool's title and description naming its account. */
export function labelProfileTools(table: RouteTable<Tool>, accountCount: number): RouteTable<Tool> {
  if (accountCount < 2) return table;
  const items = table.items.map((tool) => {
    const route = table.routes.get(tool.name);
    if (!route || route.upstream !== tool.name) return tool; // namespaced: the name says it already
    if (route.folded) return tool;
    return {
      ...tool,
      title: `${tool.title ?? tool.annotations?.title ?? tool.name} (account ${route.accountId})`,
      description: `[account ${route.accountId}] ${tool.description ?? ""}`.trimEnd(),
    };
  });
  return { items, routes: table.routes };
}
