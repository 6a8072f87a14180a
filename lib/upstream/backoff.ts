/**
 * Capped exponential backoff for restarting an upstream (pure; time is passed in). The first
 * restart after a crash is immediate — one crash is usually a fluke — then each consecutive
 * failure doubles the wait, up to a cap. A connection that stayed up long enough wipes the slate.
 */

/** The wait after the second consecutive failure. */
export const BACKOFF_BASE_MS = 1_000;
/** The longest wait between attempts. */
export const BACKOFF_CAP_MS = 30_000;
/** A connection up at least this long counts as healthy: its crash starts a fresh count. */
export const STABLE_MS = 60_000;

/** One account's restart schedule. */
export class Backoff {
  #failures = 0;
  #notBefore = 0;

  /** How many attempts failed in a row. */
  get failures(): number {
    return this.#failures;
  }

  /** The wait after `failures` consecutive failures: 0, then 1 s, 2 s, 4 s … capped. */
  static delay(failures: number): number {
    if (failures <= 1) return 0;
    return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 2));
  }

  /** Records a failed start or a crash; `upSinceMs` is when the crashed connection came up. */
  failed(now: number, upSinceMs?: number): void {
    if (upSinceMs !== undefined && now - upSinceMs >= STABLE_MS) this.#failures = 0;
    this.#failures++;
    this.#notBefore = now + Backoff.delay(this.#failures);
  }

  /** Milliseconds until the next attempt is allowed (0: now). */
  waitMs(now: number): number {
    return Math.max(0, this.#notBefore - now);
  }

  /** A connection closed on purpose (idle, reload): no penalty. */
  reset(): void {
    this.#failures = 0;
    this.#notBefore = 0;
  }
}
