/**
 * The upstream pool: at most one live connection per account, started on first need. Concurrent
 * callers share one connection attempt; a failed attempt is reported to every waiter and retried
 * by the next call; a connection that dies is dropped so the next call starts a fresh one.
 */
import type { LoggingMessageNotification, PriorDiscovery } from "@modelcontextprotocol/client";
import type { AccountConfig } from "../config/types.ts";
import { JanusError } from "../errors.ts";
import type { CatalogKind } from "./catalog.ts";
import { UpstreamConnection } from "./connection.ts";
import { type ReferenceSources, type ResolvedSecret, resolveLaunch } from "./launch.ts";
import type { UpstreamSettings } from "./settings.ts";

/** What the pool tells its owner. */
export interface PoolEvents {
  /** A human log line about an account (stderr of its child, lifecycle notes). */
  log(accountId: string, line: string): void;
  /** An upstream's own lists changed. */
  listChanged(accountId: string, kinds: CatalogKind[]): void;
  /** A resource an upstream was subscribed to changed. */
  resourceUpdated(accountId: string, uri: string): void;
  /** An upstream sent a log message. */
  message(accountId: string, params: LoggingMessageNotification["params"]): void;
  /** Secret values were resolved for an account (for redaction). */
  secretsResolved(accountId: string, secrets: readonly ResolvedSecret[]): void;
}

/** How an account's upstream is doing, for status displays. */
export type UpstreamState = "idle" | "connecting" | "connected" | "failed";

/** Live connections, one per account. */
export class UpstreamPool {
  readonly #accounts: Map<string, AccountConfig>;
  readonly #connections = new Map<string, Promise<UpstreamConnection>>();
  readonly #settled = new Map<string, UpstreamConnection>();
  readonly #failures = new Map<string, string>();
  /** The era each upstream spoke last time, so reconnects skip the version probe. */
  readonly #priors = new Map<string, PriorDiscovery>();
  /** Warnings already given: each is said once per process, not on every reconnect. */
  readonly #warned = new Set<string>();
  #closed = false;

  constructor(
    accounts: readonly AccountConfig[],
    private readonly sources: ReferenceSources,
    private readonly events: PoolEvents,
    private readonly settings: UpstreamSettings = {},
  ) {
    this.#accounts = new Map(accounts.map((a) => [a.id, a]));
  }

  /** The connection for an account, starting it if needed. Throws JanusError on failure. */
  get(accountId: string): Promise<UpstreamConnection> {
    if (this.#closed) return Promise.reject(new JanusError("upstream", "the broker is shutting down"));
    let pending = this.#connections.get(accountId);
    if (!pending) {
      pending = this.#open(accountId);
      this.#connections.set(accountId, pending);
      pending.then(
        (connection) => {
          this.#settled.set(accountId, connection);
          this.#failures.delete(accountId);
        },
        (error: unknown) => {
          // Forget the failed attempt so the next call tries again.
          if (this.#connections.get(accountId) === pending) this.#connections.delete(accountId);
          this.#failures.set(accountId, error instanceof Error ? error.message : String(error));
        },
      );
    }
    return pending;
  }

  /** Where an account's upstream stands, and the last failure if it failed. */
  state(accountId: string): { state: UpstreamState; error?: string } {
    if (this.#settled.has(accountId)) return { state: "connected" };
    if (this.#connections.has(accountId)) return { state: "connecting" };
    const error = this.#failures.get(accountId);
    return error ? { state: "failed", error } : { state: "idle" };
  }

  /** The live connection of an account, without starting one. */
  connected(accountId: string): UpstreamConnection | undefined {
    return this.#settled.get(accountId);
  }

  /** Closes every connection (ends every child process); later `get` calls fail. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    const pending = [...this.#connections.values()];
    this.#connections.clear();
    this.#settled.clear();
    await Promise.allSettled(pending.map(async (p) => (await p).close()));
  }

  async #open(accountId: string): Promise<UpstreamConnection> {
    const account = this.#accounts.get(accountId);
    if (!account) throw new JanusError("selector", `unknown account "${accountId}"`);
    const launch = await resolveLaunch(account, this.sources);
    this.events.secretsResolved(accountId, launch.secrets);
    for (const warning of launch.warnings) {
      if (this.#warned.has(warning)) continue;
      this.#warned.add(warning);
      this.events.log(accountId, `warning: ${warning}`);
    }
    const connection = await UpstreamConnection.open(
      accountId,
      launch,
      {
        stderr: (line) => this.events.log(accountId, line),
        listChanged: (kinds) => this.events.listChanged(accountId, kinds),
        message: (params) => this.events.message(accountId, params),
        resourceUpdated: (uri) => this.events.resourceUpdated(accountId, uri),
        closed: () => {
          this.#settled.delete(accountId);
          this.#connections.delete(accountId);
          this.events.log(accountId, "upstream closed; it will be restarted on the next call");
        },
      },
      this.#priors.get(accountId),
      this.settings,
    );
    this.#priors.set(accountId, connection.prior);
    if (this.#closed) {
      await connection.close();
      throw new JanusError("upstream", "the broker is shutting down");
    }
    return connection;
  }
}
