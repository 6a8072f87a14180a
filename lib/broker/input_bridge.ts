/**
 * The bridge from a 2025-11-25 upstream's mid-call requests to a 2026-07-28 client. Such an
 * upstream asks its client for input (elicitation, sampling, roots) in the middle of a call and
 * waits; a 2026 client can only be asked by a result (`input_required`) and answers by calling
 * again. So the upstream's call is parked: the client gets its question as `input_required`, the
 * upstream's request stays open, and the retry's answer goes to the upstream, whose next event
 * (another question, or the result) is what the retry returns. Questions the upstream asks together
 * (a 2025 SDK server asks every input of a multi-input request at once) go to the client in one
 * round, each under its own key. A parked call the client never comes back to is failed after a
 * while, so the upstream is not left waiting forever.
 */
import {
  type LoggingMessageNotification,
  ProtocolError,
  ProtocolErrorCode,
} from "@modelcontextprotocol/server";
import { JanusError } from "../errors.ts";
import { isRecord } from "../values.ts";
import type { AskClient, Progress, UpstreamResult } from "../upstream/mod.ts";

/** How long a question may wait for the client's retry. */
const DEFAULT_PARK_MS = 10 * 60 * 1000;
/** How long a round waits without a new question before it goes to the client (see `Parked.settle`). */
const SETTLE_QUIET_MS = 50;
/** The longest a round waits for more questions. */
const SETTLE_MAX_MS = 1_000;

/** One question for the client, in the 2026 `inputRequests` shape. */
export interface BridgedQuestion {
  method: string;
  params?: Record<string, unknown>;
}

/** What a round of a bridged call ends with. */
export type BridgeOutcome =
  | { kind: "result"; result: UpstreamResult }
  /** The upstream asked: hand `questions` (by key) to the client; its retry names `id`. */
  | { kind: "ask"; id: string; questions: Record<string, BridgedQuestion> };

/** The current round's request: its cancellation, and where its progress and log messages go. */
export interface RoundSink {
  /** The client cancelled this round's request: the upstream call is cancelled with it. */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onLog?: (params: LoggingMessageNotification["params"]) => void;
}

interface Question {
  kind: "question";
  request: BridgedQuestion;
  answer(result: UpstreamResult): void;
  fail(error: Error): void;
}

type Event =
  | Question
  | { kind: "done"; result: UpstreamResult }
  | { kind: "failed"; error: unknown };

/** A call whose upstream waits for the client's answer. */
class Parked {
  readonly #events: Event[] = [];
  #waiter?: (event: Event) => void;
  /** The questions the client was last given, by key, until answered. */
  readonly open = new Map<string, Question>();
  timer?: ReturnType<typeof setTimeout>;
  /** Aborts the upstream call when the client never comes back. */
  readonly abort = new AbortController();

  constructor(public sink: RoundSink) {}

  push(event: Event): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) waiter(event);
    else this.#events.push(event);
  }

  next(): Promise<Event> {
    const event = this.#events.shift();
    return event ? Promise.resolve(event) : new Promise((resolve) => this.#waiter = resolve);
  }

  /**
   * Waits while more events keep arriving: questions asked together (a 2025 SDK server writes them
   * back to back) reach the bridge one by one, and on a busy machine the upstream can be off the
   * CPU for milliseconds between two of them — two quiet turns of the event loop were not enough
   * under a full test run. So a round closes after `SETTLE_QUIET_MS` without a new event (at most
   * `SETTLE_MAX_MS` in all): a question waits for a person's answer, so the wait is never what is slow.
   */
  async settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_MAX_MS;
    for (let seen = this.#events.length; Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_QUIET_MS));
      if (this.#events.length === seen) return;
      seen = this.#events.length;
    }
  }

  /** The questions already queued, taken in order up to the first other event. */
  queuedQuestions(): Question[] {
    const taken: Question[] = [];
    while (this.#events[0]?.kind === "question") taken.push(this.#events.shift() as Question);
    return taken;
  }
}

/** Parked calls by the id their client's retry names. */
export class InputBridge {
  readonly #parked = new Map<string, Parked>();
  #questions = 0;
  #rounds = 0;

  constructor(private readonly parkMs = DEFAULT_PARK_MS) {}

  /**
   * Starts a call. `run` makes the upstream request with the `ask` it is given (the upstream's
   * questions arrive there), the returned signal (aborted if the client never comes back) and
   * the sink's progress and log delivery, which follow the client's latest retry; `waiting` says
   * whether the call's question is with the client (see `Caller.waiting`).
   */
  async start(
    sink: RoundSink,
    run: (
      ask: AskClient,
      signal: AbortSignal,
      sink: RoundSink,
      waiting: () => boolean,
    ) => Promise<UpstreamResult>,
  ): Promise<BridgeOutcome> {
    const parked = new Parked(sink);
    const ask: AskClient = (request) =>
      new Promise((answer, fail) =>
        parked.push({ kind: "question", request: bridged(request), answer, fail })
      );
    // Progress is tied to the token of the first request: without one, none is asked for (a
    // progress token costs the relay a turn of the event loop per call).
    const follow: RoundSink = {
      ...(sink.onProgress ? { onProgress: (progress: Progress) => parked.sink.onProgress?.(progress) } : {}),
      onLog: (params) => parked.sink.onLog?.(params),
    };
    run(ask, parked.abort.signal, follow, () => parked.open.size > 0).then(
      (result) => parked.push({ kind: "done", result }),
      (error) => parked.push({ kind: "failed", error }),
    );
    return await this.#nextOutcome(parked);
  }

  /**
   * Answers a parked call's questions with the retry's `inputResponses` and goes on with it; the
   * questions it left unanswered stand, under a new id.
   */
  async resume(
    id: string,
    inputResponses: Record<string, unknown> | undefined,
    sink: RoundSink,
    again: string,
  ): Promise<BridgeOutcome> {
    const parked = this.#parked.get(id);
    if (!parked || parked.open.size === 0) {
      throw new JanusError(
        "input_required",
        `this question is no longer open (answered already, or it expired); ${again}`,
      );
    }
    this.#parked.delete(id);
    clearTimeout(parked.timer);
    parked.sink = sink;
    const unanswered: Question[] = [];
    for (const [key, question] of parked.open) {
      if (inputResponses && Object.hasOwn(inputResponses, key)) {
        question.answer(inputResponses[key] as UpstreamResult);
      } else unanswered.push(question);
    }
    parked.open.clear();
    return await this.#nextOutcome(parked, unanswered);
  }

  /** How many calls wait for their client (for tests). */
  get parkedCount(): number {
    return this.#parked.size;
  }

  /** The next round: `pending` questions (unanswered ones) or the upstream's next event. */
  async #nextOutcome(parked: Parked, pending: Question[] = []): Promise<BridgeOutcome> {
    if (pending.length === 0) {
      // Only while a round waits does its cancellation reach the upstream: a parked call belongs
      // to no request until the client's retry.
      const signal = parked.sink.signal;
      const cancel = () => parked.abort.abort(signal?.reason);
      if (signal?.aborted) cancel();
      signal?.addEventListener("abort", cancel);
      let event: Event;
      try {
        event = await parked.next();
        if (event.kind === "question") await parked.settle();
      } finally {
        signal?.removeEventListener("abort", cancel);
      }
      if (event.kind === "done") return { kind: "result", result: event.result };
      if (event.kind === "failed") throw event.error;
      pending = [event];
    }
    pending.push(...parked.queuedQuestions());
    const id = `r${++this.#rounds}-${crypto.randomUUID()}`;
    const questions: Record<string, BridgedQuestion> = {};
    for (const question of pending) {
      const key = `janus-q${++this.#questions}`;
      parked.open.set(key, question);
      questions[key] = question.request;
    }
    const timer = setTimeout(() => {
      if (this.#parked.get(id) !== parked) return;
      this.#parked.delete(id);
      for (const question of parked.open.values()) {
        question.fail(
          new ProtocolError(
            ProtocolErrorCode.InvalidRequest,
            `${question.request.method}: the client did not answer within ${Math.round(this.parkMs / 1000)}s`,
          ),
        );
      }
      parked.open.clear();
      parked.abort.abort();
    }, this.parkMs);
    Deno.unrefTimer(Number(timer));
    parked.timer = timer;
    this.#parked.set(id, parked);
    // This round's request ends with its questions: until the retry, what the upstream sends while
    // it waits (logs, progress) has no request to go with, and a 2026 server sends neither outside one.
    parked.sink = {};
    return { kind: "ask", id, questions };
  }
}

/**
 * A 2025 request as a 2026 input request: without the upstream's own progress token (the SDK puts
 * one on its server-to-client requests; it names a request on the broker's connection, which the
 * client never sent and cannot report progress on) and, for URL elicitation, without
 * `elicitationId` (2026 has none).
 */
function bridged(request: { method: string; params?: Record<string, unknown> }): BridgedQuestion {
  if (!request.params) return { method: request.method };
  let params = request.params;
  if (isRecord(params._meta) && Object.hasOwn(params._meta, "progressToken")) {
    const { progressToken: _token, ...meta } = params._meta;
    const { _meta: _old, ...rest } = params;
    params = Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
  }
  if (request.method === "elicitation/create" && params.mode === "url") {
    const { elicitationId: _dropped, ...rest } = params;
    params = rest;
  }
  return { method: request.method, params };
}
