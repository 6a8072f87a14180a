/**
 * What each account's lists looked like when last fetched. An upstream closed for idleness (or
 * restarted after a crash) may come back with other tools, and nobody told the sessions while it
 * was down: comparing the first lists of the new connection with the last ones of the old tells.
 */
import type { CatalogKind } from "./catalog.ts";
import type { UpstreamHooks } from "./connection.ts";
import type { Era } from "./revisions.ts";

/** The last fetched lists of every account, era and kind, as JSON text (pure bookkeeping). */
export class ListMemory {
  readonly #prints = new Map<string, string>();

  /** Records a list just fetched; true when the one fetched before it differs (sessions must hear). */
  changed(accountId: string, era: Era, kind: CatalogKind, items: readonly unknown[]): boolean {
    const key = `${accountId}\n${era}\n${kind}`;
    const print = JSON.stringify(items);
    const before = this.#prints.get(key);
    this.#prints.set(key, print);
    return before !== undefined && before !== print;
  }

  /**
   * A connection's hooks that keep this memory and tell `events` of list changes: the upstream's
   * own word, and a fetched list that differs from the last one (sessions heard nothing while the
   * upstream was closed, idle or crashed). `era` is the connection's, once it is open.
   */
  hooks(
    accountId: string,
    era: () => Era | undefined,
    events: { listChanged(accountId: string, kinds: CatalogKind[]): void },
  ): Required<Pick<UpstreamHooks, "listChanged" | "listed">> {
    const announce = (kinds: CatalogKind[]) => events.listChanged(accountId, kinds);
    return {
      listChanged: (kinds) => {
        this.forget(accountId, kinds);
        announce(kinds);
      },
      listed: (kind, items) => {
        const connected = era();
        if (connected && this.changed(accountId, connected, kind, items)) announce([kind]);
      },
    };
  }

  /** Forgets an account's lists (all kinds unless given): their change was announced another way. */
  forget(accountId: string, kinds?: readonly CatalogKind[]): void {
    for (const key of [...this.#prints.keys()]) {
      const [id, , kind] = key.split("\n");
      if (id === accountId && (!kinds || kinds.includes(kind as CatalogKind))) this.#prints.delete(key);
    }
  }
}
