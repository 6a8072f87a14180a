/** Shapes of the results control tools return: JSON text a model can read, or a one-line refusal. */
import type { CallToolResult } from "@modelcontextprotocol/server";

/** A successful control-tool result: pretty JSON text plus the same object as structured content. */
export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/** A tool error: what went wrong and what to do instead, in one line. */
export function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}
