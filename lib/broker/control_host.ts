/**
 * What the control tools need from the routing core: a narrow interface the broker implements,
 * so the tools' behaviour (control_actions.ts, login_action.ts) never imports the broker itself.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import type { JanusConfig, Selector } from "../config/mod.ts";
import type { ReferenceSources, UpstreamResult, UpstreamStatus } from "../upstream/mod.ts";
import type { SwitchScope } from "./control_tools.ts";
import type { RequestContext } from "./request.ts";
import type { ResolvedSelector } from "./selector.ts";
import type { Session } from "./session.ts";

/** What the control tools need from the routing core. */
export interface ControlHost {
  readonly config: JanusConfig;
  /** Where the config file is, for messages that tell the user what to change. */
  readonly configPath?: string;
  /** Where references are resolved (and, for remote accounts, how logins are run). */
  readonly sources: ReferenceSources;
  /** The selector a session's next call runs against. */
  resolve(session: Session): ResolvedSelector;
  /** How an account's upstream is doing (never starts it). */
  upstreamState(accountId: string): UpstreamStatus;
  /** An account's own tools, under their upstream names (starts the upstream if needed). */
  accountTools(accountId: string): Promise<Tool[]>;
  /** How many tools a session sees besides the control tools, and how many of them are shared (folded). */
  toolCount(session: Session): Promise<{ tools: number; shared: number }>;
  /** Points a session or everyone at a selector; throws when none of its upstreams can start. */
  select(
    session: Session,
    target: Selector,
    scope: SwitchScope,
  ): Promise<{ failures: string[]; persistWarning?: string }>;
  /** One tool call as another account. */
  callAs(
    session: Session,
    accountId: string,
    tool: string,
    args: Record<string, unknown>,
    context: RequestContext,
  ): Promise<CallToolResult | UpstreamResult>;
}
