/**
 * Telling sessions their lists changed, and only those whose lists did: each session keeps a
 * fingerprint of every list as it was last given it, and a change is announced against that.
 */
import type { CatalogKind } from "../upstream/mod.ts";
import type { ListKind, Session } from "./session.ts";

/** Which notification a catalog kind's change is announced with. */
const LIST_KIND_OF: Record<CatalogKind, ListKind> = {
  tools: "tools",
  resources: "resources",
  resourceTemplates: "resources",
  prompts: "prompts",
};

/** Remembers what a session was just given. */
export function rememberListed(session: Session, kind: CatalogKind, items: readonly unknown[]): void {
  session.lastListed.set(kind, JSON.stringify(items));
}

/** Tells each session whose lists now differ from what it was last given (`current` lists them now). */
export async function announceChanges(
  sessions: readonly Session[],
  kinds: readonly CatalogKind[],
  current: (session: Session, kind: CatalogKind) => Promise<readonly unknown[]>,
): Promise<void> {
  await Promise.all(sessions.map(async (session) => {
    const changed = new Set<ListKind>();
    for (const kind of kinds) {
      const before = session.lastListed.get(kind);
      if (before === undefined) continue; // never listed: nothing stale to replace
      if (JSON.stringify(await current(session, kind)) !== before) changed.add(LIST_KIND_OF[kind]);
    }
    for (const kind of changed) session.notifier.listChanged(kind);
  }));
}

/** Tells sessions, without a comparison, that these lists changed (an upstream said so, or the config did). */
export function announceAll(sessions: Iterable<Session>, kinds: Iterable<CatalogKind>): void {
  const changed = new Set([...kinds].map((kind) => LIST_KIND_OF[kind]));
  for (const session of sessions) {
    for (const kind of changed) session.notifier.listChanged(kind);
  }
}

/** What a session's lists are made of: its accounts, and the config that shapes them (own_tools.ts `listShape`). */
export interface SessionView {
  accounts: readonly string[];
  shape: string;
}

/**
 * After a config reload: every session whose view changed (another selection, other labels,
 * folding or exposure settings, or an account of it redefined or removed) is told all of its
 * lists changed.
 */
export function announceReload(
  before: ReadonlyMap<Session, SessionView>,
  viewNow: (session: Session) => SessionView,
  touched: readonly string[],
): void {
  for (const [session, previous] of before) {
    const now = viewNow(session);
    const affected = previous.accounts.join("\n") !== now.accounts.join("\n") ||
      previous.shape !== now.shape ||
      now.accounts.some((id) => touched.includes(id));
    if (affected) announceAll([session], session.lastListed.keys());
  }
}
