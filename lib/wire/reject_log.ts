/**
 * At most one log line per refused frame or request, and a summary instead of a flood: the first
 * few refusals in a window are logged one line each, the rest are counted and summed up in one
 * line when the window closes.
 */

/** How many refusals per window are logged one by one. */
const BURST = 5;
/** The window, in milliseconds. */
const WINDOW_MS = 10_000;

/** Rate-limited logging of refused input. */
export class RejectLog {
  #logged = 0;
  #suppressed = 0;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly log: (line: string) => void, private readonly what = "requests") {}

  /** Records one refusal: logged as one line, or counted for the window's summary. */
  reject(line: string): void {
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), WINDOW_MS);
      Deno.unrefTimer(this.#timer);
    }
    if (this.#logged < BURST) {
      this.#logged++;
      this.log(line);
    } else {
      this.#suppressed++;
    }
  }

  /** Ends the window now: logs the summary of what was not logged, if anything. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#suppressed > 0) {
      this.log(`${this.#suppressed} more malformed ${this.what} refused (not logged one by one)`);
    }
    this.#logged = 0;
    this.#suppressed = 0;
  }
}
