/**
 * The `janus_*` control tools: their definitions (what the model sees) and argument parsing.
 * What they do lives in the broker; this module only turns a call into a typed action.
 */
import type { Tool } from "@modelcontextprotocol/server";
import { z } from "zod";

/** Where a switch applies. */
export type SwitchScope = "session" | "global";

/** A parsed control-tool call. */
export type ControlAction =
  | { kind: "list_accounts" }
  | { kind: "whoami" }
  | { kind: "use_account"; accountId: string; scope?: SwitchScope }
  | { kind: "use_profile"; profile: string; scope?: SwitchScope }
  | { kind: "with_account"; accountId: string; tool?: string; arguments: Record<string, unknown> }
  | { kind: "login"; accountId: string };

const scopeProperty = {
  type: "string",
  enum: ["session", "global"],
  description:
    'Where the switch applies: this conversation only (`session`, needs bindingMode "session") or every conversation (`global`, persisted). Defaults to the binding mode\'s own scope.',
};

/** The control tools, as listed to clients. */
export const CONTROL_TOOLS: Tool[] = [
  {
    name: "janus_list_accounts",
    title: "List accounts",
    description:
      "List every configured account (id, service, label) and profile, and which ones this conversation is using.",
    inputSchema: { type: "object", properties: {}, additionalProperties: false },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  {
    name: "janus_whoami",
    title: "Current identity",
    description:
      "Show which account or profile this conversation's tools act as, and why (session choice, global choice or default).",
    inputSchema: { type: "object", properties: {}, additionalProperties: false },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  {
    name: "janus_use_account",
    title: "Switch account",
    description:
      "Switch the tools of this conversation to another account of a service. The tool list changes; call tools again after switching.",
    inputSchema: {
      type: "object",
      properties: {
        account_id: { type: "string", description: "The account id, as shown by janus_list_accounts." },
        scope: scopeProperty,
      },
      required: ["account_id"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  {
    name: "janus_use_profile",
    title: "Switch profile",
    description:
      "Switch this conversation to a profile: a named set of accounts (for example one client's GitHub, Slack and database) used together.",
    inputSchema: {
      type: "object",
      properties: {
        profile: { type: "string", description: "The profile name, as shown by janus_list_accounts." },
        scope: scopeProperty,
      },
      required: ["profile"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  {
    name: "janus_with_account",
    title: "One call as another account",
    description:
      "Run one tool on another account without switching. Without `tool`, lists that account's tools and their input schemas.",
    inputSchema: {
      type: "object",
      properties: {
        account_id: { type: "string", description: "The account to act as for this one call." },
        tool: { type: "string", description: "The tool name as that account's server names it." },
        arguments: { type: "object", description: "Arguments for the tool.", additionalProperties: true },
      },
      required: ["account_id"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, openWorldHint: true },
  },
  {
    name: "janus_login",
    title: "Log an account in",
    description:
      "Log a remote OAuth account in (or in again): opens the login page in the browser on the machine running JanusMCP (and shows the URL to you when this client can display it), then waits until the login completes or times out (5 minutes).",
    inputSchema: {
      type: "object",
      properties: { account_id: { type: "string", description: "The account to log in." } },
      required: ["account_id"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  },
];

/** The names of the control tools; upstream tools never take them. */
export const CONTROL_TOOL_NAMES: ReadonlySet<string> = new Set(CONTROL_TOOLS.map((t) => t.name));

const scope = z.enum(["session", "global"]).optional();
const schemas = {
  janus_list_accounts: z.object({}).passthrough(),
  janus_whoami: z.object({}).passthrough(),
  janus_use_account: z.object({ account_id: z.string().min(1), scope }),
  janus_use_profile: z.object({ profile: z.string().min(1), scope }),
  janus_login: z.object({ account_id: z.string().min(1) }),
  janus_with_account: z.object({
    account_id: z.string().min(1),
    tool: z.string().min(1).optional(),
    arguments: z.record(z.string(), z.unknown()).optional(),
  }),
};

/** Parses a control-tool call into an action, or returns a one-line problem with the arguments. */
export function parseControlCall(
  name: string,
  args: Record<string, unknown> | undefined,
): { ok: true; action: ControlAction } | { ok: false; problem: string } {
  const input = args ?? {};
  switch (name) {
    case "janus_list_accounts":
      return { ok: true, action: { kind: "list_accounts" } };
    case "janus_whoami":
      return { ok: true, action: { kind: "whoami" } };
    case "janus_use_account": {
      const parsed = schemas.janus_use_account.safeParse(input);
      if (!parsed.success) return { ok: false, problem: describeIssues(name, parsed.error) };
      return {
        ok: true,
        action: { kind: "use_account", accountId: parsed.data.account_id, scope: parsed.data.scope },
      };
    }
    case "janus_use_profile": {
      const parsed = schemas.janus_use_profile.safeParse(input);
      if (!parsed.success) return { ok: false, problem: describeIssues(name, parsed.error) };
      return {
        ok: true,
        action: { kind: "use_profile", profile: parsed.data.profile, scope: parsed.data.scope },
      };
    }
    case "janus_with_account": {
      const parsed = schemas.janus_with_account.safeParse(input);
      if (!parsed.success) return { ok: false, problem: describeIssues(name, parsed.error) };
      return {
        ok: true,
        action: {
          kind: "with_account",
          accountId: parsed.data.account_id,
          tool: parsed.data.tool,
          arguments: parsed.data.arguments ?? {},
        },
      };
    }
    case "janus_login": {
      const parsed = schemas.janus_login.safeParse(input);
      if (!parsed.success) return { ok: false, problem: describeIssues(name, parsed.error) };
      return { ok: true, action: { kind: "login", accountId: parsed.data.account_id } };
    }
    default:
      return { ok: false, problem: `"${name}" is not a control tool` };
  }
}

function describeIssues(tool: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => `${issue.path.join(".") || "arguments"}: ${issue.message}`);
  return `${tool}: invalid arguments — ${issues.join("; ")}`;
}
