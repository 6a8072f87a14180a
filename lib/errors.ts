/**
 * The broker's error vocabulary, in one table: every failure is a JanusError with a code, and
 * each code says once which process exit code the CLI returns, which JSON-RPC code a client
 * receives, and whether a model sees it as a tool error (it can read it and act) or as a
 * protocol error (the request itself was wrong). Nothing matches on message strings.
 */

/** JSON-RPC error codes the broker sends (the standard ones and its own). */
export const JSON_RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  invalidParams: -32602,
  internalError: -32603,
  /** Broker-defined: an unknown or expired HTTP session, or a missing/wrong bearer token. */
  unauthorizedOrUnknownSession: -32001,
  /** Broker-defined: too many HTTP sessions are open (503 with Retry-After). */
  serverBusy: -32000,
  /** The HTTP transport refused a request's form (method, Accept, Content-Type, session header). */
  transportRefused: -32000,
  /** SEP-2243: `Mcp-Param-*` headers disagree with the request's arguments. */
  headerMismatch: -32020,
} as const;

/** How one kind of failure reaches each audience. */
interface ErrorKind {
  /** The CLI's exit code (DESIGN §5). */
  exit: number;
  /** The JSON-RPC code a client receives when the failure is a protocol error. */
  jsonRpc: number;
  /** `tool`: in `tools/call`, an `isError` result the model reads; `protocol`: a JSON-RPC error. */
  surface: "tool" | "protocol";
}

/** Per error code: exit code, JSON-RPC code and how a model sees it. */
const ERROR_TABLE = {
  generic: { exit: 1, jsonRpc: JSON_RPC.internalError, surface: "tool" },
  usage: { exit: 2, jsonRpc: JSON_RPC.invalidParams, surface: "protocol" },
  // A bad or incomplete config found while serving (a missing ${ENV} at upstream start) is the
  // server's fault, not the request's: internal error, never "invalid params".
  config: { exit: 3, jsonRpc: JSON_RPC.internalError, surface: "tool" },
  selector: { exit: 3, jsonRpc: JSON_RPC.invalidParams, surface: "protocol" },
  /** A tool name several accounts of a profile share, called without saying which (agent CLI). */
  ambiguous_tool: { exit: 3, jsonRpc: JSON_RPC.invalidParams, surface: "protocol" },
  auth: { exit: 4, jsonRpc: JSON_RPC.internalError, surface: "tool" },
  upstream: { exit: 5, jsonRpc: JSON_RPC.internalError, surface: "tool" },
  /** `JANUS_DAEMON=require` and no usable daemon (agent CLI). */
  daemon_unavailable: { exit: 5, jsonRpc: JSON_RPC.internalError, surface: "tool" },
  tool_error: { exit: 6, jsonRpc: JSON_RPC.internalError, surface: "tool" },
  input_required: { exit: 7, jsonRpc: JSON_RPC.invalidParams, surface: "protocol" },
  timeout: { exit: 124, jsonRpc: JSON_RPC.internalError, surface: "tool" },
  interrupted: { exit: 130, jsonRpc: JSON_RPC.internalError, surface: "protocol" },
} as const satisfies Record<string, ErrorKind>;

/** What went wrong, in the terms a caller can act on. */
export type ErrorCode = keyof typeof ERROR_TABLE;

/** An error with a code; its message is written for the person (or model) who must act on it. */
export class JanusError extends Error {
  constructor(readonly code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JanusError";
  }
}

/** Whether a value (a code read back from JSON, say) is one of the error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_TABLE, value);
}

/** The process exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  return ERROR_TABLE[code].exit;
}

/** The JSON-RPC error code a client receives for an error code. */
export function jsonRpcCodeFor(code: ErrorCode): number {
  return ERROR_TABLE[code].jsonRpc;
}

/** Whether a failure inside `tools/call` is shown to the model as a tool error (else a protocol error). */
export function isToolFailure(code: ErrorCode): boolean {
  return ERROR_TABLE[code].surface === "tool";
}

/** Normalises anything thrown into a JanusError (unknown failures become `generic`). */
export function toJanusError(error: unknown): JanusError {
  if (error instanceof JanusError) return error;
  if (error instanceof Error) return new JanusError("generic", error.message, { cause: error });
  return new JanusError("generic", String(error));
}

/** The human message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `--json` error envelope the CLI prints on stderr. */
export function errorEnvelope(error: JanusError): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code: error.code, message: error.message } };
}
