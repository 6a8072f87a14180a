/**
 * What a selector exposes and where each item goes: the merged route tables of its accounts'
 * lists, and the lookups a routed request needs (a tool or prompt by name, a resource by URI, a
 * completion by what it refers to). Unknown names are `selector` errors that say what to do.
 */
import { type Tool, UriTemplate } from "@modelcontextprotocol/server";
import type { JanusConfig } from "../config/mod.ts";
import { JanusError, messageOf } from "../errors.ts";
import type { CatalogItems, CatalogKind, Era, UpstreamPool } from "../upstream/mod.ts";
import { labelProfileTools } from "./account_labels.ts";
import {
  ACCOUNT_ARGUMENT,
  declaresAccountArgument,
  foldedCall,
  foldedToolTable,
  selectorFolds,
} from "./tool_folding.ts";
import { RESERVED_TOOL_NAMES } from "./search_tools.ts";
import {
  type AccountItems,
  parsePrefixedUri,
  type Route,
  routeByName,
  routeByTemplate,
  routeByUri,
  type RouteTable,
} from "./routes.ts";
import type { SelectorSearch } from "./search_actions.ts";
import { describeSelector, type ResolvedSelector } from "./selector.ts";
import { ToolIndexes } from "./tool_indexes.ts";

/** A `completion/complete` reference. */
export interface CompletionRef {
  type: string;
  name?: string;
  uri?: string;
}

/** Where a tool call goes: the account, the upstream's name, and the arguments it sees. */
export interface ToolCallRoute {
  accountId: string;
  upstream: string;
  arguments: Record<string, unknown> | undefined;
}

/** An account whose list is unavailable contributes this (one object, so the memo below still holds). */
const NOTHING: readonly never[] = Object.freeze([]);

/**
 * A table served again without a lookup per account while it is current: every connection it
 * was built from is still the one the pool would hand out for the need, still holds the same
 * cached list, and the configuration is the same object. That covers every event that changes
 * routes: a switch (another selector, another key), a hot reload (a new config), an upstream's
 * list_changed or a schema found out of date (the connection dropped its list), an upstream
 * closed, restarted or joined by one of the other era (another connection). What `pool.get`
 * also does is kept: the accounts are touched (idle close), and connections that can go stale
 * (a token to renew, a login that can change) never give a current table, so `get` checks them.
 */
interface RecentTable {
  /** The selector's accounts it was built for (a call resolved before a reload may build one). */
  accounts: readonly unknown[];
  sources: { accountId: string; list: unknown }[];
  table: RouteTable<unknown>;
}

/** What a recent table is remembered under: the kind, the client's era, the selector. */
function recentKey(resolved: ResolvedSelector, kind: CatalogKind, need: Era | undefined): string {
  const selector = resolved.selector;
  const name = !selector ? "" : selector.kind === "account" ? `a:${selector.id}` : `p:${selector.name}`;
  return `${kind}\n${need ?? ""}\n${name}`;
}

/**
 * Route tables built from the upstreams' cached lists. `need` is the revision of the client
 * asking: a dual-revision upstream is reached over that one (see lib/upstream/revisions.ts).
 */
export class SelectorRoutes {
  /**
   * The last table per kind and selector, with the lists it was built from: upstream lists are
   * cached objects until they change, so the same lists give back the same table (and the same
   * search index, keyed by it) instead of a rebuild per request.
   */
  readonly #memo = new Map<string, { lists: readonly unknown[][]; table: RouteTable<unknown> }>();
  readonly #indexes = new ToolIndexes();
  /** Tables still current (see RecentTable), for the configuration they were built with. */
  readonly #recent = new Map<string, RecentTable>();
  #recentConfig?: unknown;

  /** `config` says which profiles list their accounts' identical tools once (tool_folding.ts). */
  constructor(
    private readonly pool: Pick<UpstreamPool, "get" | "reusable" | "lifecycle">,
    private readonly log: (line: string) => void,
    private readonly config: () => Pick<JanusConfig, "profileFold"> = () => ({ profileFold: {} }),
  ) {}

  /** The merged, routed list of one kind for a selector. Accounts that fail are left out and logged. */
  async table<K extends CatalogKind>(
    resolved: ResolvedSelector,
    kind: K,
    need?: Era,
  ): Promise<RouteTable<CatalogItems[K]>> {
    const config = this.config();
    if (config !== this.#recentConfig) {
      this.#recent.clear();
      this.#recentConfig = config;
    }
    const recentKeyed = recentKey(resolved, kind, need);
    const recent = this.#recent.get(recentKeyed);
    if (recent && this.#current(recent, resolved, kind, need)) {
      return recent.table as RouteTable<CatalogItems[K]>;
    }
    const sources: RecentTable["sources"] = [];
    const catalogs = await Promise.all(
      resolved.accounts.map(async (account): Promise<AccountItems<CatalogItems[K]>> => {
        try {
          const connection = await this.pool.get(account.id, need);
          const list = connection.list(kind);
          const items = await list;
          sources.push({ accountId: account.id, list });
          return { accountId: account.id, items };
        } catch (error) {
          this.log(`[${account.id}] ${kind} unavailable: ${messageOf(error)}`);
          return { accountId: account.id, items: NOTHING };
        }
      }),
    );
    const table = this.#tableOf(resolved, kind, catalogs);
    // Only a table every account gave its list to (a failed one may recover on the next call).
    if (sources.length === resolved.accounts.length) {
      this.#recent.set(recentKeyed, { accounts: resolved.accounts, sources, table });
    }
    return table;
  }

  /** Whether a recent table is still what a lookup per account would give (see RecentTable). */
  #current(
    recent: RecentTable,
    resolved: ResolvedSelector,
    kind: CatalogKind,
    need: Era | undefined,
  ): boolean {
    const accounts = resolved.accounts;
    if (accounts.length !== recent.accounts.length || accounts.some((a, i) => a !== recent.accounts[i])) {
      return false;
    }
    for (const { accountId, list } of recent.sources) {
      if (this.pool.reusable(accountId, need)?.cachedList(kind) !== list) return false;
    }
    for (const { accountId } of recent.sources) this.pool.lifecycle.touch(accountId);
    return true;
  }

  /** The table of these lists: the memo's when the lists are the ones it was built from. */
  #tableOf<K extends CatalogKind>(
    resolved: ResolvedSelector,
    kind: K,
    catalogs: AccountItems<CatalogItems[K]>[],
  ): RouteTable<CatalogItems[K]> {
    // Folding and labels shape a tool table too: a reload that changes them gives a new table.
    const fold = kind === "tools" && resolved.accounts.length > 1 && selectorFolds(this.config(), resolved);
    const labels = fold ? resolved.accounts.map((a) => a.label) : [];
    const key = [kind, fold, ...catalogs.map((c) => c.accountId), ...labels].join("\n");
    const remembered = this.#memo.get(key);
    if (remembered && remembered.lists.every((list, i) => list === catalogs[i].items)) {
      return remembered.table as RouteTable<CatalogItems[K]>;
    }
    const table = this.#build(kind, catalogs, fold ? resolved : undefined);
    table.unavailable = catalogs.filter((catalog) => catalog.items === NOTHING).length;
    this.#memo.set(key, { lists: catalogs.map((c) => c.items as unknown[]), table });
    return table;
  }

  /** `foldFor`: the selector whose identical tools are folded, when they are. */
  #build<K extends CatalogKind>(
    kind: K,
    catalogs: AccountItems<CatalogItems[K]>[],
    foldFor?: ResolvedSelector,
  ): RouteTable<CatalogItems[K]> {
    // Each kind is routed by its own key; the casts only restate what CatalogItems[K] is.
    if (kind === "tools") {
      const tools = catalogs as AccountItems<Tool>[];
      const table = foldFor
        ? foldedToolTable(tools, RESERVED_TOOL_NAMES)
        : routeByName(tools, RESERVED_TOOL_NAMES);
      // Inside a profile, each tool says which account it acts as (un-prefixed names too).
      return labelProfileTools(table, catalogs.length) as RouteTable<CatalogItems[K]>;
    }
    if (kind === "prompts") {
      return routeByName(catalogs as AccountItems<CatalogItems["prompts"]>[]) as RouteTable<CatalogItems[K]>;
    }
    if (kind === "resources") {
      return routeByUri(catalogs as AccountItems<CatalogItems["resources"]>[]) as RouteTable<CatalogItems[K]>;
    }
    return routeByTemplate(catalogs as AccountItems<CatalogItems["resourceTemplates"]>[]) as RouteTable<
      CatalogItems[K]
    >;
  }

  /** The selector's tools as a search index, with the route of each exposed name. */
  async search(resolved: ResolvedSelector, need?: Era): Promise<SelectorSearch> {
    const table = await this.table(resolved, "tools", need);
    return { index: await this.#indexes.of(table, resolved.accounts), routes: table.routes };
  }

  /**
   * Where a call of a tool the session sees goes. A folded tool's call goes to the account its
   * account argument names, without that argument; one that names none is a `problem` (a tool
   * error the model can correct), not a protocol error.
   */
  async toolCall(
    resolved: ResolvedSelector,
    name: string,
    args: Record<string, unknown> | undefined,
    need?: Era,
    /** The selector's tool table, when the caller already has it (one lookup per call). */
    known?: RouteTable<Tool>,
  ): Promise<ToolCallRoute | { problem: string }> {
    const table = known ?? await this.table(resolved, "tools", need);
    const route = routeOf(table, resolved, name);
    const folding = resolved.accounts.length > 1 && selectorFolds(this.config(), resolved);
    const unfolded = folding && !route.folded && args?.[ACCOUNT_ARGUMENT] !== undefined
      ? {
        accounts: resolved.accounts.map((a) => a.id),
        declares: declaresAccountArgument(table.items.find((tool) => tool.name === name)),
      }
      : undefined;
    const call = foldedCall(name, route, args, unfolded);
    if (!call.ok) return { problem: call.problem };
    return { accountId: call.accountId, upstream: route.upstream, arguments: call.arguments };
  }

  /** Where a tool the session sees is routed (a folded tool's route names all its accounts). */
  async tool(resolved: ResolvedSelector, name: string, need?: Era): Promise<Route> {
    return routeOf(await this.table(resolved, "tools", need), resolved, name);
  }

  /** Where a prompt the session sees is got. */
  async prompt(resolved: ResolvedSelector, name: string, need?: Era): Promise<Route> {
    const route = (await this.table(resolved, "prompts", need)).routes.get(name);
    if (route) return route;
    throw new JanusError("selector", `unknown prompt "${name}" for ${describeSelector(resolved.selector)}`);
  }

  /** The account that owns a resource URI: listed, prefixed, matched by a template, or the only account. */
  async resource(resolved: ResolvedSelector, uri: string, need?: Era): Promise<Route> {
    const exact = (await this.table(resolved, "resources", need)).routes.get(uri);
    if (exact) return exact;
    const prefixed = parsePrefixedUri(uri);
    if (prefixed && resolved.accounts.some((a) => a.id === prefixed.accountId)) return prefixed;
    for (const [template, route] of (await this.table(resolved, "resourceTemplates", need)).routes) {
      if (template === route.upstream && new UriTemplate(template).match(uri)) {
        return { accountId: route.accountId, upstream: uri };
      }
    }
    if (resolved.accounts.length === 1) return { accountId: resolved.accounts[0].id, upstream: uri };
    throw new JanusError(
      "selector",
      `no account of ${describeSelector(resolved.selector)} offers resource "${uri}"`,
    );
  }

  /** Where a completion goes, and its reference as the upstream knows it. */
  async completion(
    resolved: ResolvedSelector,
    ref: CompletionRef,
    need?: Era,
  ): Promise<{ route: Route; target: string; upstreamRef: CompletionRef }> {
    if (ref.type === "ref/prompt" && ref.name) {
      const route = (await this.table(resolved, "prompts", need)).routes.get(ref.name);
      if (route) return { route, target: ref.name, upstreamRef: { ...ref, name: route.upstream } };
    } else if (ref.type === "ref/resource" && ref.uri) {
      const route = (await this.table(resolved, "resourceTemplates", need)).routes.get(ref.uri) ??
        (await this.table(resolved, "resources", need)).routes.get(ref.uri);
      if (route) return { route, target: ref.uri, upstreamRef: { ...ref, uri: route.upstream } };
    }
    throw new JanusError(
      "selector",
      `nothing to complete: ${ref.type} "${ref.name ?? ref.uri ?? ""}" is not offered by ${
        describeSelector(resolved.selector)
      }`,
    );
  }
}

/** A tool's route in a selector's table; an unknown name is a `selector` error that says what to do. */
function routeOf(table: RouteTable<Tool>, resolved: ResolvedSelector, name: string): Route {
  const route = table.routes.get(name);
  if (route) return route;
  throw new JanusError(
    "selector",
    `unknown tool "${name}" for ${
      describeSelector(resolved.selector)
    }; the tool list may be out of date — list tools again, or call janus_whoami`,
  );
}
