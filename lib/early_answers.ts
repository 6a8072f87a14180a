/**
 * The early-answer record (issue 13, cold start): what a stdio `serve` answered to a client's
 * `initialize` and first complete `tools/list`, kept beside state.json so that the next `serve`
 * of the same config, selection and version can answer the same client's handshake from it while
 * the broker is still loading (lib/early_stdio.ts), and correct itself with
 * `notifications/tools/list_changed` if the real list turns out different.
 *
 * An answer is keyed by the files the start read (digests of the config file's and state.json's
 * bytes, and the broker's version: `AnswerKeys`) and by a digest of the client's `initialize`
 * params: the client's name, version, capabilities and protocol version all shape the broker's
 * answers (tool search exposure depends on the client's name, the protocol version on what it
 * asked for). What is stored is what the client was sent, after redaction.
 *
 * Plain Deno APIs only: the CLI's entry reads this before anything heavy is loaded.
 */
import { sha256Hex } from "./sha256_sync.ts";
import { canonicalJson, isRecord } from "./values.ts";

const FORMAT = 1;
/** Clients remembered per config (say, a desktop app and an editor sharing one config). */
const MAX_CLIENTS = 4;

/** What a record is valid for: the broker's version and digests of the config and state files. */
export interface AnswerKeys {
  broker: string;
  config: string;
  state: string;
}

/** The keys for these file contents (`state` undefined: there is no state file). */
export async function answerKeys(
  config: Uint8Array<ArrayBuffer>,
  state: Uint8Array<ArrayBuffer> | undefined,
  broker: string,
): Promise<AnswerKeys> {
  return {
    broker,
    config: await sha256(config),
    state: state === undefined ? "none" : await sha256(state),
  };
}

/** Whether keys were made for exactly these files and this broker. */
export function sameKeys(a: AnswerKeys, b: AnswerKeys): boolean {
  return a.broker === b.broker && a.config === b.config && a.state === b.state;
}

/** What one client was answered. */
export interface EarlyAnswer {
  /** `clientDigest` of its initialize params. */
  client: string;
  /** The `initialize` result it was sent. */
  initialize: Record<string, unknown>;
  /** The result of its first `tools/list` (no cursor), every account's tools in it. */
  tools: Record<string, unknown>;
}

/** The record as written to disk. */
export interface EarlyAnswers {
  format: typeof FORMAT;
  keys: AnswerKeys;
  answers: EarlyAnswer[];
}

/**
 * A digest of a client's initialize params: the same client asking the same way gives the same
 * one. Synchronous: it is computed while the broker's modules load (see lib/sha256_sync.ts).
 */
export function clientDigest(params: unknown): string {
  return sha256Hex(new TextEncoder().encode(canonicalJson(params)));
}

/** The answer recorded for this client under these keys, if any. */
export function answerFor(
  record: EarlyAnswers | undefined,
  keys: AnswerKeys,
  client: string,
): EarlyAnswer | undefined {
  if (!record || !sameKeys(record.keys, keys)) return undefined;
  return record.answers.find((answer) => answer.client === client);
}

/**
 * The record with this answer in it (first), for these keys: answers made under other keys are
 * dropped, the same client's older answer replaced, and only the most recent clients kept.
 */
export function withAnswer(
  record: EarlyAnswers | undefined,
  keys: AnswerKeys,
  answer: EarlyAnswer,
): EarlyAnswers {
  const kept = record && sameKeys(record.keys, keys)
    ? record.answers.filter((a) => a.client !== answer.client)
    : [];
  return { format: FORMAT, keys, answers: [answer, ...kept].slice(0, MAX_CLIENTS) };
}

/** The text of a record: one JSON document. */
export function formatEarlyAnswers(record: EarlyAnswers): string {
  return `${JSON.stringify(record)}\n`;
}

/** A record read back, or undefined when the text is not one this version wrote. */
export function parseEarlyAnswers(text: string): EarlyAnswers | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || raw.format !== FORMAT || !Array.isArray(raw.answers)) return undefined;
  const keys = readAnswerKeys(raw.keys);
  if (!keys) return undefined;
  const answers: EarlyAnswer[] = [];
  for (const answer of raw.answers) {
    if (!isRecord(answer) || typeof answer.client !== "string") return undefined;
    const { initialize, tools } = answer;
    if (!isRecord(initialize) || !isRecord(tools) || !Array.isArray(tools.tools)) return undefined;
    answers.push({ client: answer.client, initialize, tools });
  }
  return { format: FORMAT, keys, answers };
}

/** Keys read back from a record, or undefined when they are not keys. */
function readAnswerKeys(value: unknown): AnswerKeys | undefined {
  if (!isRecord(value)) return undefined;
  const { broker, config, state } = value;
  if (typeof broker !== "string" || typeof config !== "string" || typeof state !== "string") return undefined;
  return { broker, config, state };
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return digest.toHex();
}
