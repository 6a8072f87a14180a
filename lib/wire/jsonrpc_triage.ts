/**
 * Sorting one received frame into a JSON-RPC message or a readable complaint (pure). A frame
 * that is not a valid message but carries a readable `id` gets an error answer; one without a
 * readable id cannot be answered and is only counted.
 */
import { isRecord } from "../values.ts";
import { JSON_RPC } from "../errors.ts";
import { type JSONRPCMessage, parseJSONRPCMessage } from "@modelcontextprotocol/server";

/** JSON-RPC error codes used for frames the broker refuses. */

/** Ids longer than this are not echoed back (a megabyte id is not "readable"). */
const MAX_ECHOED_ID_CHARS = 1024;

/** What a frame turned out to be. */
export type Triage =
  | { kind: "message"; message: JSONRPCMessage }
  | { kind: "invalid"; code: number; problem: string; id?: string | number };

const decoder = new TextDecoder(); // invalid UTF-8 becomes U+FFFD, then fails JSON or shape checks

/** Parses and checks one frame. */
export function triageFrame(bytes: Uint8Array): Triage {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    return {
      kind: "invalid",
      code: JSON_RPC.parseError,
      problem: "parse error: the frame is not valid JSON",
    };
  }
  return triageValue(value);
}

/** Checks one parsed JSON value (an HTTP body, say). */
export function triageValue(value: unknown): Triage {
  const plain = plainMessage(value);
  if (plain) return { kind: "message", message: plain };
  try {
    return { kind: "message", message: parseJSONRPCMessage(value) };
  } catch {
    const id = readableId(isRecord(value) ? value.id : undefined);
    return {
      kind: "invalid",
      code: JSON_RPC.invalidRequest,
      problem: `invalid request: ${shapeProblem(value)}`,
      ...(id === undefined ? {} : { id }),
    };
  }
}

/** The `_meta` keys the SDK's envelope schema rewrites (strips extra keys, drops invalid values). */
const REWRITTEN_META_KEYS = ["io.modelcontextprotocol/related-task", "io.modelcontextprotocol/serverInfo"];

/**
 * The value itself when it is an ordinary request, notification or result whose envelope the
 * SDK's schema (`parseJSONRPCMessage`, a zod union: 10–30 µs per frame, run again by the SDK on
 * each side) would accept and pass through unchanged; undefined for everything else, which then
 * takes the schema path. Only accepts what the schema accepts, and only where its output would
 * equal the input (tests/wire/jsonrpc_triage_test.ts compares the two).
 */
export function plainMessage(value: unknown): JSONRPCMessage | undefined {
  if (!isPlainRecord(value) || value.jsonrpc !== "2.0") return undefined;
  let keys = 1;
  if ("id" in value) {
    if (!isRequestId(value.id)) return undefined;
    keys++;
  }
  if ("method" in value) {
    if (typeof value.method !== "string") return undefined;
    keys++;
    if ("params" in value) {
      if (!plainParams(value.params)) return undefined;
      keys++;
    }
  } else if ("result" in value && "id" in value) {
    if (!plainResult(value.result)) return undefined;
    keys++;
  } else {
    return undefined; // errors and anything else: rare, and the schema says what is wrong
  }
  // The schema is strict about the envelope: no other key.
  if (Object.keys(value).length !== keys) return undefined;
  return value as JSONRPCMessage;
}

function plainParams(params: unknown): boolean {
  if (!isPlainRecord(params)) return false;
  if (!("_meta" in params)) return true;
  const meta = params._meta;
  if (!isPlainRecord(meta) || REWRITTEN_META_KEYS.some((key) => key in meta)) return false;
  return !("progressToken" in meta) || isRequestId(meta.progressToken);
}

function plainResult(result: unknown): boolean {
  if (!isPlainRecord(result)) return false;
  if (!("_meta" in result)) return true;
  const meta = result._meta;
  return isPlainRecord(meta) && !REWRITTEN_META_KEYS.some((key) => key in meta);
}

/** A string or an integer the schema takes as an id (or progress token). */
function isRequestId(id: unknown): boolean {
  return typeof id === "string" || Number.isSafeInteger(id);
}

/** An object as JSON.parse makes it (the schema's output would be one too). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A request id worth echoing: a short string or a safe integer. */
export function readableId(id: unknown): string | number | undefined {
  if (typeof id === "string" && id.length <= MAX_ECHOED_ID_CHARS) return id;
  if (typeof id === "number" && Number.isSafeInteger(id)) return id;
  return undefined;
}

/** Says briefly what is wrong with a parsed value that is no JSON-RPC message. */
function shapeProblem(value: unknown): string {
  if (!isRecord(value)) return "expected a JSON-RPC object";
  if (value.jsonrpc !== "2.0") return 'expected "jsonrpc": "2.0"';
  if ("method" in value && typeof value.method !== "string") return '"method" must be a string';
  if ("id" in value && readableId(value.id) === undefined) return '"id" must be a string or an integer';
  if ("params" in value && !isRecord(value.params)) return '"params" must be an object';
  return "not a request, notification or response";
}

/**
 * The id of a frame too large to parse, read from its edges: the id is either among the first
 * two keys (`{"jsonrpc":"2.0","id":7,…`) or the last key (`…,"id":7}`), as every SDK writes it.
 */
export function idFromEdges(head: Uint8Array, tail: Uint8Array): string | number | undefined {
  const start = decoder.decode(head);
  const end = decoder.decode(tail);
  const ID = String.raw`"id"\s*:\s*(-?\d{1,16}|"(?:[^"\\]|\\.){0,1024}")`;
  const leading = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?${ID}`).exec(start);
  const trailing = new RegExp(String.raw`${ID}\s*\}\s*$`).exec(end);
  const raw = leading?.[1] ?? trailing?.[1];
  if (raw === undefined) return undefined;
  try {
    return readableId(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/** A JSON-RPC error response. */
export function errorResponse(id: string | number, code: number, message: string): JSONRPCMessage {
  return { jsonrpc: "2.0", id, error: { code, message } };
}
