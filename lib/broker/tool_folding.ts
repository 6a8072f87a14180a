/**
 * Folding (pure): inside a profile, a tool that several accounts list with exactly the same
 * definition is listed once, with one added required argument naming the account it acts as.
 * Five GitHub accounts then cost one GitHub tool list plus a short enum per tool, instead of
 * five lists. A call names its account in that argument; the argument is taken out before the
 * call is forwarded, so the upstream sees exactly the arguments it defined.
 *
 * Only tools whose whole definitions are equal fold (name, schemas, description, annotations…):
 * the one definition listed is then true of every account. Anything that differs stays apart
 * and is routed as before (routes.ts: the first account keeps the name, later ones are namespaced).
 */
import type { Tool } from "@modelcontextprotocol/server";
import type { JanusConfig } from "../config/mod.ts";
import { canonicalJson, isRecord } from "../values.ts";
import { type AccountItems, type Route, routeByName, type RouteTable } from "./routes.ts";
import type { ResolvedSelector } from "./selector.ts";

/** The argument a folded tool takes to name its account; `janus_` keeps it clear of upstream names. */
export const ACCOUNT_ARGUMENT = "janus_account";

/** What a folded tool's account argument says about each account. */
export interface FoldAccount {
  id: string;
  label: string;
}

/** Where a folded tool's call goes, with the arguments the upstream sees; or why it cannot go. */
export type FoldedCall =
  | { ok: true; accountId: string; arguments: Record<string, unknown> | undefined }
  | { ok: false; problem: string };

/**
 * Schema keywords beside `properties` that could refuse or reinterpret an added property (a
 * branch's `additionalProperties: false`, a `propertyNames` pattern, a property count limit):
 * a schema using one at its top is not folded, since the added argument might break it.
 */
const UNSAFE_KEYWORDS = [
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "$ref",
  "$dynamicRef",
  "propertyNames",
  "maxProperties",
  "patternProperties",
  "dependentSchemas",
];

/** Whether a selector folds: every profile does, unless it says `fold: false`. */
export function selectorFolds(config: Pick<JanusConfig, "profileFold">, resolved: ResolvedSelector): boolean {
  const selector = resolved.selector;
  return selector?.kind === "profile" && config.profileFold[selector.name] !== false;
}

/** Whether a tool's input schema names the account argument itself. */
export function declaresAccountArgument(tool: Tool | undefined): boolean {
  const properties: unknown = tool?.inputSchema.properties;
  return isRecord(properties) && Object.hasOwn(properties, ACCOUNT_ARGUMENT);
}

/** Whether a tool's input schema can take the account argument without changing its meaning. */
export function canFold(tool: Tool): boolean {
  const schema: unknown = tool.inputSchema;
  if (!isRecord(schema) || schema.type !== "object") return false;
  if (UNSAFE_KEYWORDS.some((keyword) => keyword in schema)) return false;
  if (schema.properties !== undefined && !isRecord(schema.properties)) return false;
  if (schema.required !== undefined && !Array.isArray(schema.required)) return false;
  return !declaresAccountArgument(tool);
}

/**
 * The merged tool table of a profile with identical tools folded; `reserved` names are never
 * reused.
 * Deterministic: items keep the order of accounts and of each account's list, a folded tool
 * sitting where its first account lists it.
 */
export function foldedToolTable(
  catalogs: readonly AccountItems<Tool>[],
  reserved: ReadonlySet<string> = new Set(),
): RouteTable<Tool> {
  const groups = foldGroups(catalogs);
  if (groups.size === 0) return routeByName(catalogs, reserved);
  // The folded tool replaces its first account's copy; the other members' copies are dropped.
  const pruned = catalogs.map(({ accountId, items }) => ({
    accountId,
    items: items.flatMap((tool): Tool[] => {
      const members = groups.get(memberKey(accountId, tool.name));
      if (!members) return [tool];
      return members[0] === accountId ? [withAccountArgument(tool, members)] : [];
    }),
  }));
  const table = routeByName(pruned, reserved);
  const routes = new Map<string, Route>();
  for (const [exposed, route] of table.routes) {
    const members = groups.get(memberKey(route.accountId, route.upstream));
    routes.set(
      exposed,
      members ? { ...route, folded: { argument: ACCOUNT_ARGUMENT, accounts: members } } : route,
    );
  }
  return { items: table.items, routes };
}

/**
 * What a call to a tool that is not folded (any more) needs to be checked against: the
 * selector's accounts, and whether the tool declares the account argument itself.
 */
export interface UnfoldedContext {
  accounts: readonly string[];
  declares: boolean;
}

/**
 * The account and upstream arguments of a call. A folded tool's call goes to the account it
 * names. In a folding selector, a call of an unfolded tool may still carry the argument (listed
 * while its tool was folded, before one account's copy went away or changed): it is taken out
 * when it names the tool's own account, and refused when it names another, which must never be
 * acted as by mistake. A tool that declares the argument itself gets it as sent.
 */
export function foldedCall(
  name: string,
  route: Route,
  args: Record<string, unknown> | undefined,
  unfolded?: UnfoldedContext,
): FoldedCall {
  const folded = route.folded;
  if (!folded) {
    const named = args?.[ACCOUNT_ARGUMENT];
    if (!unfolded || unfolded.declares || typeof named !== "string" || !unfolded.accounts.includes(named)) {
      return { ok: true, accountId: route.accountId, arguments: args };
    }
    if (named !== route.accountId) {
      return {
        ok: false,
        problem:
          `tool "${name}" now acts as account ${route.accountId} only (${named}'s copy is unavailable or differs); list tools again`,
      };
    }
    return { ok: true, accountId: route.accountId, arguments: withoutArgument(args, ACCOUNT_ARGUMENT) };
  }
  const chosen = args?.[folded.argument];
  const choices = folded.accounts.join(", ");
  if (typeof chosen !== "string" || !folded.accounts.includes(chosen)) {
    const got = chosen === undefined ? "it is missing" : `got ${JSON.stringify(chosen)}`;
    return {
      ok: false,
      problem:
        `tool "${name}" acts as one of several accounts: pass "${folded.argument}" with one of ${choices} (${got})`,
    };
  }
  return { ok: true, accountId: chosen, arguments: withoutArgument(args, folded.argument) };
}

/** Arguments without one key (a copy; the caller's object is left alone). */
export function withoutArgument(
  args: Record<string, unknown> | undefined,
  key: string,
): Record<string, unknown> | undefined {
  if (!args || !Object.hasOwn(args, key)) return args;
  const { [key]: _removed, ...rest } = args;
  return rest;
}

/**
 * The fold groups: two or more accounts (in selector order) listing one tool definition, keyed
 * by `memberKey(account, name)` for every member. An account's tool has one definition, so it
 * is in at most one group; a name an account lists twice is left to routes.ts.
 */
function foldGroups(catalogs: readonly AccountItems<Tool>[]): Map<string, string[]> {
  const byDefinition = new Map<string, { name: string; members: string[] }>();
  for (const { accountId, items } of catalogs) {
    const counts = new Map<string, number>();
    for (const tool of items) counts.set(tool.name, (counts.get(tool.name) ?? 0) + 1);
    for (const tool of items) {
      if (counts.get(tool.name) !== 1 || !canFold(tool)) continue;
      const key = canonicalJson(tool);
      const group = byDefinition.get(key) ?? { name: tool.name, members: [] };
      group.members.push(accountId);
      byDefinition.set(key, group);
    }
  }
  const groups = new Map<string, string[]>();
  for (const { name, members } of byDefinition.values()) {
    if (members.length < 2) continue;
    for (const accountId of members) groups.set(memberKey(accountId, name), members);
  }
  return groups;
}

function memberKey(accountId: string, name: string): string {
  return `${accountId}\n${name}`;
}

/**
 * The tool with the required account argument added first (the model picks the account first).
 * The argument is the accounts' ids alone: their labels are described once per list, in
 * `janus_whoami` (`foldLegend`), not in every folded tool — five long labels repeated in each
 * tool would cost more than the folding saves.
 */
function withAccountArgument(tool: Tool, members: readonly string[]): Tool {
  const schema = tool.inputSchema;
  const required = Array.isArray(schema.required) ? schema.required : [];
  return {
    ...tool,
    inputSchema: {
      ...schema,
      properties: { [ACCOUNT_ARGUMENT]: { type: "string", enum: [...members] }, ...schema.properties },
      required: [ACCOUNT_ARGUMENT, ...required.filter((key) => key !== ACCOUNT_ARGUMENT)],
    },
  };
}

/**
 * The sentence that tells which account each `janus_account` value is, or undefined when every
 * label is just its id (the enum then says all there is).
 */
export function foldLegend(accounts: readonly FoldAccount[]): string | undefined {
  if (accounts.every((account) => account.label === account.id)) return undefined;
  const named = accounts.map((account) => `${account.id} = ${account.label}`).join("; ");
  return `Tools that take "${ACCOUNT_ARGUMENT}" act as the account it names: ${named}.`;
}
