/**
 * The upstream layer: one live MCP client connection per account (a child process over stdio,
 * or a remote Streamable HTTP / SSE server), started lazily, shared by concurrent callers, with
 * its lists cached. The broker uses the pool; nothing else reaches a connection directly.
 */
export type { CatalogItems, CatalogKind } from "./catalog.ts";
export type { AskClient, Caller, Progress, UpstreamResult } from "./call_types.ts";
export type { RelayOptions, UpstreamConnection } from "./connection.ts";
export type { ReferenceSources, RemoteSupport, ResolvedSecret } from "./launch.ts";
export type { PoolEvents, UpstreamState, UpstreamStatus } from "./pool.ts";
export { UpstreamPool } from "./pool.ts";
export type { RevisionMemory } from "./revision_memory.ts";
export { FileRevisionMemory, InMemoryRevisions, revisionsFilePath } from "./revision_memory.ts";
export type { Era } from "./revisions.ts";
export { resolveLaunch } from "./launch.ts";
export type { UpstreamSettings } from "./settings.ts";
export { ProcessGroup } from "../process_group.ts";
export { shortSecretWarnings } from "./secret_checks.ts";
