/**
 * How agent replies are printed (pure): plain text for people and shells, one JSON line with
 * `--json`. The same reply prints the same bytes whether it came from the daemon or not.
 */
import type { Tool } from "@modelcontextprotocol/server";
import type { CallReply, SchemaReply, ToolsReply, UseReply } from "../broker/mod.ts";
import { describeSelector } from "../broker/mod.ts";
import { type ErrorCode, isErrorCode, JanusError } from "../errors.ts";

/** What to print on stdout, and the failure to report after it (for the exit code). */
export interface Printed {
  stdout: string;
  error?: JanusError;
}

/**
 * `tools`: a header per account, then each tool's name and first sentence (tools several accounts
 * share first, once); `--json` keys full definitions by account, and lists the shared ones.
 */
export function printTools(reply: ToolsReply, json: boolean): Printed {
  const failed = reply.accounts.find((a) => a.error);
  const error = failed?.error &&
    new JanusError(codeOf(failed.error.code), `account "${failed.id}": ${failed.error.message}`);
  if (json) {
    const accounts = Object.fromEntries(reply.accounts.map(({ id, ...rest }) => [id, rest]));
    const folded = reply.folded ? { folded: reply.folded } : {};
    return { stdout: line({ ok: !error, selector: reply.selector, accounts, ...folded }), error };
  }
  // A tool several accounts share (folded for MCP clients) is printed once, in a block of its own.
  const folded = reply.folded ?? [];
  const sharedBy = new Map<string, { accounts: string[]; tools: Tool[] }>();
  for (const { name, accounts } of folded) {
    const tool = reply.accounts.find((a) => a.id === accounts[0])?.tools?.find((t) => t.name === name);
    if (!tool) continue; // left out by --search
    const key = accounts.join(", ");
    sharedBy.set(key, { accounts, tools: [...sharedBy.get(key)?.tools ?? [], tool] });
  }
  const shared = (accountId: string, name: string) =>
    folded.some((f) => f.name === name && f.accounts.includes(accountId));
  const blocks = [
    ...[...sharedBy].map(([key, group]) => toolBlock(`# ${key} (shared; --account picks one)`, group.tools)),
    ...reply.accounts.map((account) => {
      const head = `# ${account.id} (${account.service})`;
      if (account.error) return `${head} — unavailable: ${account.error.message}\n`;
      return toolBlock(head, (account.tools ?? []).filter((tool) => !shared(account.id, tool.name)));
    }),
  ];
  return { stdout: blocks.join("\n"), error };
}

/** A header with the tool count, then each tool's name and first sentence, aligned. */
function toolBlock(head: string, tools: readonly Tool[]): string {
  const width = Math.max(0, ...tools.map((t) => t.name.length));
  const rows = tools.map((tool) => {
    const summary = firstSentence(tool.description ?? "");
    return summary ? `${tool.name.padEnd(width)}  ${summary}` : tool.name;
  });
  return `${head} — ${tools.length} tool${tools.length === 1 ? "" : "s"}\n${
    rows.map((r) => `${r}\n`).join("")
  }`;
}

/** `schema`: the definition, pretty-printed; `--json` wraps it with its account. */
export function printSchema(reply: SchemaReply, json: boolean): Printed {
  return {
    stdout: json
      ? line({ ok: true, account: reply.account, tool: reply.tool })
      : `${JSON.stringify(reply.tool, null, 2)}\n`,
  };
}

/** `call`: text content one item per line, other content as JSON lines; a tool error exits 6. */
export function printCall(reply: CallReply, json: boolean): Printed {
  const { result } = reply;
  const isError = result.isError === true;
  const content = Array.isArray(result.content) ? result.content as unknown[] : [];
  const error = isError
    ? new JanusError("tool_error", `tool "${reply.tool}" on account "${reply.account}" returned an error`)
    : undefined;
  if (json) {
    return {
      stdout: line({
        ok: !isError,
        account: reply.account,
        tool: reply.tool,
        isError,
        content,
        ...(result.structuredContent === undefined ? {} : { structuredContent: result.structuredContent }),
      }),
      error,
    };
  }
  const lines = content.map((item) => isTextItem(item) ? `${item.text}\n` : `${JSON.stringify(item)}\n`);
  // Structured content only when nothing else was said, so raw output stays what the tool wrote.
  if (lines.length === 0 && result.structuredContent !== undefined) {
    lines.push(`${JSON.stringify(result.structuredContent)}\n`);
  }
  return { stdout: lines.join(""), error };
}

/** `use`: what the global selector is now. */
export function printUse(reply: UseReply, json: boolean): Printed {
  if (json) return { stdout: line({ ok: true, ...withoutOp(reply) }) };
  const lines = [
    `Now using ${describeSelector(reply.selector)} (was ${describeSelector(reply.previous ?? undefined)}).`,
  ];
  if (reply.failedAccounts?.length) lines.push(`Could not start: ${reply.failedAccounts.join("; ")}`);
  if (reply.warning) lines.push(`Warning: ${reply.warning}`);
  return { stdout: lines.map((l) => `${l}\n`).join("") };
}

/** The first sentence of a description, on one line. */
export function firstSentence(description: string): string {
  const flat = description.replace(/\s+/g, " ").trim();
  const end = /[.!?](\s|$)/.exec(flat);
  return end ? flat.slice(0, end.index + 1) : flat;
}

function isTextItem(item: unknown): item is { type: "text"; text: string } {
  return typeof item === "object" && item !== null && (item as { type?: unknown }).type === "text" &&
    typeof (item as { text?: unknown }).text === "string";
}

function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

function withoutOp<T extends { op: string }>(reply: T): Omit<T, "op"> {
  const { op: _op, ...rest } = reply;
  return rest;
}

function codeOf(code: string): ErrorCode {
  return isErrorCode(code) ? code : "upstream";
}
