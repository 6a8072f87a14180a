/** The vocabulary of one relayed call: its result, its progress, and who made it. */
import type { LoggingMessageNotification } from "@modelcontextprotocol/client";

/** A relayed JSON-RPC result. */
export type UpstreamResult = Record<string, unknown>;

/** One progress report, as relayed to the client that asked. */
export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/** Asks the client of the call in flight (elicitation, sampling, roots) and returns its answer. */
export type AskClient = (
  request: { method: string; params?: Record<string, unknown> },
) => Promise<UpstreamResult>;

/** Who made a call in flight. */
export interface Caller {
  session: string;
  /** Asks the caller's client (absent when it cannot be asked mid-call). */
  ask?: AskClient;
  /** Delivers a log message the upstream sent during the call. */
  log?: (params: LoggingMessageNotification["params"]) => void;
  /**
   * True while the call's question is with its client and the upstream waits for the answer (a
   * bridged 2026 round the client has not come back to yet, and may never): such a call is
   * blocked on that answer, so a new question is not taken to be its.
   */
  waiting?: () => boolean;
}
