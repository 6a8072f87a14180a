/**
 * When a 2025-11-25 POST's call has been quiet for too long (legacy_http_transport.ts upgrades it
 * to SSE with keep-alives). One timer serves every pending exchange instead of a `setTimeout` and
 * `clearTimeout` per call (1.5–7 µs per call in micro-benchmarks and profiles): all deadlines are
 * the same interval after their start, so they fall due in the order the exchanges were added and
 * the timer only ever waits for the oldest.
 */
export class QuietDeadlines<T> {
  /** Pending items and when each was added, oldest first (a Map keeps insertion order). */
  readonly #since = new Map<T, number>();
  #timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly afterMs: number,
    private readonly due: (item: T) => void,
  ) {}

  /** Starts an item's wait: `due(item)` runs `afterMs` from now unless it is deleted first. */
  add(item: T): void {
    this.#since.set(item, performance.now());
    if (this.#timer === undefined) this.#arm(this.afterMs);
  }

  /** Ends an item's wait (answered, upgraded or closed); the timer is left to find nothing. */
  delete(item: T): void {
    this.#since.delete(item);
  }

  /** Ends every wait and the timer. */
  clear(): void {
    this.#since.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), ms);
    Deno.unrefTimer(Number(this.#timer)); // a pending call's own work keeps the process alive, not this
  }

  #fire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const [item, since] of this.#since) {
      const wait = since + this.afterMs - now;
      if (wait > 0) return this.#arm(wait);
      this.#since.delete(item);
      this.due(item);
    }
  }
}
