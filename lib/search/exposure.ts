/**
 * Which tools a session is shown (pure): every tool (`all`), or the control tools plus the two
 * search tools (`search`). `auto` picks `search` only when the selector exposes more tools than
 * the threshold and the client does not search tools natively.
 */
import { searchesNatively } from "./native_clients.ts";

/** How a selector's tools are exposed, as configured. */
export type Exposure = "all" | "search" | "auto";

/** The threshold above which `auto` switches to `search`. */
export const DEFAULT_SEARCH_THRESHOLD = 40;

/** What decides the exposure of one `tools/list`. */
export interface ExposureInputs {
  /** The configured mode (the profile's override, else the broker's). */
  configured: Exposure;
  /** How many upstream tools the selector exposes (control tools not counted). */
  toolCount: number;
  /** `searchThreshold` from the config. */
  threshold: number;
  /** The client's `clientInfo.name`, when it sent one. */
  clientName?: string;
}

/** The exposure in force: `all` or `search`. */
export function effectiveExposure(inputs: ExposureInputs): "all" | "search" {
  if (inputs.configured !== "auto") return inputs.configured;
  if (inputs.toolCount <= inputs.threshold) return "all";
  return searchesNatively(inputs.clientName) ? "all" : "search";
}
