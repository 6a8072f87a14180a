/**
 * The MCP clients known to search tools themselves (they defer loading schemas and look tools
 * up on demand), by the `clientInfo.name` they announce. For them `exposure: "auto"` keeps
 * every tool listed: a second search layer would only add a hop. This is data: add a name
 * here (and to the README's list) when a client gains native tool search.
 */
export const NATIVE_SEARCH_CLIENTS: readonly string[] = [
  // Claude Code loads MCP tools on demand through its own tool search.
  "claude-code",
];

/** Compares client names without regard to case, spaces, `_` or `-` ("Claude Code" = "claude-code"). */
export function normalClientName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, "-");
}

const NATIVE = new Set(NATIVE_SEARCH_CLIENTS.map(normalClientName));

/** Whether a client, by its announced name, searches tools natively. */
export function searchesNatively(clientName: string | undefined): boolean {
  return clientName !== undefined && NATIVE.has(normalClientName(clientName));
}
