/**
 * The upstream pool: live connections per account, started on first need. An account has at
 * most one connection per protocol era, and a second one only when the upstream speaks both
 * and a client of the other era needs it (see revisions.ts). Concurrent callers share one
 * connection attempt; a failed attempt is reported to every waiter and retried by the next
 * call; a connection that dies is dropped so the next call starts a fresh one.
 */
import type { LoggingMessageNotification } from "@modelcontextprotocol/client";
import type { AccountConfig } from "../config/mod.ts";
import { JanusError, messageOf } from "../errors.ts";
import type { CatalogKind } from "./catalog.ts";
import type { UpstreamConnection } from "./connection.ts";
import { type ReferenceSources, type ResolvedSecret, resolveLaunch } from "./launch.ts";
import { UpstreamLifecycle } from "./lifecycle.ts";
import { ListMemory } from "./list_memory.ts";
import { InMemoryRevisions, type RevisionMemory } from "./revision_memory.ts";
import {
  chooseConnection,
  type ConnectPlan,
  type Era,
  learn,
  refuted,
  type Revisions,
  sameRevisions,
} from "./revisions.ts";
import type { UpstreamSettings } from "./settings.ts";
import { closedLine, fallbackLine, restarting, secondConnectionLine } from "./pool_lines.ts";

/** How often idle upstreams are looked for. */
const IDLE_CHECK_MS = 1_000;

/**
 * connection.ts, and the MCP client SDK under it, load when the first upstream starts, not with
 * the pool: a broker with no upstream running (an idle `serve --http`) never loads them.
 */
let connectionModule: Promise<typeof import("./connection.ts")> | undefined;
const loadConnection = () => connectionModule ??= import("./connection.ts");

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

/** An upstream's state, and the reason when it failed. */
export interface UpstreamStatus {
  state: UpstreamState;
  error?: string;
}

/** Live connections, at most one per account and era. */
export class UpstreamPool {
  readonly #accounts: Map<string, AccountConfig>;
  /** Settled connections by account, then era. */
  readonly #settled = new Map<string, Map<Era, UpstreamConnection>>();
  /** Each account's connection work, one step at a time (so two needs never start two of one era). */
  readonly #queues = new Map<string, Promise<unknown>>();
  /** Acquisitions under way, by account and need: concurrent callers with one need share one. */
  readonly #acquiring = new Map<string, Promise<UpstreamConnection>>();
  readonly #connecting = new Set<string>();
  readonly #failures = new Map<string, string>();
  /** What each upstream speaks; survives restarts when the memory is a file. */
  readonly #revisions: RevisionMemory;
  /** The lists last fetched: a reopened upstream that comes back with others is announced. */
  readonly #lists = new ListMemory();
  /** Warnings already given: each is said once per process, not on every reconnect. */
  readonly #warned = new Set<string>();
  /** Prestarts no caller has come for yet; a failed one's error goes to the account's first caller. */
  readonly #prestarts = new Map<string, { failure?: unknown }>();
  #closed = false;
  /** Backoff, idle close and call timeouts (see lifecycle.ts). */
  readonly lifecycle: UpstreamLifecycle;
  readonly #idleTimer: ReturnType<typeof setInterval>;

  constructor(
    accounts: readonly AccountConfig[],
    private readonly sources: ReferenceSources,
    private readonly events: PoolEvents,
    revisions: RevisionMemory = new InMemoryRevisions(),
    private readonly settings: UpstreamSettings = {},
  ) {
    this.#accounts = new Map(accounts.map((a) => [a.id, a]));
    this.#revisions = revisions;
    this.lifecycle = new UpstreamLifecycle(settings);
    this.#idleTimer = setInterval(() => void this.closeIdle(), IDLE_CHECK_MS);
    Deno.unrefTimer(Number(this.#idleTimer));
  }

  /**
   * The connection for an account, starting it if needed. `need` is the era of the client whose
   * request it will carry: an upstream that speaks both revisions is spoken to in the client's.
   * A connection that has gone stale (a new login, an `oauth:` token due) is replaced first.
   * Throws JanusError on failure.
   */
  async get(accountId: string, need?: Era): Promise<UpstreamConnection> {
    const connection = await this.#get(accountId, need);
    const stale = await connection.staleReason();
    if (stale === undefined) return connection;
    // Concurrent callers may all see it stale; the first one replaces it, the others reuse that.
    const live = this.#settled.get(accountId);
    if (live?.get(connection.era) === connection) {
      live.delete(connection.era);
      this.events.log(accountId, stale);
      await connection.close().catch(() => {});
    }
    return await this.#get(accountId, need);
  }

  #get(accountId: string, need?: Era): Promise<UpstreamConnection> {
    if (this.#closed) return Promise.reject(new JanusError("upstream", "the broker is shutting down"));
    const prestart = this.#prestarts.get(accountId);
    this.#prestarts.delete(accountId);
    if (prestart?.failure !== undefined) return Promise.reject(prestart.failure);
    this.lifecycle.touch(accountId);
    const ready = this.reusable(accountId, need);
    if (ready) return Promise.resolve(ready);
    const waiting = this.restarting(accountId);
    if (waiting) return Promise.reject(waiting);
    // One attempt per need, whose outcome (a failure too) every concurrent caller shares.
    const key = `${accountId}\n${need ?? ""}`;
    const shared = this.#acquiring.get(key);
    if (shared) return shared;
    const previous = this.#queues.get(accountId) ?? Promise.resolve();
    const next = previous.then(() => this.#acquire(accountId, need));
    const settled = next.catch(() => {});
    this.#acquiring.set(key, next);
    this.#queues.set(accountId, settled);
    void settled.then(() => {
      if (this.#acquiring.get(key) === next) this.#acquiring.delete(key);
      if (this.#queues.get(accountId) === settled) this.#queues.delete(accountId);
    });
    return next;
  }

  /** The refusal a call gets while the account waits out its restart backoff, if it is waiting. */
  restarting(accountId: string): JanusError | undefined {
    if (this.#settled.get(accountId)?.size || this.#connecting.has(accountId)) return undefined;
    const wait = this.lifecycle.admit(accountId);
    return wait > 0 ? restarting(accountId, wait, this.#failures.get(accountId)) : undefined;
  }

  /** Closes the accounts idle for longer than they allow (they reopen on the next call). */
  async closeIdle(): Promise<void> {
    const connected = [...this.#settled.keys()].flatMap((id) => this.#accounts.get(id) ?? []);
    const busy = (id: string) =>
      [...this.#settled.get(id)?.values() ?? []].some((connection) => connection.busy) ||
      (this.settings.pinned?.(id) ?? false);
    for (const account of this.lifecycle.idle(connected, busy)) {
      this.events.log(account.id, "idle: upstream closed; it reopens on the next call");
      await this.#closeOne(account.id);
    }
  }

  /** Connects the accounts marked keepWarm (failures are logged, and retried on the next call). */
  warm(): void {
    for (const account of this.#accounts.values()) {
      if (!account.keepWarm) continue;
      this.get(account.id).catch((error: Error) => this.events.log(account.id, `keepWarm: ${error.message}`));
    }
  }

  /**
   * Starts these accounts' upstreams ahead of first use (serve: the default selector's, while the
   * client initializes). Quiet: a failure is kept for the account's first caller, who gets it as
   * its own (reported once, nothing started twice); a caller arriving mid-start shares the attempt.
   */
  prestart(accounts: readonly { id: string }[], need: Era): void {
    for (const { id } of accounts) {
      // Only processes gain from an early start; a remote account may need a login first, and
      // keepWarm accounts are warm()'s, which reports their failures itself.
      const account = this.#accounts.get(id);
      if (account?.transport !== "stdio" || account.keepWarm || this.#settled.get(id)?.size) continue;
      const attempt = this.#get(id, need);
      const entry: { failure?: unknown } = {};
      this.#prestarts.set(id, entry);
      attempt.catch((error: unknown) => {
        if (this.#prestarts.get(id) === entry) entry.failure = error;
      });
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
    for (const id of [...removed, ...changed]) this.#lists.forget(id); // the broker announces a reload itself
    for (const id of [...removed, ...changed]) {
      this.#failures.delete(id);
      this.#prestarts.delete(id);
      await this.#closeOne(id, removed.includes(id));
    }
    return { added, removed, changed };
  }

  /** Closes one account's connections on purpose (no restart penalty). */
  async #closeOne(accountId: string, forget = false): Promise<void> {
    await this.#queues.get(accountId);
    const live = [...this.#settled.get(accountId)?.values() ?? []];
    this.#settled.delete(accountId);
    this.lifecycle.closed(accountId, forget);
    await Promise.allSettled(live.map((connection) => connection.close()));
  }

  /** Where an account's upstream stands, and the last failure if it failed. */
  state(accountId: string): UpstreamStatus {
    if (this.#settled.get(accountId)?.size) return { state: "connected" };
    if (this.#connecting.has(accountId)) return { state: "connecting" };
    const error = this.#failures.get(accountId);
    return error ? { state: "failed", error } : { state: "idle" };
  }

  /** A live connection of an account (the one of `era` when given), without starting one. */
  connected(accountId: string, era?: Era): UpstreamConnection | undefined {
    const live = this.#settled.get(accountId);
    if (era) return live?.get(era);
    return live?.get("modern") ?? live?.get("legacy");
  }

  /** Closes every connection (ends every child process); later `get` calls fail. */
  async closeAll(): Promise<void> {
    clearInterval(this.#idleTimer);
    this.#closed = true;
    const queued = [...this.#queues.values()];
    await Promise.allSettled(queued);
    const live = [...this.#settled.values()].flatMap((byEra) => [...byEra.values()]);
    this.#settled.clear();
    await Promise.allSettled(live.map((connection) => connection.close()));
  }

  /** The live connection a need would reuse, when no decision or start is needed (what `get` finds first). */
  reusable(accountId: string, need: Era | undefined): UpstreamConnection | undefined {
    const account = this.#accounts.get(accountId);
    const live = this.#settled.get(accountId);
    if (!account || !live?.size) return undefined;
    const choice = chooseConnection(this.#revisions.get(account) ?? {}, need, new Set(live.keys()));
    return choice.kind === "reuse" ? live.get(choice.era) : undefined;
  }

  async #acquire(accountId: string, need: Era | undefined): Promise<UpstreamConnection> {
    if (this.#closed) throw new JanusError("upstream", "the broker is shutting down");
    const account = this.#accounts.get(accountId);
    if (!account) throw new JanusError("selector", `unknown account "${accountId}"`);
    this.#connecting.add(accountId);
    try {
      const connection = await this.#choose(account, need, this.#revisions.get(account) ?? {}, true);
      this.#failures.delete(accountId);
      return connection;
    } catch (error) {
      if (!this.#closed) this.lifecycle.startFailed(accountId);
      this.#failures.set(accountId, messageOf(error));
      throw error;
    } finally {
      this.#connecting.delete(accountId);
    }
  }

  /**
   * Follows the plan for a need. A `try` that fails falls back to the other era; the failed era
   * is recorded as unspoken only once the other one answers (a broken upstream proves nothing).
   * A remembered verdict that no longer holds (the upstream changed) is forgotten and probed again.
   */
  async #choose(
    account: AccountConfig,
    need: Era | undefined,
    known: Revisions,
    mayForget: boolean,
  ): Promise<UpstreamConnection> {
    const live = this.#settled.get(account.id) ?? new Map<Era, UpstreamConnection>();
    const choice = chooseConnection(known, need, new Set(live.keys()));
    const reused = choice.kind === "reuse" ? live.get(choice.era) : undefined;
    if (reused) return reused;
    if (choice.kind === "reuse") {
      throw new JanusError("upstream", `account "${account.id}": no live connection to reuse`);
    }
    try {
      return await this.#open(account, choice, known, need);
    } catch (error) {
      if (choice.kind === "try") {
        const other: Era = choice.era === "legacy" ? "modern" : "legacy";
        const connection = await this.#choose(account, other, refuted(known, choice.era), false);
        this.#remember(account, refuted(this.#revisions.get(account) ?? known, choice.era));
        this.events.log(account.id, fallbackLine(choice.era, connection.era));
        return connection;
      }
      if (choice.kind === "prior" && mayForget && !live.size) {
        this.events.log(account.id, `its remembered protocol revisions no longer work; probing again`);
        this.#remember(account, {});
        return await this.#choose(account, need, {}, false);
      }
      throw error;
    }
  }

  async #open(
    account: AccountConfig,
    plan: ConnectPlan,
    known: Revisions,
    need: Era | undefined,
  ): Promise<UpstreamConnection> {
    const accountId = account.id;
    const failures = this.lifecycle.failures(accountId);
    if (failures > 0) {
      this.events.log(accountId, `restarting its upstream (after ${failures} failure(s) in a row)`);
    }
    const launch = await resolveLaunch(account, this.sources);
    this.events.secretsResolved(accountId, launch.secrets);
    for (const warning of launch.warnings) this.#warnOnce(accountId, `warning: ${warning}`);
    const byEra = this.#settled.get(accountId) ?? new Map<Era, UpstreamConnection>();
    if (byEra.size && plan.kind !== "auto") {
      this.events.log(accountId, secondConnectionLine(account.transport === "stdio", plan, need));
    }
    const opened: { connection?: UpstreamConnection; closedWhileOpening?: boolean } = {};
    const { UpstreamConnection } = await loadConnection();
    const connection = await UpstreamConnection.open(
      accountId,
      launch,
      {
        stderr: (line) => this.events.log(accountId, line),
        ...this.#lists.hooks(accountId, () => opened.connection?.era, this.events),
        message: (params) => this.events.message(accountId, params),
        resourceUpdated: (uri) => this.events.resourceUpdated(accountId, uri),
        invalidItems: (line) => this.#warnOnce(accountId, line),
        closed: () => {
          const self = opened.connection;
          // A close before the start finished is that start failing (counted once, by #acquire).
          if (!self) return void (opened.closedWhileOpening = true);
          const live = this.#settled.get(accountId);
          if (live?.get(self.era) === self) live.delete(self.era);
          const wait = this.lifecycle.crashed(accountId);
          this.events.log(accountId, closedLine(wait, this.lifecycle.failures(accountId)));
        },
      },
      plan,
      this.settings,
    );
    if (opened.closedWhileOpening) {
      throw new JanusError("upstream", `account "${accountId}": its upstream closed right after it started`);
    }
    opened.connection = connection;
    const existing = byEra.get(connection.era);
    if (this.#closed || existing) {
      // A probe landed on an era already served (the remembered verdict was lost): keep the first.
      await connection.close();
      if (existing) return existing;
      throw new JanusError("upstream", "the broker is shutting down");
    }
    this.#remember(account, learn(this.#revisions.get(account) ?? known, plan, connection));
    byEra.set(connection.era, connection);
    this.#settled.set(accountId, byEra);
    this.lifecycle.connected(accountId);
    return connection;
  }

  #remember(account: AccountConfig, revisions: Revisions): void {
    if (!sameRevisions(this.#revisions.get(account), revisions)) this.#revisions.set(account, revisions);
  }

  #warnOnce(accountId: string, line: string): void {
    const key = `${accountId}\n${line}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.events.log(accountId, line);
  }
}
