/**
 * Who follows which upstream resource. The upstream is subscribed once per account + URI however
 * many sessions follow it, and unsubscribed when the last one leaves. A subscriber is recorded
 * before the upstream is asked, so two sessions subscribing at the same moment share one upstream
 * subscription and both hear its updates; the upstream subscribe and unsubscribe of one resource
 * run one at a time, in order, so a quick unsubscribe + subscribe never ends unsubscribed.
 */

/** Undoes one upstream subscription (on the connection that made it). */
export type Unsubscribe = () => Promise<void>;

interface Entry<S> {
  accountId: string;
  uri: string;
  /** Each subscriber and the URI it knows the resource by. */
  subscribers: Map<S, string>;
  /** Set while the upstream is subscribed. */
  undo?: Unsubscribe;
  /** The upstream operations of this resource, in order. */
  chain: Promise<void>;
}

/** Subscriptions by account + upstream URI; `S` identifies a subscriber (a session). */
export class ResourceSubscriptions<S> {
  readonly #entries = new Map<string, Entry<S>>();

  /**
   * Adds a subscriber; the first one subscribes the upstream with `subscribe`. Resolves once the
   * upstream subscription is in place; on failure this subscriber is removed again.
   */
  async add(
    accountId: string,
    uri: string,
    subscriber: S,
    exposed: string,
    subscribe: () => Promise<Unsubscribe>,
  ): Promise<void> {
    const key = keyOf(accountId, uri);
    const entry: Entry<S> = this.#entries.get(key) ??
      { accountId, uri, subscribers: new Map(), chain: Promise.resolve() };
    this.#entries.set(key, entry);
    entry.subscribers.set(subscriber, exposed);
    try {
      await this.#settle(key, entry, subscribe);
    } catch (error) {
      if (entry.subscribers.get(subscriber) === exposed && !entry.undo) entry.subscribers.delete(subscriber);
      if (entry.subscribers.size === 0 && this.#entries.get(key) === entry && !entry.undo) {
        this.#entries.delete(key);
      }
      throw error;
    }
  }

  /** Removes a subscriber; the last one out unsubscribes the upstream. */
  async remove(accountId: string, uri: string, subscriber: S): Promise<void> {
    const key = keyOf(accountId, uri);
    const entry = this.#entries.get(key);
    if (!entry?.subscribers.delete(subscriber)) return;
    await this.#settle(key, entry, () => Promise.reject(new Error("unreachable: no subscriber wants it")));
  }

  /** Removes a subscriber from everything it follows (its session ended); upstream errors are ignored. */
  removeEverywhere(subscriber: S): void {
    for (const entry of this.#entries.values()) {
      if (!entry.subscribers.has(subscriber)) continue;
      void this.remove(entry.accountId, entry.uri, subscriber).catch(() => {});
    }
  }

  /** Whether anything of an account is followed (its upstream is then not closed for idleness). */
  follows(accountId: string): boolean {
    return [...this.#entries.values()].some((entry) =>
      entry.accountId === accountId && entry.subscribers.size > 0
    );
  }

  /** The subscribers of one upstream resource and the URI each knows it by. */
  subscribersOf(accountId: string, uri: string): [S, string][] {
    return [...this.#entries.get(keyOf(accountId, uri))?.subscribers ?? []];
  }

  /** Brings the upstream in line with whether anyone still subscribes, after what is already queued. */
  #settle(key: string, entry: Entry<S>, subscribe: () => Promise<Unsubscribe>): Promise<void> {
    const run = entry.chain.then(async () => {
      const wanted = entry.subscribers.size > 0;
      if (wanted && !entry.undo) {
        entry.undo = await subscribe();
      } else if (!wanted && entry.undo) {
        const undo = entry.undo;
        entry.undo = undefined;
        await undo();
      }
      if (entry.subscribers.size === 0 && !entry.undo && this.#entries.get(key) === entry) {
        this.#entries.delete(key);
      }
    });
    entry.chain = run.catch(() => {});
    return run;
  }
}

function keyOf(accountId: string, uri: string): string {
  return JSON.stringify([accountId, uri]);
}
