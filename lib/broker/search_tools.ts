/**
 * The two tool-search tools a session sees in `search` exposure, `janus_search_tools` and
 * `janus_call_tool`: their definitions and argument parsing. What they do is in search_actions.ts.
 */
import type { Tool } from "@modelcontextprotocol/server";
import { z } from "zod";
import { CONTROL_TOOL_NAMES } from "./control_tools.ts";

/** The most hits one search returns. */
export const MAX_SEARCH_LIMIT = 20;

/** A parsed search-tool call. */
export type SearchAction =
  | { kind: "search_tools"; query: string; account?: string; limit?: number }
  | { kind: "call_tool"; name: string; arguments: Record<string, unknown>; account?: string };

/** The search tools, as listed to clients in `search` exposure. */
export const SEARCH_TOOLS: Tool[] = [
  {
    name: "janus_search_tools",
    title: "Search tools",
    description:
      "Find the tools for a task among every tool of this conversation's accounts (they are not all listed, to save context). Describe the task in a few words; returns the best matches with their input schemas. Then call one with janus_call_tool.",
    inputSchema: {
      type: "object",
      properties: {
        query: { type: "string", description: 'What you want to do, e.g. "open an issue" or "list files".' },
        account: { type: "string", description: "Only this account's tools (an account id)." },
        limit: {
          type: "integer",
          minimum: 1,
          maximum: MAX_SEARCH_LIMIT,
          description: "At most this many (5).",
        },
      },
      required: ["query"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  {
    name: "janus_call_tool",
    title: "Call a tool",
    description:
      "Call a tool found with janus_search_tools, by the name it returned, with arguments that follow its input schema. Pass `account` when the search result named one outside this conversation's accounts.",
    inputSchema: {
      type: "object",
      properties: {
        name: { type: "string", description: "The tool name, as janus_search_tools returned it." },
        arguments: { type: "object", description: "Arguments for the tool.", additionalProperties: true },
        account: { type: "string", description: "The account the tool belongs to (an account id)." },
      },
      required: ["name"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, openWorldHint: true },
  },
];

/** The names of the search tools. */
export const SEARCH_TOOL_NAMES: ReadonlySet<string> = new Set(SEARCH_TOOLS.map((t) => t.name));

/** Every name the broker itself answers to; upstream tools never take one. */
export const RESERVED_TOOL_NAMES: ReadonlySet<string> = new Set([
  ...CONTROL_TOOL_NAMES,
  ...SEARCH_TOOL_NAMES,
]);

const schemas = {
  janus_search_tools: z.object({
    query: z.string().trim().min(1, "describe the task in a few words"),
    account: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional(),
  }),
  janus_call_tool: z.object({
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).optional(),
    account: z.string().min(1).optional(),
  }),
};

/** Parses a search-tool call into an action, or returns a one-line problem with the arguments. */
export function parseSearchCall(
  name: string,
  args: Record<string, unknown> | undefined,
): { ok: true; action: SearchAction } | { ok: false; problem: string } {
  if (name === "janus_search_tools") {
    const parsed = schemas.janus_search_tools.safeParse(args ?? {});
    if (!parsed.success) return { ok: false, problem: describeIssues(name, parsed.error) };
    return { ok: true, action: { kind: "search_tools", ...parsed.data } };
  }
  if (name === "janus_call_tool") {
    const parsed = schemas.janus_call_tool.safeParse(args ?? {});
    if (!parsed.success) return { ok: false, problem: describeIssues(name, parsed.error) };
    const { arguments: toolArguments, ...rest } = parsed.data;
    return { ok: true, action: { kind: "call_tool", ...rest, arguments: toolArguments ?? {} } };
  }
  return { ok: false, problem: `"${name}" is not a search tool` };
}

function describeIssues(tool: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => `${issue.path.join(".") || "arguments"}: ${issue.message}`);
  return `${tool}: invalid arguments — ${issues.join("; ")}`;
}
