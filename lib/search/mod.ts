/**
 * Tool search (pure, local, private): a BM25 index over a list of tools, the choice between
 * listing every tool and listing the search tools, and the clients known to search natively.
 * No I/O and no network: the broker feeds it the tool lists it already caches.
 */
export type { IndexedTool, SearchableTool, SearchHit, SearchOptions } from "./tool_index.ts";
export { DEFAULT_LIMIT, ToolIndex } from "./tool_index.ts";
export type { Exposure, ExposureInputs } from "./exposure.ts";
export { DEFAULT_SEARCH_THRESHOLD, effectiveExposure } from "./exposure.ts";
export { NATIVE_SEARCH_CLIENTS, searchesNatively } from "./native_clients.ts";
