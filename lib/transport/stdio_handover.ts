/**
 * The stdio wire's side of early answers (issue 13, cold start; lib/early_stdio.ts). Wrapped
 * around the broker's stdio wire, it
 * - notes the client's first `initialize` and first `tools/list` (no cursor) and what the broker
 *   answered them, and hands both on to be recorded when that list was complete (every account of
 *   the selector answered): these are the frames as sent, so already through the redactor;
 * - swallows the broker's answers to requests the entry already answered from the record (they
 *   reach the broker again, replayed, so that its session is set up exactly as usual), and when
 *   the real `tools/list` result differs from the one sent early, tells the client with
 *   `notifications/tools/list_changed` so that it lists again.
 * The `initialize` result does not depend on upstreams (capabilities, instructions and server
 * info are fixed per version, the protocol version follows the client's params, all of which key
 * the record); should it still differ, the client keeps the early one, a warning is logged and the
 * record is rewritten with the real one.
 *
 * Request ids are matched as sent: a client that reused the id of a request answered early before
 * the broker answered its replay would have that later answer swallowed; MCP clients number their
 * requests, so ids do not repeat within a session.
 */
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/server";
import type { EarlyAnswered } from "../early_stdio.ts";
import { canonicalJson, isRecord } from "../values.ts";

/** A client's first handshake as the broker answered it. */
export interface FirstAnswers {
  /** The client's `initialize` params. */
  params: unknown;
  initialize: Record<string, unknown>;
  tools: Record<string, unknown>;
}

/** What the wrapper needs to know and whom it tells. */
export interface HandoverOptions {
  /** Requests already answered early; their replayed answers are swallowed. */
  answered: readonly EarlyAnswered[];
  /** Called once, with the first handshake, when its tools/list held every account's tools. */
  record?: (answers: FirstAnswers) => void;
  /** Whether the tools/list answer being sent held every account's tools. */
  toolsComplete: () => boolean;
  log: (line: string) => void;
}

type Id = string | number;

/** A transport that passes everything through to `inner`, watching and swallowing as above. */
export class HandoverWire implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #swallow: Map<Id, EarlyAnswered>;
  /** The handshake being watched: undefined once recorded or given up. */
  #first: { initId?: Id; params?: unknown; toolsId?: Id; initialize?: Record<string, unknown> } | undefined;

  constructor(private readonly inner: Transport, private readonly options: HandoverOptions) {
    this.#swallow = new Map(options.answered.map((answer) => [answer.id, answer]));
    this.#first = options.record ? {} : undefined;
  }

  start(): Promise<void> {
    this.inner.onmessage = (message) => {
      if (this.#first) this.#incoming(message);
      this.onmessage?.(message);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: Parameters<Transport["send"]>[1]): Promise<void> {
    if ((this.#first || this.#swallow.size > 0) && this.#outgoing(message)) return Promise.resolve();
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  #incoming(message: unknown): void {
    const first = this.#first;
    if (!first || !isRecord(message) || typeof message.method !== "string" || !isId(message.id)) return;
    if (first.initId === undefined) {
      if (message.method !== "initialize") this.#first = undefined; // not a 2025 handshake
      else Object.assign(first, { initId: message.id, params: message.params });
    } else if (first.toolsId === undefined && message.method === "tools/list" && !hasCursor(message.params)) {
      first.toolsId = message.id;
    }
  }

  /** Notes an answer of the handshake; true when it is to be swallowed. */
  #outgoing(message: unknown): boolean {
    if (!isRecord(message) || "method" in message || !isId(message.id)) return false;
    const { id } = message;
    const result = isRecord(message.result) ? message.result : undefined;
    const first = this.#first;
    if (first && id === first.initId && first.initialize === undefined) {
      first.initialize = result;
      if (!result) this.#first = undefined;
    } else if (first && first.initialize && id === first.toolsId) {
      this.#first = undefined;
      if (result && this.options.toolsComplete()) {
        this.options.record?.({ params: first.params, initialize: first.initialize, tools: result });
      }
    }
    const early = this.#swallow.get(id);
    if (!early) return false;
    this.#swallow.delete(id);
    const same = result !== undefined && canonicalJson(result) === canonicalJson(early.result);
    if (!same && early.method === "tools/list") {
      this.options.log("early answers: the tool list differs from the recorded one; telling the client");
      this.inner.send({ jsonrpc: "2.0", method: "notifications/tools/list_changed" }).catch(() => {});
    } else if (!same) {
      this.options.log("warning: early answers: the initialize result differs from the recorded one");
    }
    return true;
  }
}

function isId(value: unknown): value is Id {
  return typeof value === "string" || typeof value === "number";
}

function hasCursor(params: unknown): boolean {
  return isRecord(params) && params.cursor !== undefined;
}
