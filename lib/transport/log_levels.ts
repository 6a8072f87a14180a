/** MCP log levels in order of severity (pure). */
import type { LoggingLevel } from "@modelcontextprotocol/server";

const SEVERITY: Record<LoggingLevel, number> = {
  debug: 0,
  info: 1,
  notice: 2,
  warning: 3,
  error: 4,
  critical: 5,
  alert: 6,
  emergency: 7,
};

/** Whether a message at `level` passes a client's `minimum`. */
export function atLeast(level: LoggingLevel, minimum: LoggingLevel): boolean {
  return SEVERITY[level] >= SEVERITY[minimum];
}

/** Whether a value a client sent is a log level the broker knows. */
export function isLoggingLevel(value: unknown): value is LoggingLevel {
  return typeof value === "string" && Object.hasOwn(SEVERITY, value);
}
