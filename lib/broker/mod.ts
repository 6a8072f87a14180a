/**
 * The routing core: sessions, selectors, route tables, control tools, multi-round-trip state
 * and change notifications. It knows no wire: transports hand it requests with their session
 * and relay what it answers.
 */
export type { BrokerOptions } from "./broker.ts";
export { Broker } from "./broker.ts";
export type { RequestContext } from "./request.ts";
export type { ListKind, SessionNotifier } from "./session.ts";
export { Session } from "./session.ts";
export type { CompletionRef } from "./selector_routes.ts";
export type { AgentReply } from "./agent_ops.ts";
export type { AgentRequest } from "./agent_ops.ts";
export type { CallReply } from "./agent_ops.ts";
export type { SchemaReply } from "./agent_ops.ts";
export type { ToolsReply } from "./agent_ops.ts";
export type { UseReply } from "./agent_ops.ts";
export { describeSelector } from "./selector.ts";
export { parseAgentRequest } from "./agent_ops.ts";
export { runAgentRequest } from "./agent_ops.ts";
export { searchTools } from "./search_actions.ts";
