/** What the core needs to know about one routed request besides its params. */
import type { LoggingMessageNotification } from "@modelcontextprotocol/server";
import type { AskClient, Progress } from "../upstream/mod.ts";
import type { Session } from "./session.ts";

/** Per-request information from the transport. */
export interface RequestContext {
  /** Aborted when the client cancels the request. */
  signal?: AbortSignal;
  /** Reports progress to the client (only when the client asked for it). */
  onProgress?: (progress: Progress) => void;
  /** The retry channel of a multi-round-trip request (2026-07-28), when the client sent one. */
  retry?: { requestState?: string; inputResponses?: Record<string, unknown> };
  /** Asks this request's client mid-call; only 2025-11-25 clients can be asked. */
  ask?: AskClient;
  /** Log messages the upstream sends while this call runs. */
  onLog?: (params: LoggingMessageNotification["params"]) => void;
  /** `_meta` keys for a 2026 upstream: the client's capabilities and log level. */
  upstreamMeta?: Record<string, unknown>;
  /** Closes this request's SSE stream mid-call (the client resumes it; SEP-1699 polling). */
  closeStream?: () => void;
}

/** One request on its way to an upstream. */
export interface RelayedCall {
  session: Session;
  accountId: string;
  method: string;
  /** What the client called it (tool or prompt name, resource URI): a retry must name the same. */
  target: string;
  /** The params for the upstream (names and URIs already translated back). */
  params: Record<string, unknown>;
}
