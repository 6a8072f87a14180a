/**
 * The broker's error vocabulary: every failure is a JanusError with a code, mapped once to a
 * process exit code (CLI) and once to a JSON envelope. Nothing matches on message strings.
 */

/** What went wrong, in the terms a caller can act on. */
export type ErrorCode =
  | "generic"
  | "usage"
  | "config"
  | "selector"
  | "ambiguous_tool"
  | "auth"
  | "upstream"
  | "daemon_unavailable"
  | "tool_error"
  | "input_required"
  | "timeout"
  | "interrupted";

const EXIT_CODES: Record<ErrorCode, number> = {
  generic: 1,
  usage: 2,
  config: 3,
  selector: 3,
  ambiguous_tool: 3,
  auth: 4,
  upstream: 5,
  daemon_unavailable: 5,
  tool_error: 6,
  input_required: 7,
  timeout: 124,
  interrupted: 130,
};

/** An error with a code; its message is written for the person (or model) who must act on it. */
export class JanusError extends Error {
  constructor(readonly code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JanusError";
  }
}

/** The process exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code];
}

/** Whether a string (from the wire, say) is one of the error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(EXIT_CODES, value);
}

/** Normalises anything thrown into a JanusError (unknown failures become `generic`). */
export function toJanusError(error: unknown): JanusError {
  if (error instanceof JanusError) return error;
  if (error instanceof Error) return new JanusError("generic", error.message, { cause: error });
  return new JanusError("generic", String(error));
}

/** The `--json` error envelope the CLI prints on stderr. */
export function errorEnvelope(error: JanusError): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code: error.code, message: error.message } };
}
