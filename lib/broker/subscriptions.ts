/**
 * Resource subscriptions: each upstream resource is subscribed once, whatever the number of
 * sessions following it, and its updates fan out to each of them under the URI it knows.
 */
import type { Session } from "./session.ts";

/** What the subscriptions need from the upstreams. */
export interface SubscriptionUpstreams {
  subscribe(accountId: string, uri: string): Promise<void>;
  /** Best effort: the upstream may be gone already. */
  unsubscribe(accountId: string, uri: string): Promise<void>;
}

interface Followers {
  accountId: string;
  upstreamUri: string;
  /** Each following session and the URI it subscribed with (a janus:// one in a profile). */
  sessions: Map<Session, string>;
  /** The upstream subscribe, shared by every session that asks while it runs. */
  subscribed: Promise<void>;
}

/** Who follows which upstream resource. */
export class Subscriptions {
  readonly #byResource = new Map<string, Followers>();

  constructor(private readonly upstreams: SubscriptionUpstreams) {}

  /** Adds a follower; the upstream is subscribed once (concurrent first subscribers share it). */
  async add(session: Session, accountId: string, upstreamUri: string, exposedUri: string): Promise<void> {
    const key = keyOf(accountId, upstreamUri);
    let followers = this.#byResource.get(key);
    if (!followers) {
      const subscribed = this.upstreams.subscribe(accountId, upstreamUri);
      followers = { accountId, upstreamUri, sessions: new Map(), subscribed };
      this.#byResource.set(key, followers);
      // A failed subscribe is forgotten so the next attempt tries again.
      subscribed.catch(() => {
        if (this.#byResource.get(key) === followers) this.#byResource.delete(key);
      });
    }
    followers.sessions.set(session, exposedUri);
    try {
      await followers.subscribed;
    } catch (error) {
      followers.sessions.delete(session);
      throw error;
    }
  }

  /** Removes a follower; the upstream is unsubscribed when nobody follows the resource any more. */
  async remove(session: Session, accountId: string, upstreamUri: string): Promise<void> {
    const key = keyOf(accountId, upstreamUri);
    const followers = this.#byResource.get(key);
    if (!followers?.sessions.delete(session) || followers.sessions.size > 0) return;
    this.#byResource.delete(key);
    await this.upstreams.unsubscribe(accountId, upstreamUri);
  }

  /** Drops every subscription a closed session held. */
  forget(session: Session): void {
    for (const [key, followers] of this.#byResource) {
      if (!followers.sessions.delete(session) || followers.sessions.size > 0) continue;
      this.#byResource.delete(key);
      void this.upstreams.unsubscribe(followers.accountId, followers.upstreamUri).catch(() => {});
    }
  }

  /** The sessions following a resource, each with the URI it knows it by. */
  followers(accountId: string, upstreamUri: string): ReadonlyMap<Session, string> {
    return this.#byResource.get(keyOf(accountId, upstreamUri))?.sessions ?? new Map();
  }
}

function keyOf(accountId: string, uri: string): string {
  return JSON.stringify([accountId, uri]);
}
