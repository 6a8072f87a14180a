/**
 * Tool search (pure, local, private): a BM25 index over a list of tools, the choice between
 * listing every tool and listing the search tools, and the clients known to search natively.
 * No I/O and no network: the broker feeds it the tool lists it already caches.
 */
import type { IndexedTool, SearchableTool, ToolIndex } from "./tool_index.ts";

export type { IndexedTool, SearchableTool, SearchHit, SearchOptions, ToolIndex } from "./tool_index.ts";
export type { Exposure, ExposureInputs } from "./exposure.ts";
export { DEFAULT_SEARCH_THRESHOLD, effectiveExposure } from "./exposure.ts";
export { NATIVE_SEARCH_CLIENTS, searchesNatively } from "./native_clients.ts";

/**
 * An index over `entries`. The index code and MiniSearch load on the first search, not with the
 * broker: a serve's first answers never search (issue 13, cold start: ~3 ms of its start).
 */
export async function buildToolIndex<T extends SearchableTool>(
  entries: readonly IndexedTool<T>[],
): Promise<ToolIndex<T>> {
  const { ToolIndex } = await import("./tool_index.ts");
  return new ToolIndex(entries);
}
