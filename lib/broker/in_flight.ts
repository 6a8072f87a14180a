/**
 * The relayed calls in flight, so that shutdown answers every one of them: calls still running
 * when the drain time is over are failed with an error saying the broker is stopping (and
 * cancelled upstream), instead of being dropped unanswered with their connection.
 */
import { JanusError } from "../errors.ts";

/** How long answers to cut-off calls get to reach their clients before transports close. */
const ANSWER_FLUSH_MS = 100;

interface Entry {
  stop(error: JanusError): void;
}

/** Tracks relayed calls; each can be cut off with an error. */
export class InFlightCalls {
  readonly #calls = new Set<Entry>();

  /** How many calls are running. */
  get size(): number {
    return this.#calls.size;
  }

  /**
   * Runs one call with a signal that aborts when the client cancels (`signal`) or the call is cut
   * off; a cut-off call rejects with the reason at once, whatever the work does next. (One promise
   * per call, settled by whichever comes first: every relayed call passes here twice.)
   */
  run<T>(signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        stop: (error) => {
          done();
          controller.abort(error);
          reject(error);
        },
      };
      const done = () => {
        this.#calls.delete(entry);
        signal?.removeEventListener("abort", onAbort);
      };
      this.#calls.add(entry);
      try {
        work(controller.signal).then((value) => {
          done();
          resolve(value);
        }, (error) => {
          done();
          reject(error);
        });
      } catch (error) {
        done();
        reject(error);
      }
    });
  }

  /**
   * Waits up to `ms` for the calls in flight to finish; the ones still running then are failed
   * with "the broker is stopping" (and cancelled upstream), and their answers get a moment to go out.
   */
  async drain(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.#calls.size > 0 && Date.now() < deadline) await sleep(25);
    if (this.#calls.size === 0) return;
    const error = new JanusError(
      "upstream",
      `the broker is stopping: this call was still running after the ${
        Number((ms / 1000).toFixed(1))
      } s drain time; call again once it is back`,
    );
    for (const entry of [...this.#calls]) entry.stop(error);
    await sleep(ANSWER_FLUSH_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
