/**
 * The tools the broker answers itself, and what `tools/list` shows: the control tools, then
 * either the selector's tools (`all`) or the two search tools (`search`), as the exposure
 * mode, the selector's size and the client decide.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import type { JanusConfig } from "../config/mod.ts";
import { effectiveExposure } from "../search/mod.ts";
import type { UpstreamResult } from "../upstream/mod.ts";
import { runControlAction } from "./control_actions.ts";
import type { ControlHost } from "./control_host.ts";
import { CONTROL_TOOL_NAMES, CONTROL_TOOLS, parseControlCall } from "./control_tools.ts";
import type { RequestContext } from "./request.ts";
import { runSearchAction, type SearchHost } from "./search_actions.ts";
import { parseSearchCall, RESERVED_TOOL_NAMES, SEARCH_TOOLS } from "./search_tools.ts";
import type { ResolvedSelector } from "./selector.ts";
import type { Session } from "./session.ts";
import { toolError } from "./tool_results.ts";
import { declaresAccountArgument, foldLegend, selectorFolds } from "./tool_folding.ts";
import type { SessionView } from "./list_changes.ts";

/** Every tool the broker answers itself, whether listed or not. */
export const OWN_TOOLS: readonly Tool[] = [...CONTROL_TOOLS, ...SEARCH_TOOLS];

/** Whether a tool name is one the broker answers itself. */
export function isOwnTool(name: string): boolean {
  return RESERVED_TOOL_NAMES.has(name);
}

/** Which exposure is in force for a selector showing `toolCount` tools to a client. */
export function exposureFor(
  config: JanusConfig,
  resolved: ResolvedSelector,
  toolCount: number,
  clientName: string | undefined,
): "all" | "search" {
  const selector = resolved.selector;
  const configured = (selector?.kind === "profile" ? config.profileExposure[selector.name] : undefined) ??
    config.exposure;
  return effectiveExposure({ configured, toolCount, threshold: config.searchThreshold, clientName });
}

/**
 * What a selector's lists are made of: its accounts, and what shapes their lists besides the
 * upstreams — labels, folding, exposure settings. A reload that changes any of these changes
 * what a session is shown, even when no account was redefined.
 */
export function sessionView(config: JanusConfig, resolved: ResolvedSelector): SessionView {
  const selector = resolved.selector;
  const exposure = (selector?.kind === "profile" ? config.profileExposure[selector.name] : undefined) ??
    config.exposure;
  const shape = [
    resolved.accounts.map((a) => a.label),
    selectorFolds(config, resolved),
    exposure,
    config.searchThreshold,
  ];
  return { accounts: resolved.accounts.map((a) => a.id), shape: JSON.stringify(shape) };
}

/** `tools/list` for a selector whose tools are `items`. */
export function listedTools(
  config: JanusConfig,
  resolved: ResolvedSelector,
  items: readonly Tool[],
  clientName: string | undefined,
): Tool[] {
  const controls = controlTools(config, resolved, items);
  return exposureFor(config, resolved, items.length, clientName) === "search"
    ? [...controls, ...SEARCH_TOOLS]
    : [...controls, ...items];
}

/**
 * The control tools as a selector lists them: when its identical tools are folded, `janus_whoami`
 * also says which account each `janus_account` value is (once for the whole list).
 */
function controlTools(
  config: JanusConfig,
  resolved: ResolvedSelector,
  items: readonly Tool[],
): readonly Tool[] {
  if (!selectorFolds(config, resolved) || !items.some(declaresAccountArgument)) return CONTROL_TOOLS;
  const legend = foldLegend(resolved.accounts);
  if (!legend) return CONTROL_TOOLS;
  return CONTROL_TOOLS.map((tool) =>
    tool.name === "janus_whoami" ? { ...tool, description: `${tool.description} ${legend}` } : tool
  );
}

/**
 * Runs a call of one of the broker's own tools. The search tools answer in every exposure mode:
 * a client that listed before the mode changed (a switch across the threshold) is not stranded.
 */
export async function runOwnTool(
  host: ControlHost & SearchHost,
  session: Session,
  params: { name: string; arguments?: Record<string, unknown>; _meta?: unknown },
  context: RequestContext,
): Promise<CallToolResult | UpstreamResult> {
  if (CONTROL_TOOL_NAMES.has(params.name)) {
    const parsed = parseControlCall(params.name, params.arguments);
    return parsed.ok
      ? await runControlAction(host, session, parsed.action, context)
      : toolError(parsed.problem);
  }
  const parsed = parseSearchCall(params.name, params.arguments);
  return parsed.ok
    ? await runSearchAction(host, session, parsed.action, context, params._meta)
    : toolError(parsed.problem);
}
