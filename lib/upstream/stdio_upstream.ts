/**
 * The client transport for a stdio upstream, replacing the SDK's: the child runs in its own
 * process group (see process_group.ts) so stopping it stops everything it started, and replies
 * are read with the broker's own frame reader — any size up to the limit in linear time. A
 * reply over the limit fails its own request with a JSON-RPC error naming the limit and the
 * size; the connection, and every other call on it, goes on.
 *
 * It keeps the SDK transport's constructor shape (`_serverParams`, `_dispose`, `pid`, `stderr`)
 * because the SDK's version negotiation recognises a stdio transport by it and runs its probe on
 * a throwaway sibling built the same way — which, being this class, also dies as a group.
 * A process started at launch (lib/early_processes.ts) is adopted when its launch is identical.
 */
import { JSON_RPC } from "../errors.ts";
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/client";
import { errorResponse, idFromEdges, triageFrame } from "../wire/mod.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, formatBytes, LineFrameReader } from "../wire/mod.ts";
import { DEFAULT_STOP_GRACE_MS, ProcessGroup } from "../process_group.ts";
import { claimEarly } from "../early_processes.ts";

/** The JSON-RPC error code for a reply the broker would not take. */
const REPLY_TOO_LARGE = JSON_RPC.internalError;
/** The size of the buffer replies are read into. */
const READ_BUFFER_BYTES = 64 * 1024;
/** How long replies still in the pipe are read after the child exits. */
const EXIT_DRAIN_MS = 500;

/** What to run, in the shape the SDK's stdio transport takes. */
export interface StdioUpstreamParams {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** "ignore" drops the child's stderr (the SDK's probe sibling asks for that). */
  stderr?: "pipe" | "ignore" | "inherit";
  /** Receives the child's stderr bytes. */
  onStderr?: (chunk: Uint8Array) => void;
  /** The largest reply taken (default 64 MiB). */
  maxMessageBytes?: number;
  /** How long a stopping child gets before SIGKILL. */
  stopGraceMs?: number;
  /** Told about frames that are no JSON-RPC message (one line each). */
  onRefused?: (problem: string) => void;
}

/** A stdio upstream in its own process group, read with an explicit frame limit. */
export class StdioUpstreamTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #group?: ProcessGroup;
  #closed = false;
  readonly #encoder = new TextEncoder();

  constructor(readonly _serverParams: StdioUpstreamParams) {}

  /** The child's process id (also its process group id on POSIX). */
  get pid(): number | null {
    return this.#group?.pid ?? null;
  }

  /** Present for the SDK's stdio detection; stderr is delivered through `onStderr`. */
  get stderr(): null {
    return null;
  }

  start(): Promise<void> {
    if (this.#group) return Promise.reject(new Error("this stdio upstream was already started"));
    const params = this._serverParams;
    const spec = { command: params.command, args: params.args ?? [], env: params.env ?? {}, cwd: params.cwd };
    // A process `serve` started at launch for exactly this launch is adopted (its stderr, not
    // read until now, is delivered below as for any start). The SDK's throwaway probe sibling
    // (stderr "ignore") never takes it: the connection started after the probe does.
    const early = params.stderr === "ignore" ? undefined : claimEarly(spec);
    const group = early ?? ProcessGroup.spawn(spec);
    this.#group = group;
    const limit = params.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const reader = new LineFrameReader(limit, {
      frame: (bytes) => {
        const triage = triageFrame(bytes);
        if (triage.kind === "message") this.onmessage?.(triage.message);
        else {params.onRefused?.(
            `refused a frame of ${bytes.length} bytes from the upstream: ${triage.problem}`,
          );}
      },
      oversized: (size, head, tail) => {
        const id = idFromEdges(head, tail);
        const problem = `upstream reply of ${formatBytes(size)} (${size} bytes) exceeds the limit of ${
          formatBytes(limit)
        } (limits.maxMessageBytes)`;
        if (id === undefined) params.onRefused?.(`${problem}, and its request id cannot be read`);
        else this.onmessage?.(errorResponse(id, REPLY_TOO_LARGE, problem));
      },
    });
    const replies = this.#pumpReplies(group.stdout, (chunk) => reader.push(chunk)).finally(() =>
      reader.end()
    );
    void this.#pump(group.stderr, (chunk) => {
      if (params.stderr !== "ignore") params.onStderr?.(chunk);
    });
    void group.status.then(async () => {
      // The last replies may still be in the pipe; a leftover grandchild holding the pipe open
      // must not keep the connection looking alive, so the wait is short and the group is stopped.
      await Promise.race([replies, new Promise((resolve) => setTimeout(resolve, EXIT_DRAIN_MS))]);
      this.#ended();
      await group.stop(params.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    });
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (!this.#group || this.#closed) return Promise.reject(new Error("the upstream is not running"));
    try {
      return this.#group.write(this.#encoder.encode(JSON.stringify(message) + "\n"));
    } catch (error) {
      return Promise.reject(error); // JSON.stringify throws on a BigInt or a cycle
    }
  }

  /** Stops the child and its whole process group. */
  async close(): Promise<void> {
    await this.#group?.stop(this._serverParams.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    this.#ended();
  }

  /** The SDK reaps its probe sibling through this. */
  _dispose(): Promise<void> {
    return this.close();
  }

  #ended(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
  }

  /**
   * Reads replies into one reused buffer (a BYOB reader): the default reader allocates a fresh
   * 64 KiB buffer for every read, however small the reply, which the garbage collector then pays
   * for on every call. The frame reader copies what it keeps, so the buffer can be reused.
   */
  async #pumpReplies(stream: ReadableStream<Uint8Array>, take: (chunk: Uint8Array) => void): Promise<void> {
    const reader = stream.getReader({ mode: "byob" });
    let buffer = new ArrayBuffer(READ_BUFFER_BYTES);
    try {
      for (;;) {
        const { value, done } = await reader.read(new Uint8Array(buffer));
        if (done || !value) return;
        take(value);
        buffer = value.buffer; // the read handed the same memory back
      }
    } catch (error) {
      if (!this.#closed) this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    } finally {
      reader.releaseLock();
    }
  }

  async #pump(stream: ReadableStream<Uint8Array>, take: (chunk: Uint8Array) => void): Promise<void> {
    try {
      for await (const chunk of stream) take(chunk);
    } catch (error) {
      if (!this.#closed) this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
