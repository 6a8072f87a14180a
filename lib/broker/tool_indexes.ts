/**
 * Search indexes over route tables. A table is rebuilt only when one of its accounts' cached
 * lists changed (an upstream's `list_changed`, a restart), so keying the index by the table
 * object rebuilds it exactly then, and lets it go with the table.
 */
import type { Tool } from "@modelcontextprotocol/server";
import type { AccountConfig } from "../config/mod.ts";
import { buildToolIndex, type IndexedTool, type ToolIndex } from "../search/mod.ts";
import type { RouteTable } from "./routes.ts";

/** One index per live route table. */
export class ToolIndexes {
  readonly #byTable = new WeakMap<RouteTable<Tool>, Promise<ToolIndex<Tool>>>();

  /** The index of a table's tools (as exposed), built on first use (and the search code loaded then). */
  of(table: RouteTable<Tool>, accounts: readonly AccountConfig[]): Promise<ToolIndex<Tool>> {
    let index = this.#byTable.get(table);
    if (!index) {
      const described = new Map(accounts.map((a) => [a.id, `${a.service} ${a.label}`]));
      const entries = table.items.flatMap((tool): IndexedTool<Tool>[] => {
        const route = table.routes.get(tool.name);
        if (!route) return [];
        // A folded tool acts as each of its accounts: a search for any of them finds it.
        const accounts = route.folded?.accounts;
        const accountText = (accounts ?? [route.accountId]).map((id) => described.get(id)).join(" ");
        return [{
          name: tool.name,
          account: route.accountId,
          ...(accounts ? { accounts } : {}),
          accountText,
          tool,
        }];
      });
      index = buildToolIndex(entries);
      this.#byTable.set(table, index);
    }
    return index;
  }
}
