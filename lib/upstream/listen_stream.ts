/**
 * The one `subscriptions/listen` stream a 2026-07-28 upstream connection keeps open: on that
 * revision an upstream announces list changes and resource updates only there, and a stream's
 * filter is fixed when it opens. A new set of followed resources means a new stream, opened
 * before the old one closes so nothing is missed. Swaps run one at a time, each with the set as
 * it is when it runs, so concurrent subscribes never leave a stream open that nobody will close.
 */
import type { Client, McpSubscription } from "@modelcontextprotocol/client";

/** The listen stream of one modern upstream connection. */
export class ListenStream {
  readonly #resources = new Set<string>();
  #open?: McpSubscription;
  #openFilter?: string;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(private readonly client: Client) {}

  /** Opens (or reopens) the stream for the current filter. */
  refresh(): Promise<void> {
    const run = this.#chain.then(() => this.#swap());
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Follows one more resource. */
  follow(uri: string): Promise<void> {
    this.#resources.add(uri);
    return this.refresh();
  }

  /** Whether any resource is followed. */
  get following(): boolean {
    return this.#resources.size > 0;
  }

  /** Stops following a resource. */
  unfollow(uri: string): Promise<void> {
    this.#resources.delete(uri);
    return this.refresh();
  }

  /** Closes the stream for good (the connection is closing). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
    const open = this.#open;
    this.#open = undefined;
    await open?.close().catch(() => {});
  }

  /** How many streams this connection holds open (0 or 1; for tests). */
  get openStreams(): number {
    return this.#open ? 1 : 0;
  }

  async #swap(): Promise<void> {
    if (this.#closed) return;
    const capabilities = this.client.getServerCapabilities() ?? {};
    const filter = {
      toolsListChanged: capabilities.tools?.listChanged === true,
      promptsListChanged: capabilities.prompts?.listChanged === true,
      resourcesListChanged: capabilities.resources?.listChanged === true,
      ...(this.#resources.size ? { resourceSubscriptions: [...this.#resources].sort() } : {}),
    };
    const fingerprint = JSON.stringify(filter);
    if (this.#open && fingerprint === this.#openFilter) return; // already what is wanted
    const previous = this.#open;
    const wanted = Object.values(filter).some((value) => value === true || Array.isArray(value));
    this.#open = wanted ? await this.client.listen(filter) : undefined;
    this.#openFilter = wanted ? fingerprint : undefined;
    await previous?.close();
  }
}
