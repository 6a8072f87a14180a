/** One downstream conversation: its own selector (binding mode `session`) and how to reach it. */
import type { LoggingLevel, LoggingMessageNotification } from "@modelcontextprotocol/server";
import type { Selector } from "../config/mod.ts";
import type { CatalogKind, Era } from "../upstream/mod.ts";

/** The lists a client can be told changed. */
export type ListKind = "tools" | "resources" | "prompts";

/** How the broker reaches a session's client outside of a request. */
export interface SessionNotifier {
  listChanged(kind: ListKind): void;
  /** An upstream's log message, for clients that keep a logging channel. */
  log?(params: LoggingMessageNotification["params"]): void;
  /** A resource this session subscribed to changed (URI as the session knows it). */
  resourceUpdated?(uri: string): void;
}

/** A downstream session. Created by `Broker.openSession`. */
export class Session {
  /** The session's own selector (binding mode `session` only). */
  choice?: Selector;
  /** A fingerprint of each list as this session was last given it; a change is notified only against it. */
  readonly lastListed = new Map<CatalogKind, string>();
  /** Whether the last tools/list this session was given held every account's tools (none unavailable). */
  toolsComplete = false;
  /** The minimum log level a 2025 client asked for with `logging/setLevel`. */
  logLevel?: LoggingLevel;
  /** Set by the transport once it can reach the client. */
  notifier: SessionNotifier = { listChanged: () => {} };

  /**
   * @param stateless the session stands for many clients that keep no session (2026-07-28 over
   *   HTTP): it can follow the global choice but cannot hold one of its own.
   */
  constructor(readonly id: string, readonly stateless = false, era?: Era) {
    this.era = era ?? (stateless ? "modern" : undefined);
  }

  /** The protocol era its client speaks, once known: upstreams that speak both are spoken to in it. */
  era?: Era;
}
