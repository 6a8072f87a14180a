/**
 * When upstreams start, restart and stop (pure bookkeeping; the pool does the I/O): capped
 * exponential backoff after crashes or failed starts, idle close after a configurable quiet time
 * (never for `keepWarm` accounts, nor while calls or subscriptions keep one busy), and the
 * per-call timeout of each account.
 */
import type { AccountConfig } from "../config/mod.ts";
import { Backoff } from "./backoff.ts";
import type { UpstreamSettings } from "./settings.ts";

/** The default idle time before an upstream is closed: 30 minutes. */
export const DEFAULT_IDLE_CLOSE_MS = 30 * 60_000;
/** The default limit on one relayed call: 1 hour (long tool calls are normal; a hung one is not). */
export const DEFAULT_CALL_TIMEOUT_MS = 60 * 60_000;

/** Restart schedule, last use and idle policy of every account. */
export class UpstreamLifecycle {
  readonly #backoff = new Map<string, Backoff>();
  readonly #lastUsed = new Map<string, number>();
  readonly #upSince = new Map<string, number>();

  constructor(private readonly settings: UpstreamSettings, private readonly now: () => number = Date.now) {}

  /** Milliseconds before the account may be started again (0: now). */
  admit(accountId: string): number {
    return this.#backoff.get(accountId)?.waitMs(this.now()) ?? 0;
  }

  /** How many starts or runs failed in a row. */
  failures(accountId: string): number {
    return this.#backoff.get(accountId)?.failures ?? 0;
  }

  /** The account was used (a call, a list): its idle clock restarts. */
  touch(accountId: string): void {
    this.#lastUsed.set(accountId, this.now());
  }

  /** A start failed (once per start: a process that closed while starting is part of it). */
  startFailed(accountId: string): void {
    this.#schedule(accountId).failed(this.now());
  }

  /** A start succeeded. */
  connected(accountId: string): void {
    this.#upSince.set(accountId, this.now());
    this.touch(accountId);
  }

  /** A live connection ended without being asked to; returns the wait before the next start. */
  crashed(accountId: string): number {
    const backoff = this.#schedule(accountId);
    backoff.failed(this.now(), this.#upSince.get(accountId));
    this.#upSince.delete(accountId);
    return backoff.waitMs(this.now());
  }

  /** A connection was closed on purpose (idle, reload): no penalty, and a removed account is forgotten. */
  closed(accountId: string, forget = false): void {
    this.#upSince.delete(accountId);
    if (forget) {
      this.#backoff.delete(accountId);
      this.#lastUsed.delete(accountId);
    } else {
      this.#backoff.get(accountId)?.reset();
    }
  }

  /** The call timeout for an account: its own, else the config default, else 1 hour. */
  callTimeoutMs(account: AccountConfig | undefined): number {
    const own = account?.callTimeoutSeconds;
    if (own !== undefined) return own * 1000;
    return this.settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  /** The idle time after which an account's upstream closes; undefined: never (keepWarm, or 0). */
  idleCloseMs(account: AccountConfig): number | undefined {
    if (account.keepWarm) return undefined;
    const ms = account.idleCloseSeconds !== undefined
      ? account.idleCloseSeconds * 1000
      : this.settings.idleCloseMs ?? DEFAULT_IDLE_CLOSE_MS;
    return ms > 0 ? ms : undefined;
  }

  /** Of the connected accounts, those quiet for longer than their idle time and not busy. */
  idle(connected: readonly AccountConfig[], busy: (accountId: string) => boolean): AccountConfig[] {
    const now = this.now();
    return connected.filter((account) => {
      const limit = this.idleCloseMs(account);
      if (limit === undefined || busy(account.id)) return false;
      return now - (this.#lastUsed.get(account.id) ?? now) >= limit;
    });
  }

  #schedule(accountId: string): Backoff {
    let backoff = this.#backoff.get(accountId);
    if (!backoff) this.#backoff.set(accountId, backoff = new Backoff());
    return backoff;
  }
}
