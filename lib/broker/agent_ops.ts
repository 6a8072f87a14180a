/**
 * The agent CLI's operations on the routing core: list the tools of a selector's accounts, show
 * one tool, call one tool on one account, set the persisted global selector. Plain JSON in and
 * out, so the CLI runs them in-process or has the daemon run them, with identical results.
 *
 * Tools are named as their own account names them: inside a profile, a name two accounts share
 * is not namespaced or folded (as it is for MCP clients) but ambiguous, and `--account` (or the
 * `janus_account` argument a folded tool takes) picks one.
 */
import type { Tool } from "@modelcontextprotocol/server";
import type { AccountConfig, JanusConfig, Selector } from "../config/mod.ts";
import { JanusError, toJanusError } from "../errors.ts";
import { isRecord } from "../values.ts";
import type { Broker } from "./broker.ts";
import { ACCOUNT_ARGUMENT, declaresAccountArgument, withoutArgument } from "./tool_folding.ts";
import {
  accountsOf,
  describeSelector,
  type ResolvedSelector,
  resolveSelector,
  sameSelector,
} from "./selector.ts";

/** One operation, as the CLI (or the daemon's wire) asks for it. */
export type AgentRequest =
  | { op: "tools"; selector?: string; search?: string }
  | { op: "schema"; tool: string; account?: string }
  | { op: "call"; tool: string; account?: string; arguments: Record<string, unknown> }
  | { op: "use"; selector: string };

/** An account as replies name it. */
export interface AccountSummary {
  id: string;
  service: string;
  label: string;
}

/** `tools`: each account of the selector with its tools, or why they could not be listed. */
export interface ToolsReply {
  op: "tools";
  selector: Selector | null;
  accounts: (AccountSummary & { tools?: Tool[]; error?: { code: string; message: string } })[];
  /** Tools MCP clients see once for several accounts (folded), by their own name; absent when none. */
  folded?: { name: string; accounts: string[] }[];
}

/** `schema`: one tool's full definition and the account that has it. */
export interface SchemaReply {
  op: "schema";
  account: string;
  tool: Tool;
}

/** `call`: the upstream's result, relayed as it is. */
export interface CallReply {
  op: "call";
  account: string;
  tool: string;
  result: Record<string, unknown>;
}

/** `use`: the new persisted global selector. */
export interface UseReply {
  op: "use";
  selector: Selector;
  previous: Selector | null;
  accounts: string[];
  failedAccounts?: string[];
  warning?: string;
}

/** Any reply. */
export type AgentReply = ToolsReply | SchemaReply | CallReply | UseReply;

/** What one operation runs with besides its request. */
export interface AgentContext {
  /** The persisted global selector, read from disk for this request. */
  globalSelector?: Selector;
  /** Aborted when the caller gives up (timeout, SIGINT, a closed connection): the upstream call is cancelled. */
  signal?: AbortSignal;
}

/** Runs one operation. Failures are JanusErrors (a tool's own error is a `call` reply with isError). */
export async function runAgentRequest(
  broker: Broker,
  request: AgentRequest,
  context: AgentContext = {},
): Promise<AgentReply> {
  const config = broker.config;
  switch (request.op) {
    case "tools": {
      const target = resolveTarget(broker, request.selector, context.globalSelector);
      const lists = await Promise.allSettled(target.accounts.map((a) => broker.accountTools(a.id)));
      // With a query, each account keeps only its tools among the best matches (best first).
      const found = request.search === undefined
        ? undefined
        : await searchHits(broker, target, request.search);
      const folded = await foldedTools(broker, target);
      return {
        op: "tools",
        selector: target.selector ?? null,
        ...(folded.length ? { folded } : {}),
        accounts: target.accounts.map((account, i) => {
          const list = lists[i];
          if (list.status === "fulfilled") {
            const tools = found
              ? (found.get(account.id) ?? []).flatMap((name) =>
                list.value.filter((tool) => tool.name === name)
              )
              : list.value;
            return { ...summary(account), tools };
          }
          const error = toJanusError(list.reason);
          return { ...summary(account), error: { code: error.code, message: error.message } };
        }),
      };
    }
    case "schema": {
      const found = await locateTool(broker, request.tool, request.account, context.globalSelector);
      return { op: "schema", account: found.accountId, tool: found.tool };
    }
    case "call": {
      const { account, args } = chosenAccount(config, request.account, request.arguments);
      const found = await locateTool(broker, request.tool, account, context.globalSelector);
      // A tool that declares the argument itself gets it (such a tool is never folded).
      const own = declaresAccountArgument(found.tool);
      return await call(
        broker,
        found.accountId,
        request.tool,
        own ? request.arguments : args,
        context.signal,
      );
    }
    case "use": {
      const target = selectorNamed(config, request.selector);
      if (config.bindingMode === "locked") {
        throw new JanusError(
          "selector",
          `bindingMode is "locked": switching is refused; change "bindingMode" in ${
            configName(broker)
          } first`,
        );
      }
      const previous = resolveSelector(config, { global: context.globalSelector }).selector ?? null;
      const session = broker.openSession(`cli-${crypto.randomUUID()}`);
      try {
        const outcome = await broker.select(session, target, "global");
        return {
          op: "use",
          selector: target,
          previous,
          accounts: (accountsOf(config, target) ?? []).map((a) => a.id),
          ...(outcome.failures.length ? { failedAccounts: outcome.failures } : {}),
          ...(outcome.persistWarning ? { warning: outcome.persistWarning } : {}),
        };
      } finally {
        broker.closeSession(session);
      }
    }
  }
}

async function call(
  broker: Broker,
  accountId: string,
  tool: string,
  args: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<CallReply> {
  // A one-shot session: it never holds a choice, so the persisted global selector is untouched.
  const session = broker.openSession(`cli-${crypto.randomUUID()}`);
  let asked: string | undefined;
  const needsInput = () =>
    new JanusError(
      "input_required",
      `tool "${tool}" on account "${accountId}" needs input the command line cannot give (${asked}); call it from an MCP client`,
    );
  try {
    const result = await broker.callAs(session, accountId, tool, args, {
      signal,
      // A 2025 upstream asking mid-call (elicitation, sampling, roots): nobody here can answer.
      ask: (request) => {
        const message = request.params?.message;
        asked = typeof message === "string" ? `${request.method}: ${message}` : request.method;
        return Promise.reject(new Error("the JanusMCP command line cannot answer requests mid-call"));
      },
    }).catch((error) => {
      // The upstream failed because its question went unanswered: that is the real reason.
      throw asked === undefined ? error : needsInput();
    });
    if (result.resultType === "input_required") asked = describeInputRequests(result.inputRequests);
    if (asked !== undefined && !signal?.aborted) throw needsInput();
    return { op: "call", account: accountId, tool, result };
  } finally {
    broker.closeSession(session);
  }
}

/**
 * The account a call names: `--account`, or the `janus_account` argument an MCP client would
 * pass to a folded tool (and the arguments without it). Both, disagreeing, is a usage error. A
 * value that is no account id is left alone: it is a tool's own argument of that name.
 */
function chosenAccount(
  config: JanusConfig,
  account: string | undefined,
  args: Record<string, unknown>,
): { account: string | undefined; args: Record<string, unknown> } {
  const named = args[ACCOUNT_ARGUMENT];
  if (typeof named !== "string" || !config.accounts.some((a) => a.id === named)) return { account, args };
  if (account !== undefined && account !== named) {
    throw new JanusError(
      "usage",
      `--account ${account} and argument ${ACCOUNT_ARGUMENT} "${named}" disagree; pass one of them`,
    );
  }
  return { account: named, args: withoutArgument(args, ACCOUNT_ARGUMENT) ?? {} };
}

/** Finds the one account (of `--account`, else of the selector) that has the tool. */
async function locateTool(
  broker: Broker,
  name: string,
  accountId: string | undefined,
  globalSelector: Selector | undefined,
): Promise<{ accountId: string; tool: Tool }> {
  const target = accountId === undefined
    ? resolveTarget(broker, undefined, globalSelector)
    : resolveTarget(broker, accountId, globalSelector, "account");
  const lists = await Promise.allSettled(target.accounts.map((a) => broker.accountTools(a.id)));
  const matches: { accountId: string; tool: Tool }[] = [];
  const failures: unknown[] = [];
  target.accounts.forEach((account, i) => {
    const list = lists[i];
    if (list.status === "rejected") failures.push(list.reason);
    else {
      const tool = list.value.find((t) => t.name === name);
      if (tool) matches.push({ accountId: account.id, tool });
    }
  });
  if (matches.length === 1) return matches[0];
  const where = describeSelector(target.selector);
  if (matches.length > 1) {
    const candidates = matches.map((m) => m.accountId);
    throw new JanusError(
      "ambiguous_tool",
      `tool "${name}" is offered by ${candidates.length} accounts of ${where}: ${
        candidates.join(", ")
      }; pass --account with one of them`,
    );
  }
  // An account that could not start may be the one with the tool: its failure is the answer.
  if (failures.length > 0) throw toJanusError(failures[0]);
  throw new JanusError("selector", `no tool "${name}" on ${where}; run "janusmcp tools" to list them`);
}

/** The tools a selector lists once for several accounts, by their accounts' own name. */
async function foldedTools(
  broker: Broker,
  target: ResolvedSelector,
): Promise<{ name: string; accounts: string[] }[]> {
  if (target.accounts.length < 2) return [];
  const { routes } = await broker.toolSearch(target);
  return [...routes.values()].flatMap((route) =>
    route.folded ? [{ name: route.upstream, accounts: [...route.folded.accounts] }] : []
  );
}

/** The upstream tool names of the best matches for a query, by account, best first. */
async function searchHits(
  broker: Broker,
  target: ResolvedSelector,
  query: string,
): Promise<Map<string, string[]>> {
  const search = await broker.toolSearch(target);
  const byAccount = new Map<string, string[]>();
  for (const hit of search.index.search(query, { limit: 10 })) {
    const upstream = search.routes.get(hit.name)?.upstream ?? hit.name;
    // A folded tool is each of its accounts' own tool.
    for (const account of hit.accounts ?? [hit.account]) {
      byAccount.set(account, [...byAccount.get(account) ?? [], upstream]);
    }
  }
  return byAccount;
}

/** The selector an operation runs against: a named one, else the persisted global (else the default). */
function resolveTarget(
  broker: Broker,
  name: string | undefined,
  globalSelector: Selector | undefined,
  only?: "account",
): ResolvedSelector {
  const config = broker.config;
  const current = resolveSelector(config, { global: globalSelector });
  if (name === undefined) {
    if (current.accounts.length === 0) {
      throw new JanusError("selector", `no accounts are configured; add some to ${configName(broker)}`);
    }
    return current;
  }
  const selector = only === "account" ? accountNamed(config, name) : selectorNamed(config, name);
  // Locked: only what the session would use anyway (the default account) may be reached.
  const allowed = config.bindingMode !== "locked" || sameSelector(selector, current.selector) ||
    (selector.kind === "account" && current.accounts.some((a) => a.id === selector.id));
  if (!allowed) {
    throw new JanusError(
      "selector",
      `bindingMode is "locked": only ${
        describeSelector(current.selector)
      } may be used; change "bindingMode" in ${configName(broker)} to reach ${describeSelector(selector)}`,
    );
  }
  return { selector, accounts: accountsOf(config, selector) ?? [], source: "override" };
}

/** An account id or a profile name (they share one namespace). */
function selectorNamed(config: JanusConfig, name: string): Selector {
  if (config.accounts.some((a) => a.id === name)) return { kind: "account", id: name };
  if (Object.hasOwn(config.profiles, name)) return { kind: "profile", name };
  throw new JanusError("selector", `no account or profile named "${name}" (${known(config)})`);
}

function accountNamed(config: JanusConfig, id: string): Selector {
  if (config.accounts.some((a) => a.id === id)) return { kind: "account", id };
  throw new JanusError("selector", `no account "${id}" (${known(config)})`);
}

function known(config: JanusConfig): string {
  const accounts = config.accounts.map((a) => a.id).join(", ") || "none";
  const profiles = Object.keys(config.profiles).join(", ") || "none";
  return `accounts: ${accounts}; profiles: ${profiles}`;
}

function summary(account: AccountConfig): AccountSummary {
  return { id: account.id, service: account.service, label: account.label };
}

function configName(broker: Broker): string {
  return broker.configPath ?? "the config file";
}

/** The questions of a 2026 `input_required` result, in one line. */
function describeInputRequests(requests: unknown): string {
  if (!isRecord(requests)) return "input_required";
  const questions = Object.entries(requests).map(([key, request]) => {
    const params = isRecord(request) && isRecord(request.params) ? request.params : {};
    return typeof params.message === "string" ? `${key}: ${params.message}` : key;
  });
  return questions.length ? questions.join("; ") : "input_required";
}

/** Checks a request that arrived over the wire (the daemon's API); throws a usage JanusError. */
export function parseAgentRequest(value: unknown): AgentRequest {
  const bad = (what: string) => new JanusError("usage", `bad agent request: ${what}`);
  if (!isRecord(value)) throw bad("expected a JSON object");
  const optional = (key: string): string | undefined => value[key] === undefined ? undefined : required(key);
  const required = (key: string): string => {
    const field = value[key];
    if (typeof field !== "string" || field === "") throw bad(`"${key}" must be a non-empty string`);
    return field;
  };
  switch (value.op) {
    case "tools":
      return { op: "tools", selector: optional("selector"), search: optional("search") };
    case "schema":
      return { op: "schema", tool: required("tool"), account: optional("account") };
    case "call": {
      if (!isRecord(value.arguments)) throw bad(`"arguments" must be a JSON object`);
      return {
        op: "call",
        tool: required("tool"),
        account: optional("account"),
        arguments: value.arguments,
      };
    }
    case "use":
      return { op: "use", selector: required("selector") };
  }
  throw bad(`"op" must be tools, schema, call or use`);
}
