/**
 * The broker's own stdio wire (what `serveStdio` reads and writes through), replacing the SDK's
 * reader: frames up to the configured limit (default 64 MiB) in linear time; a frame over the
 * limit, or one that is not a valid JSON-RPC message, is answered with a JSON-RPC error when its
 * id can be read, logged at most once, and the session goes on. Nothing received ends the stream
 * but end of file.
 */
import process from "node:process";
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/server";
import { JSON_RPC } from "../errors.ts";
import { errorResponse, idFromEdges, triageFrame } from "../wire/mod.ts";
import { formatBytes, LineFrameReader } from "../wire/mod.ts";
import type { RejectLog } from "../wire/mod.ts";

/** The streams the wire uses (process.stdin/stdout, or others in tests). */
export interface WireStreams {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

/** A stdio server transport with an explicit frame limit and answers for malformed frames. */
export class StdioWire implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #reader: LineFrameReader;
  readonly #streams: WireStreams;
  #closed = false;

  constructor(
    private readonly maxBytes: number,
    private readonly rejects: RejectLog,
    streams: WireStreams = { stdin: process.stdin, stdout: process.stdout },
  ) {
    this.#streams = streams;
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

  readonly #ondata = (chunk: Uint8Array | string) => {
    this.#reader.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
  };
  readonly #onend = () => {
    this.#reader.end();
    void this.close();
  };
  readonly #onerror = (error: Error) => this.onerror?.(error);

  start(): Promise<void> {
    const { stdin } = this.#streams;
    stdin.on("data", this.#ondata);
    stdin.on("end", this.#onend);
    stdin.on("close", this.#onend);
    stdin.on("error", this.#onerror);
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("stdio is closed"));
    const { stdout } = this.#streams;
    return new Promise((resolve, reject) => {
      const text = JSON.stringify(message) + "\n";
      // Resolves once the frame is handed to the OS, so back-pressure holds the sender.
      stdout.write(text, (error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    const { stdin } = this.#streams;
    stdin.off("data", this.#ondata);
    stdin.off("end", this.#onend);
    stdin.off("close", this.#onend);
    stdin.off("error", this.#onerror);
    this.rejects.flush();
    this.onclose?.();
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
