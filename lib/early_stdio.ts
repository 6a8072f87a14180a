/**
 * Early answers over stdio (issue 13, cold start): while the broker is still loading, the entry
 * reads stdin itself. When the first frame is an `initialize` this client was answered before
 * under the same keys (lib/early_answers.ts), it is answered from the record, and so is the first
 * `tools/list` (no cursor) after it; nothing else is answered here. Every byte read is kept and
 * handed to the broker's stdio wire when it starts (`handover`), in order, then stdin itself:
 * the broker sees the whole conversation, replayed `initialize` and `tools/list` included, and
 * its wire swallows the answers already sent (lib/transport/stdio_handover.ts).
 *
 * Anything unexpected — no record for this client, a first frame that is not an `initialize`,
 * malformed JSON, end of input — answers nothing more: the broker gets every byte and answers as
 * it always does. Plain Deno APIs only: this runs before the SDK is loaded.
 */
import { concatBytes } from "./bytes.ts";
import { isRecord } from "./values.ts";

/** The byte ends used here (Deno.stdin/stdout, or others in tests). */
export interface EarlyStreams {
  stdin: { read(buffer: Uint8Array): Promise<number | null> };
  stdout: { writeSync(bytes: Uint8Array): number };
}

/** A request answered here, and what it was sent. */
export interface EarlyAnswered {
  id: string | number;
  method: "initialize" | "tools/list";
  result: Record<string, unknown>;
}

/** The recorded results for a client's initialize params, if it was answered before. */
export type EarlyLookup = (
  params: unknown,
) => { initialize: Record<string, unknown>; tools: Record<string, unknown> } | undefined;

const READ_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
/** A handshake is a few KiB; past this much input without one, stop looking. */
const MAX_LOOKAHEAD_BYTES = 1024 * 1024;

/** Reads and answers the handshake ahead of the broker; see the module comment. */
export class EarlyStdio {
  /** What was answered here, in order; final once `handover` was called. */
  readonly answered: EarlyAnswered[] = [];
  /** Bytes read and not yet given to the wire. */
  readonly #chunks: Uint8Array[] = [];
  /** Bytes of the current, incomplete line. */
  #line: Uint8Array[] = [];
  #seen = 0;
  #reading: Promise<void> | undefined;
  #eof = false;
  #failure: unknown;
  #stopped = false;
  #tools?: Record<string, unknown>;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();
  /** Resolves when nothing more is read or answered here. */
  readonly done: Promise<void>;

  constructor(private readonly lookup: EarlyLookup, private readonly streams: EarlyStreams) {
    this.done = this.#run();
  }

  /**
   * Resolves when the handshake is answered here (or will not be), or after `ms` at the latest.
   * The broker's modules should load only then: while they load, the event loop is busy and the
   * client's `tools/list` would wait unread until they are loaded.
   */
  async settled(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /**
   * Stops reading and answering here and returns the stdin the broker's wire reads from: the
   * bytes read here first, then a read still in flight, then the streams' stdin.
   */
  handover(): EarlyStreams["stdin"] {
    this.#stopped = true;
    return {
      read: async (buffer: Uint8Array): Promise<number | null> => {
        while (true) {
          const chunk = this.#chunks[0];
          if (chunk) {
            const n = Math.min(chunk.length, buffer.length);
            buffer.set(chunk.subarray(0, n));
            if (n === chunk.length) this.#chunks.shift();
            else this.#chunks[0] = chunk.subarray(n);
            return n;
          }
          if (this.#reading) {
            await this.#reading;
            continue;
          }
          if (this.#failure !== undefined) throw this.#failure;
          if (this.#eof) return null;
          return await this.streams.stdin.read(buffer);
        }
      },
    };
  }

  async #run(): Promise<void> {
    let phase: "initialize" | "tools" = "initialize";
    while (!this.#stopped) {
      const line = await this.#nextLine();
      if (line === undefined || this.#stopped) return;
      let message: unknown;
      try {
        message = JSON.parse(this.#decoder.decode(line));
      } catch {
        this.#stopped = true;
        return;
      }
      const request = requestOf(message);
      if (phase === "initialize") {
        if (!request || request.method !== "initialize") return void (this.#stopped = true);
        const recorded = this.#lookup(request.params);
        if (!recorded) return void (this.#stopped = true);
        this.#answer(request.id, "initialize", recorded.initialize);
        this.#tools = recorded.tools;
        phase = "tools";
      } else if (request?.method === "tools/list" && !hasCursor(request.params) && this.#tools) {
        this.#answer(request.id, "tools/list", this.#tools);
        this.#stopped = true;
      }
      // Anything else (initialized, pings, other lists, calls) waits for the broker.
    }
  }

  #lookup(params: unknown): ReturnType<EarlyLookup> {
    try {
      return this.lookup(params);
    } catch {
      return undefined;
    }
  }

  #answer(id: string | number, method: EarlyAnswered["method"], result: Record<string, unknown>): void {
    const bytes = this.#encoder.encode(`${JSON.stringify({ result, jsonrpc: "2.0", id })}\n`);
    for (let at = 0; at < bytes.length;) at += this.streams.stdout.writeSync(bytes.subarray(at));
    this.answered.push({ id, method, result });
  }

  /** The next complete line read (without its newline), or undefined at end of input or too far in. */
  async #nextLine(): Promise<Uint8Array | undefined> {
    while (true) {
      const pending = concatBytes(this.#line);
      const end = pending.indexOf(NEWLINE);
      if (end >= 0) {
        this.#line = [pending.subarray(end + 1)];
        // A blank line is no message; the wire skips it too.
        if (pending.subarray(0, end).every((byte) => byte === 0x20 || byte === 0x0d)) continue;
        return pending.subarray(0, end);
      }
      this.#line = [pending];
      if (this.#seen > MAX_LOOKAHEAD_BYTES || this.#eof || this.#failure !== undefined) return undefined;
      const read = this.#readChunk();
      this.#reading = read;
      await read;
      this.#reading = undefined;
      if (this.#stopped) return undefined;
    }
  }

  async #readChunk(): Promise<void> {
    const buffer = new Uint8Array(READ_BYTES);
    try {
      const n = await this.streams.stdin.read(buffer);
      if (n === null) {
        this.#eof = true;
        return;
      }
      const chunk = buffer.slice(0, n);
      this.#chunks.push(chunk);
      this.#line.push(chunk);
      this.#seen += n;
    } catch (error) {
      this.#failure = error; // the wire reports it, as it would have reading stdin itself
    }
  }
}

function requestOf(message: unknown): { id: string | number; method: string; params: unknown } | undefined {
  if (!isRecord(message) || message.jsonrpc !== "2.0" || typeof message.method !== "string") return undefined;
  const { id } = message;
  if (typeof id !== "string" && typeof id !== "number") return undefined;
  return { id, method: message.method, params: message.params };
}

function hasCursor(params: unknown): boolean {
  return isRecord(params) && params.cursor !== undefined;
}
