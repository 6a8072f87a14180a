/** One downstream conversation: its own selector (binding mode `session`) and how to reach it. */
import type { Selector } from "../config/types.ts";
import type { CatalogKind } from "../upstream/catalog.ts";

/** The lists a client can be told changed. */
export type ListKind = "tools" | "resources" | "prompts";

/** How the broker tells a session's client that one of its lists changed. */
export interface SessionNotifier {
  listChanged(kind: ListKind): void;
}

/** A downstream session. Created by `Broker.openSession`. */
export class Session {
  /** The session's own selector (binding mode `session` only). */
  choice?: Selector;
  /** A fingerprint of each list as this session was last given it; a change is notified only against it. */
  readonly lastListed = new Map<CatalogKind, string>();

  constructor(readonly id: string, readonly notifier: SessionNotifier) {}
}
