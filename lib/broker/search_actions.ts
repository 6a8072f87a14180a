/**
 * What `janus_search_tools` and `janus_call_tool` do. A search runs over the session's selector
 * (or, within the binding rules, one other account); a call goes the way a direct call of the
 * same tool would (same routing, redaction, progress, cancellation and input relay), because it
 * is handed to the core's own `callTool` or `callAs`. Reaches the core as a `SearchHost`.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import type { Selector } from "../config/mod.ts";
import { JanusError } from "../errors.ts";
import type { SearchHit, ToolIndex } from "../search/mod.ts";
import type { UpstreamResult } from "../upstream/mod.ts";
import type { ControlHost } from "./control_host.ts";
import type { RequestContext } from "./request.ts";
import type { Route } from "./routes.ts";
import { RESERVED_TOOL_NAMES, type SearchAction } from "./search_tools.ts";
import { accountsOf, describeSelector, type ResolvedSelector } from "./selector.ts";
import type { Session } from "./session.ts";
import { toolError } from "./tool_results.ts";

/** A selector's tools, searchable, with the route of each exposed name. */
export interface SelectorSearch {
  index: ToolIndex<Tool>;
  routes: ReadonlyMap<string, Route>;
}

/** What the search tools need from the routing core. */
export interface SearchHost extends Pick<ControlHost, "config" | "configPath" | "resolve" | "callAs"> {
  /** The search index and routes of a selector's tools. */
  toolSearch(resolved: ResolvedSelector): Promise<SelectorSearch>;
  /** A tool call exactly as if the client had called `params.name` directly. */
  callTool(
    session: Session,
    params: { name: string; arguments?: Record<string, unknown> } & Record<string, unknown>,
    context: RequestContext,
  ): Promise<CallToolResult | UpstreamResult>;
}

/** Runs one parsed search-tool call; `meta` is the outer request's `_meta`, passed on to the inner call. */
export async function runSearchAction(
  host: SearchHost,
  session: Session,
  action: SearchAction,
  context: RequestContext,
  meta?: unknown,
): Promise<CallToolResult | UpstreamResult> {
  const scope = await searchScope(host, session, action.account);
  if ("refusal" in scope) return toolError(scope.refusal);
  if (action.kind === "search_tools") {
    const hits = scope.search.index.search(action.query, { account: action.account, limit: action.limit });
    // Compact JSON: input schemas are most of an answer, and indentation would nearly double them.
    const answer = searchAnswer(action.query, hits, scope);
    return { content: [{ type: "text", text: JSON.stringify(answer) }], structuredContent: answer };
  }

  if (RESERVED_TOOL_NAMES.has(action.name)) {
    return toolError(
      `"${action.name}" is one of the broker's own tools: call it directly, not through janus_call_tool`,
    );
  }
  const exposed = exposedName(scope, action.name, action.account);
  if (exposed === undefined) {
    const closest = scope.search.index.closest(action.name, { account: action.account });
    return toolError(
      `unknown tool "${action.name}" for ${scope.description}${
        closest.length ? `; closest: ${closest.join(", ")}` : ""
      }. Find tools with janus_search_tools.`,
    );
  }
  const folded = scope.search.routes.get(exposed)?.folded;
  const args = folded
    ? withChosenAccount(folded.argument, action.arguments, action.account)
    : action.arguments;
  if (typeof args === "string") return toolError(args);
  const inner = {
    name: exposed,
    arguments: args,
    ...(meta === undefined ? {} : { _meta: meta }),
  };
  if (scope.inSelector) return await host.callTool(session, inner, context);
  const upstreamName = scope.search.routes.get(exposed)?.upstream ?? exposed;
  return await host.callAs(session, scope.accountId, upstreamName, action.arguments, context);
}

/**
 * Tool search for the agent CLI (`janusmcp tools --search QUERY`): the best matches among a
 * selector's tools (by default the one the session's next call would use), under the names a
 * session calls them by. An unknown selector is a `selector` error.
 */
export async function searchTools(
  host: SearchHost,
  session: Session,
  query: string,
  options: { selector?: Selector; account?: string; limit?: number } = {},
): Promise<SearchHit<Tool>[]> {
  let resolved = host.resolve(session);
  if (options.selector) {
    const accounts = accountsOf(host.config, options.selector);
    if (!accounts) {
      throw new JanusError("selector", `${describeSelector(options.selector)} is not in the config`);
    }
    resolved = { selector: options.selector, accounts, source: "override" };
  }
  return (await host.toolSearch(resolved)).index.search(query, {
    account: options.account,
    limit: options.limit,
  });
}

/** Where a search or call looks: the session's selector, or one account outside it. */
type Scope =
  | { search: SelectorSearch; inSelector: true; description: string; accountId?: string }
  | { search: SelectorSearch; inSelector: false; description: string; accountId: string }
  | { refusal: string };

async function searchScope(host: SearchHost, session: Session, account: string | undefined): Promise<Scope> {
  const resolved = host.resolve(session);
  const description = describeSelector(resolved.selector);
  if (account === undefined || resolved.accounts.some((a) => a.id === account)) {
    return { search: await host.toolSearch(resolved), inSelector: true, description, accountId: account };
  }
  // Another account than the session's: the rules of janus_with_account apply.
  const config = host.config;
  if (config.bindingMode === "locked") {
    return {
      refusal:
        `bindingMode is "locked": tools of other accounts than ${description} are refused; ask the user to change "bindingMode" in ${
          host.configPath ?? "the config file"
        } if another account is needed`,
    };
  }
  const target = { kind: "account", id: account } as const;
  const accounts = accountsOf(config, target);
  if (!accounts) {
    const known = config.accounts.map((a) => a.id).join(", ") || "none configured";
    return {
      refusal: `unknown account "${account}" (known: ${known}); call janus_list_accounts to see them`,
    };
  }
  const search = await host.toolSearch({ selector: target, accounts, source: "override" });
  return { search, inSelector: false, description: `account "${account}"`, accountId: account };
}

/** The name to call a tool by, or undefined when the scope has no such tool. */
function exposedName(
  scope: Exclude<Scope, { refusal: string }>,
  name: string,
  account?: string,
): string | undefined {
  const route = scope.search.routes.get(name);
  if (route && (account === undefined || actsAs(route, account))) return name;
  if (account === undefined) return undefined;
  // With an account, its own (upstream) name is accepted too: the one janus_with_account shows.
  for (const [exposed, candidate] of scope.search.routes) {
    if (actsAs(candidate, account) && candidate.upstream === name) return exposed;
  }
  return undefined;
}

/** Whether a route's tool acts as an account (a folded tool acts as each of its accounts). */
function actsAs(route: Route, account: string): boolean {
  return route.folded ? route.folded.accounts.includes(account) : route.accountId === account;
}

/**
 * A folded tool's arguments with janus_call_tool's `account` as its account argument (the model
 * may name the account either way); a string when the two disagree.
 */
function withChosenAccount(
  argument: string,
  args: Record<string, unknown>,
  account: string | undefined,
): Record<string, unknown> | string {
  if (account === undefined) return args;
  if (args[argument] === undefined) return { ...args, [argument]: account };
  if (args[argument] === account) return args;
  return `account "${account}" and argument ${argument} ${JSON.stringify(args[argument])} disagree: pass one`;
}

function searchAnswer(
  query: string,
  hits: readonly SearchHit<Tool>[],
  scope: Exclude<Scope, { refusal: string }>,
): Record<string, unknown> {
  const outside = scope.inSelector ? "" : `, with account "${scope.accountId}"`;
  return {
    query,
    searched: scope.description,
    results: hits.map((hit) => ({
      name: hit.name,
      // A folded tool acts as any of its accounts, named in its (required) account argument.
      ...(hit.accounts ? { accounts: hit.accounts } : { account: hit.account }),
      ...(hit.tool.title ? { title: hit.tool.title } : {}),
      description: hit.tool.description ?? "",
      inputSchema: hit.tool.inputSchema,
    })),
    hint: hits.length
      ? `Call one with janus_call_tool {name, arguments${outside ? ", account" : ""}}${outside}.`
      : `No tool of ${scope.description} matches; try other words (${scope.search.index.size} tools searched).`,
  };
}
