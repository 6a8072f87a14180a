/**
 * The broker's own stdio wire (what `serveStdio` reads and writes through), replacing the SDK's
 * reader: frames up to the configured limit (default 64 MiB) in linear time; a frame over the
 * limit, or one that is not a valid JSON-RPC message, is answered with a JSON-RPC error when its
 * id can be read, logged at most once, and the session goes on. Nothing received ends the stream
 * but end of file.
 */
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/server";
import { JSON_RPC } from "../errors.ts";
import { errorResponse, idFromEdges, triageFrame } from "../wire/mod.ts";
import { formatBytes, LineFrameReader } from "../wire/mod.ts";
import type { RejectLog } from "../wire/mod.ts";

/** The byte ends the wire uses (Deno.stdin/stdout, or others in tests). */
export interface WireStreams {
  stdin: { read(buffer: Uint8Array): Promise<number | null> };
  stdout: { writeSync(bytes: Uint8Array): number };
}

const READ_BUFFER_BYTES = 64 * 1024;

/** A stdio server transport with an explicit frame limit and answers for malformed frames. */
export class StdioWire implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #reader: LineFrameReader;
  readonly #streams: WireStreams;
  readonly #encoder = new TextEncoder();
  #closed = false;
  #started = false;
  /** Resolves when stdin ended (or failed) and the wire closed. */
  readonly ended: Promise<void>;
  #end!: () => void;

  constructor(
    private readonly maxBytes: number,
    private readonly rejects: RejectLog,
    streams: WireStreams = { stdin: Deno.stdin, stdout: Deno.stdout },
  ) {
    this.#streams = streams;
    this.ended = new Promise((resolve) => (this.#end = resolve));
    this.#reader = new LineFrameReader(maxBytes, {
      frame: (bytes) => this.#frame(bytes),
      oversized: (size, head, tail) => {
        const id = idFromEdges(head, tail);
        const problem = `message of ${formatBytes(size)} (${size} bytes) exceeds the limit of ${
          formatBytes(this.maxBytes)
        } (limits.maxMessageBytes)`;
        this.rejects.reject(`stdio: refused a ${problem}${id === undefined ? " (no readable id)" : ""}`);
        if (id !== undefined) this.#answer(errorResponse(id, JSON_RPC.invalidRequest, problem));
      },
    });
  }

  start(): Promise<void> {
    if (this.#started) return Promise.reject(new Error("the stdio wire was already started"));
    this.#started = true;
    void this.#pump();
    return Promise.resolve();
  }

  async #pump(): Promise<void> {
    const buffer = new Uint8Array(READ_BUFFER_BYTES);
    try {
      while (!this.#closed) {
        const n = await this.#streams.stdin.read(buffer);
        if (n === null) break;
        // The reader copies what it keeps, so the buffer is reused.
        this.#reader.push(buffer.subarray(0, n));
      }
      this.#reader.end();
    } catch (error) {
      if (!this.#closed) this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
    await this.close();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("stdio is closed"));
    try {
      const bytes = this.#encoder.encode(JSON.stringify(message) + "\n");
      const { stdout } = this.#streams;
      // Synchronous: the frame is in the pipe when this resolves, in order, whatever its size.
      for (let at = 0; at < bytes.length;) at += stdout.writeSync(bytes.subarray(at));
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.rejects.flush();
    this.onclose?.();
    this.#end();
    return Promise.resolve();
  }

  #frame(bytes: Uint8Array): void {
    const triage = triageFrame(bytes);
    if (triage.kind === "message") {
      this.onmessage?.(triage.message);
      return;
    }
    this.rejects.reject(`stdio: refused a frame of ${bytes.length} bytes: ${triage.problem}`);
    if (triage.id !== undefined) this.#answer(errorResponse(triage.id, triage.code, triage.problem));
  }

  #answer(message: JSONRPCMessage): void {
    this.send(message).catch(() => {}); // the client may be gone; nothing more to do
  }
}
