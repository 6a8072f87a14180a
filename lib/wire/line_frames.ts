/**
 * Newline-delimited frames from a byte stream, with an explicit size limit (pure: bytes in,
 * frames out). Used for both ends of stdio: the broker's own stdin and each upstream's stdout.
 *
 * Why not the SDK's reader: it caps its buffer at 10 MiB and then ends the stream, and it
 * concatenates the whole buffer on every chunk, which is quadratic for large frames. Here each
 * chunk is scanned once and a frame is joined once; a frame over the limit is skipped without
 * being kept (only its first and last bytes, to recover a JSON-RPC id), and the stream goes on.
 */
import { concatBytes } from "../bytes.ts";

/** The default limit for one frame: 64 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** How many bytes of an oversized frame's start and end are kept to find its id. */
const KEPT_EDGE_BYTES = 4096;

/** What the reader hands on. */
export interface FrameSink {
  /**
   * One complete frame within the limit (without its line break). The bytes may be a view of
   * the chunk being pushed: read them during the call, copy them to keep them.
   */
  frame(bytes: Uint8Array): void;
  /** A frame over the limit, once its end is seen (or the stream ends): its size and edges. */
  oversized(size: number, head: Uint8Array, tail: Uint8Array): void;
}

/** Splits a byte stream into newline-terminated frames of at most `maxBytes` each. */
export class LineFrameReader {
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** Set while skipping a frame over the limit: its size so far and its kept edges. */
  #skipping?: { size: number; head: Uint8Array; tail: Uint8Array };

  constructor(private readonly maxBytes: number, private readonly sink: FrameSink) {}

  /** Feeds a chunk; complete frames are handed on at once. */
  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      if (newline !== -1 && this.#pendingBytes === 0 && !this.#skipping && newline - start <= this.maxBytes) {
        // A whole frame inside this chunk (the usual case): handed on as a view, no copy.
        this.#hand(chunk.subarray(start, newline));
        start = newline + 1;
        continue;
      }
      const end = newline === -1 ? chunk.length : newline;
      this.#take(chunk.subarray(start, end));
      if (newline === -1) return;
      this.#finishFrame();
      start = newline + 1;
    }
  }

  /** The stream ended: a last frame without a line break is still handed on. */
  end(): void {
    if (this.#pendingBytes > 0 || this.#skipping) this.#finishFrame();
  }

  #take(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.#skipping) {
      this.#skip(piece);
      return;
    }
    if (this.#pendingBytes + piece.length <= this.maxBytes) {
      // Copied: the caller may reuse its chunk buffer.
      this.#pending.push(piece.slice());
      this.#pendingBytes += piece.length;
      return;
    }
    // Over the limit: keep only the edges from here on.
    const sofar = concatBytes(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#skipping = { size: 0, head: new Uint8Array(0), tail: new Uint8Array(0) };
    this.#skip(sofar);
    this.#skip(piece);
  }

  #skip(piece: Uint8Array): void {
    const state = this.#skipping;
    if (!state) return;
    if (state.head.length < KEPT_EDGE_BYTES) {
      state.head = concatBytes([state.head, piece.subarray(0, KEPT_EDGE_BYTES - state.head.length)]);
    }
    state.tail = piece.length >= KEPT_EDGE_BYTES
      ? piece.slice(piece.length - KEPT_EDGE_BYTES)
      : concatBytes([state.tail, piece]).slice(-KEPT_EDGE_BYTES);
    state.size += piece.length;
  }

  #finishFrame(): void {
    if (this.#skipping) {
      const { size, head, tail } = this.#skipping;
      this.#skipping = undefined;
      this.sink.oversized(size, head, tail);
      return;
    }
    const frame = concatBytes(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#hand(frame);
  }

  #hand(frame: Uint8Array): void {
    // A CRLF line ending is accepted; blank lines are not frames.
    const trimmed = frame.length > 0 && frame[frame.length - 1] === 13 ? frame.subarray(0, -1) : frame;
    if (trimmed.length > 0) this.sink.frame(trimmed);
  }
}

/** "64 MiB", "10.5 MiB", "900 KiB", "12 bytes": sizes in messages people read. */
export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number(mib.toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
