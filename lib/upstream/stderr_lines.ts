/** Splits a child's stderr into lines, prefixes each with its account, and keeps the last few. */

// deno-lint-ignore no-control-regex
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g;
// deno-lint-ignore no-control-regex
const CONTROL_CHARS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Collects stderr chunks into whole lines; `recent` keeps the tail for error messages. */
export class StderrLines {
  #partial = "";
  #recent: string[] = [];
  readonly #decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void, private readonly keep = 5) {}

  /** Feeds one chunk of bytes or text. */
  push(chunk: Uint8Array | string): void {
    this.#partial += typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true });
    const lines = this.#partial.split(/\r?\n/);
    this.#partial = lines.pop() ?? "";
    for (const line of lines) this.#emit(line);
  }

  /** Flushes a trailing line without a newline. */
  end(): void {
    if (this.#partial) this.#emit(this.#partial);
    this.#partial = "";
  }

  /** The last lines seen, oldest first. */
  get recent(): readonly string[] {
    return this.#recent;
  }

  #emit(raw: string): void {
    // Colour codes and other escapes from a child must not reach the user's terminal or logs.
    const line = raw.replace(ANSI_ESCAPE, "").replace(CONTROL_CHARS, "");
    if (!line.trim()) return;
    this.#recent.push(line);
    if (this.#recent.length > this.keep) this.#recent.shift();
    this.onLine(line);
  }
}
