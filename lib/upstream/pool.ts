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
import { UpstreamLifecycle } from "./lifecycle.ts";

/** How often idle upstreams are looked for. */
const IDLE_CHECK_MS = 1_000;

/** The refusal while an account waits out its restart backoff. */
function restarting(accountId: string, waitMs: number, lastError: string | undefined): JanusError {
  const why = lastError ? ` (last failure: ${lastError})` : "";
  return new JanusError(
    "upstream",
    `account "${accountId}": its upstream is restarting, retry in ${Math.ceil(waitMs / 1000)} s${why}`,
  );
}

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
  /** Backoff, idle close and call timeouts (see lifecycle.ts). */
  readonly lifecycle: UpstreamLifecycle;
  readonly #idleTimer: ReturnType<typeof setInterval>;

  constructor(
    accounts: readonly AccountConfig[],
    private readonly sources: ReferenceSources,
    private readonly events: PoolEvents,
    private readonly settings: UpstreamSettings = {},
  ) {
    this.#accounts = new Map(accounts.map((a) => [a.id, a]));
    this.lifecycle = new UpstreamLifecycle(settings);
    this.#idleTimer = setInterval(() => void this.closeIdle(), IDLE_CHECK_MS);
    Deno.unrefTimer(Number(this.#idleTimer));
  }

  /** The connection for an account, starting it if needed. Throws JanusError on failure. */
  get(accountId: string): Promise<UpstreamConnection> {
    if (this.#closed) return Promise.reject(new JanusError("upstream", "the broker is shutting down"));
    this.lifecycle.touch(accountId);
    let pending = this.#connections.get(accountId);
    if (!pending) {
      const wait = this.lifecycle.admit(accountId);
      if (wait > 0) return Promise.reject(restarting(accountId, wait, this.#failures.get(accountId)));
      pending = this.#open(accountId);
      this.#connections.set(accountId, pending);
      pending.then(
        (connection) => {
          this.#settled.set(accountId, connection);
          this.#failures.delete(accountId);
        },
        (error: unknown) => {
          // Forget the failed attempt so the next call tries again (after the backoff).
          if (this.#connections.get(accountId) === pending) this.#connections.delete(accountId);
          if (!this.#closed) this.lifecycle.startFailed(accountId);
          this.#failures.set(accountId, error instanceof Error ? error.message : String(error));
        },
      );
    }
    return pending;
  }

  /** The refusal a call gets while the account waits out its restart backoff, if it is waiting. */
  restarting(accountId: string): JanusError | undefined {
    if (this.#connections.has(accountId)) return undefined;
    const wait = this.lifecycle.admit(accountId);
    return wait > 0 ? restarting(accountId, wait, this.#failures.get(accountId)) : undefined;
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

  /** Closes the connections idle for longer than their account allows (they reopen on the next call). */
  async closeIdle(): Promise<void> {
    const connected = [...this.#settled.keys()].flatMap((id) => this.#accounts.get(id) ?? []);
    const busy = (id: string) =>
      (this.#settled.get(id)?.busy ?? true) || (this.settings.pinned?.(id) ?? false);
    for (const account of this.lifecycle.idle(connected, busy)) {
      this.events.log(account.id, "idle: upstream closed; it reopens on the next call");
      await this.#closeOne(account.id);
    }
  }

  /** Connects the accounts marked keepWarm (failures are logged, and retried on the next call). */
  warm(): void {
    for (const account of this.#accounts.values()) {
      if (account.keepWarm) {
        this.get(account.id).catch((error: Error) =>
          this.events.log(account.id, `keepWarm: ${error.message}`)
        );
      }
    }
  }

  /**
   * New account definitions (config reload): removed and changed accounts' upstreams are closed
   * (changed ones reopen with the new definition on the next call); returns what changed.
   */
  async reconfigure(
    accounts: readonly AccountConfig[],
  ): Promise<{ added: string[]; removed: string[]; changed: string[] }> {
    const next = new Map(accounts.map((a) => [a.id, a]));
    const removed = [...this.#accounts.keys()].filter((id) => !next.has(id));
    const added = [...next.keys()].filter((id) => !this.#accounts.has(id));
    const changed = [...next.keys()].filter((id) =>
      this.#accounts.has(id) && JSON.stringify(this.#accounts.get(id)) !== JSON.stringify(next.get(id))
    );
    this.#accounts.clear();
    for (const [id, account] of next) this.#accounts.set(id, account);
    for (const id of [...removed, ...changed]) {
      this.#priors.delete(id);
      this.#failures.delete(id);
      await this.#closeOne(id, removed.includes(id));
    }
    return { added, removed, changed };
  }

  /** Closes one account's connection on purpose (no restart penalty). */
  async #closeOne(accountId: string, forget = false): Promise<void> {
    const pending = this.#connections.get(accountId);
    this.#connections.delete(accountId);
    this.#settled.delete(accountId);
    this.lifecycle.closed(accountId, forget);
    await pending?.then((connection) => connection.close(), () => {}).catch(() => {});
  }

  /** Closes every connection (ends every child process); later `get` calls fail. */
  async closeAll(): Promise<void> {
    clearInterval(this.#idleTimer);
    this.#closed = true;
    const pending = [...this.#connections.values()];
    this.#connections.clear();
    this.#settled.clear();
    await Promise.allSettled(pending.map(async (p) => (await p).close()));
  }

  async #open(accountId: string): Promise<UpstreamConnection> {
    const account = this.#accounts.get(accountId);
    if (!account) throw new JanusError("selector", `unknown account "${accountId}"`);
    const failures = this.lifecycle.failures(accountId);
    if (failures > 0) {
      this.events.log(accountId, `restarting its upstream (after ${failures} failure(s) in a row)`);
    }
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
          const wait = this.lifecycle.crashed(accountId);
          const times = this.lifecycle.failures(accountId);
          this.events.log(
            accountId,
            wait > 0
              ? `upstream closed (${times} times in a row); restarting on the next call after ${
                Math.ceil(wait / 1000)
              } s`
              : "upstream closed; it will be restarted on the next call",
          );
        },
      },
      this.#priors.get(accountId),
      this.settings,
    );
    this.#priors.set(accountId, connection.prior);
    this.lifecycle.connected(accountId);
    if (this.#closed) {
      await connection.close();
      throw new JanusError("upstream", "the broker is shutting down");
    }
    return connection;
  }
}
