/**
 * What the `janus_*` control tools do, in words a model can act on: the refusals (locked mode,
 * unknown names, a scope the binding mode or client cannot have) and the JSON it reads back.
 * The state changes themselves are the core's (`select`, `callAs`), reached through the narrow
 * `ControlHost` interface the broker implements, so this module never imports the broker.
 */
import { ACCOUNT_ARGUMENT } from "./tool_folding.ts";
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { AccountConfig, Selector } from "../config/mod.ts";
import { messageOf } from "../errors.ts";
import type { UpstreamResult } from "../upstream/mod.ts";
import { CONTROL_TOOLS, type ControlAction, type SwitchScope } from "./control_tools.ts";
import type { ControlHost } from "./control_host.ts";
import type { RequestContext } from "./request.ts";
import { accountsOf, describeSelector, sameSelector, type SelectorSource } from "./selector.ts";
import type { Session } from "./session.ts";
import { jsonResult, toolError } from "./tool_results.ts";
import { runLoginAction, withLoginStatus } from "./login_action.ts";

const BECAUSE: Record<SelectorSource, string> = {
  override: "a one-shot override",
  session: "this conversation switched to it",
  global: "it is the current global choice",
  default: "it is the configured defaultAccount",
  first: "it is the first configured account (no defaultAccount is set)",
  none: "no accounts are configured",
};

/** Runs one parsed control-tool call. */
export async function runControlAction(
  broker: ControlHost,
  session: Session,
  action: ControlAction,
  context: RequestContext,
): Promise<CallToolResult | UpstreamResult> {
  switch (action.kind) {
    case "list_accounts":
      return jsonResult(await withLoginStatus(broker, listAccounts(broker, session)));
    case "whoami":
      return jsonResult(await withLoginStatus(broker, whoami(broker, session)));
    case "use_account":
      return await use(broker, session, { kind: "account", id: action.accountId }, action.scope);
    case "use_profile":
      return await use(broker, session, { kind: "profile", name: action.profile }, action.scope);
    case "with_account":
      return await withAccount(broker, session, action.accountId, action.tool, action.arguments, context);
    case "login":
      return await runLoginAction(broker, action.accountId, context);
  }
}

function listAccounts(broker: ControlHost, session: Session): Record<string, unknown> {
  const { config } = broker;
  const resolved = broker.resolve(session);
  const activeIds = new Set(resolved.accounts.map((a) => a.id));
  return {
    bindingMode: config.bindingMode,
    active: resolved.selector ?? null,
    accounts: config.accounts.map((account) => ({
      ...describeAccount(account),
      active: activeIds.has(account.id),
      upstream: broker.upstreamState(account.id),
    })),
    profiles: Object.entries(config.profiles).map(([name, accounts]) => ({
      name,
      accounts,
      active: sameSelector(resolved.selector, { kind: "profile", name }),
      exposure: config.profileExposure[name] ?? config.exposure,
    })),
    ...(config.accounts.length === 0
      ? { hint: `No accounts are configured. Add some to ${broker.configPath ?? "config.json"}.` }
      : {}),
  };
}

function whoami(broker: ControlHost, session: Session): Record<string, unknown> {
  const resolved = broker.resolve(session);
  return {
    selector: resolved.selector ?? null,
    because: BECAUSE[resolved.source],
    bindingMode: broker.config.bindingMode,
    accounts: resolved.accounts.map((account) => ({
      ...describeAccount(account),
      upstream: broker.upstreamState(account.id),
    })),
  };
}

async function use(
  broker: ControlHost,
  session: Session,
  target: Selector,
  requested: SwitchScope | undefined,
): Promise<CallToolResult> {
  const mode = broker.config.bindingMode;
  const current = broker.resolve(session);
  if (mode === "locked") {
    return toolError(
      `bindingMode is "locked": switching is refused and this conversation stays on ${
        describeSelector(current.selector)
      }; ask the user to change "bindingMode" in ${configName(broker)} if another account is needed`,
    );
  }
  const accounts = accountsOf(broker.config, target);
  if (!accounts) return toolError(unknownMessage(broker, target));
  if (mode === "global" && requested === "session") {
    return toolError(
      `bindingMode is "global", so a switch applies to every conversation; call again without scope (or with scope "global"), or set "bindingMode": "session" in ${
        configName(broker)
      } to switch per conversation`,
    );
  }
  const scope: SwitchScope = requested ?? (mode === "session" ? "session" : "global");
  if (scope === "session" && session.stateless) {
    return toolError(
      `this client keeps no session (protocol 2026-07-28 over HTTP), so it cannot switch just for itself; call janus_with_account for one call as ${
        describeSelector(target)
      }, or switch with scope "global" (every conversation)`,
    );
  }
  let outcome: Awaited<ReturnType<ControlHost["select"]>>;
  try {
    outcome = await broker.select(session, target, scope);
  } catch (error) {
    return toolError(
      `could not switch to ${describeSelector(target)}: ${messageOf(error)}. Still using ${
        describeSelector(current.selector)
      }.`,
    );
  }
  // The count the client will see in its list: the account's tools and the janus_* ones.
  const { tools, shared } = await broker.toolCount(session);
  // Folded tools need their account named on every call: say so once, where the model reads it.
  const sharedNote = shared
    ? ` ${shared} of them are shared by several accounts: name the account in their "${ACCOUNT_ARGUMENT}" argument.`
    : "";
  return jsonResult({
    ok: true,
    message: `Now using ${describeSelector(target)} (${
      scope === "session" ? "this conversation" : "every conversation"
    }); ${tools + CONTROL_TOOLS.length} tools.${sharedNote}`,
    selector: target,
    scope,
    previous: current.selector ?? null,
    accounts: accounts.map(describeAccount),
    ...(outcome.failures.length ? { failedAccounts: outcome.failures } : {}),
    ...(outcome.persistWarning ? { warning: outcome.persistWarning } : {}),
  });
}

async function withAccount(
  broker: ControlHost,
  session: Session,
  accountId: string,
  tool: string | undefined,
  args: Record<string, unknown>,
  context: RequestContext,
): Promise<CallToolResult | UpstreamResult> {
  if (broker.config.bindingMode === "locked") {
    return toolError(
      `bindingMode is "locked": calls as another account are refused; ask the user to change "bindingMode" in ${
        configName(broker)
      } if another account is needed`,
    );
  }
  const target: Selector = { kind: "account", id: accountId };
  const accounts = accountsOf(broker.config, target);
  if (!accounts) return toolError(unknownMessage(broker, target));
  let tools;
  try {
    tools = await broker.accountTools(accountId);
  } catch (error) {
    return toolError(messageOf(error));
  }
  if (!tool) {
    return jsonResult({
      account: describeAccount(accounts[0]),
      tools: tools.map(({ name, title, description, inputSchema }) => ({
        name,
        title,
        description,
        inputSchema,
      })),
    });
  }
  if (!tools.some((t) => t.name === tool)) {
    return toolError(
      `account "${accountId}" has no tool "${tool}"; call janus_with_account with only account_id to list its tools`,
    );
  }
  return await broker.callAs(session, accountId, tool, args, context);
}

function unknownMessage(broker: ControlHost, target: Selector): string {
  if (target.kind === "account") {
    const known = broker.config.accounts.map((a) => a.id).join(", ") || "none configured";
    return `unknown account "${target.id}" (known: ${known}); call janus_list_accounts to see them`;
  }
  const known = Object.keys(broker.config.profiles).join(", ") || "none configured";
  return `unknown profile "${target.name}" (known: ${known}); call janus_list_accounts to see them`;
}

function configName(broker: ControlHost): string {
  return broker.configPath ?? "the config file";
}

function describeAccount(account: AccountConfig): Record<string, unknown> {
  return { id: account.id, service: account.service, label: account.label, transport: account.transport };
}
