/**
 * Upstream results are relayed as they came (the upstream's SDK built them; re-validating every
 * field would cost each call), but before one is handed to the SDK server as a typed result the
 * field that type cannot do without is checked, so a malformed reply becomes a clear error
 * instead of something a client chokes on.
 */
import {
  type CallToolResult,
  type CompleteResult,
  type GetPromptResult,
  type InputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  type ReadResourceResult,
} from "@modelcontextprotocol/server";
import { isRecord } from "../values.ts";

function isInputRequired(result: Record<string, unknown>): result is InputRequiredResult {
  return result.resultType === "input_required";
}

function malformed(method: string, field: string): ProtocolError {
  return new ProtocolError(
    ProtocolErrorCode.InternalError,
    `the upstream answered ${method} without a valid "${field}"; the result cannot be relayed`,
  );
}

/** A `tools/call` result. */
export function toolResult(result: Record<string, unknown>): CallToolResult | InputRequiredResult {
  if (isInputRequired(result)) return result;
  if (!Array.isArray(result.content)) throw malformed("tools/call", "content");
  return result as CallToolResult;
}

/** A `resources/read` result. */
export function readResult(result: Record<string, unknown>): ReadResourceResult | InputRequiredResult {
  if (isInputRequired(result)) return result;
  if (!Array.isArray(result.contents)) throw malformed("resources/read", "contents");
  return result as ReadResourceResult;
}

/** A `prompts/get` result. */
export function promptResult(result: Record<string, unknown>): GetPromptResult | InputRequiredResult {
  if (isInputRequired(result)) return result;
  if (!Array.isArray(result.messages)) throw malformed("prompts/get", "messages");
  return result as GetPromptResult;
}

/** A `completion/complete` result. */
export function completionResult(result: Record<string, unknown>): CompleteResult {
  if (!isRecord(result.completion) || !Array.isArray(result.completion.values)) {
    throw malformed("completion/complete", "completion.values");
  }
  return result as CompleteResult;
}
