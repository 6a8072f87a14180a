/** What `install` and `uninstall` print for people (the --json forms are built beside the commands). */
import {
  type ChangeResult,
  type ClientTarget,
  ENTRY_NAME,
  type LaunchSpec,
  quoteCommand,
} from "../clients/mod.ts";

const VERBS: Record<ChangeResult["action"], string> = {
  added: "added",
  updated: "updated",
  removed: "removed",
  unchanged: "already configured; nothing changed in",
  absent: "not configured; nothing to remove in",
};

/** The human report of one install or uninstall. */
export function reportChange(
  target: ClientTarget,
  result: ChangeResult,
  spec: LaunchSpec | undefined,
  os: typeof Deno.build.os,
): string {
  const lines: string[] = [];
  const changes = result.action !== "unchanged" && result.action !== "absent";
  if (result.commands !== undefined && changes) {
    const commands = result.commands.map((argv) => `  ${quoteCommand(argv, os)}`);
    if (result.manual) {
      lines.push(`${target.title}: "claude" is not on PATH. Run this to finish:`, ...commands);
      return `${lines.join("\n")}\n`;
    }
    lines.push(`${target.title}: ${result.dryRun ? "would run" : "ran"}:`, ...commands);
  } else if (result.dryRun && changes) {
    lines.push(
      result.diff.trimEnd(),
      `${target.title}: would be ${VERBS[result.action]} (dry run: nothing written)`,
    );
    return `${lines.join("\n")}\n`;
  } else {
    const where =
      { added: " to", updated: " in", removed: " from", unchanged: "", absent: "" }[result.action];
    lines.push(`${target.title}: ${ENTRY_NAME} ${VERBS[result.action]}${where} ${result.path}`);
  }
  if (result.backup !== undefined) lines.push(`  backup: ${result.backup}`);
  if (spec !== undefined && result.action !== "removed") {
    lines.push(`  starts: ${quoteCommand([spec.command, ...spec.args], os)}`);
    for (const [name, value] of Object.entries(spec.env)) lines.push(`  with ${name}=${value}`);
  }
  if (changes && !result.dryRun) lines.push(`Restart the client to pick it up — ${target.restartHint}.`);
  return `${lines.join("\n")}\n`;
}

/** `install print`: the stdio entry and the HTTP form, for any client not in the list. */
export function snippetText(stdio: unknown, http: unknown, httpCommand: string): string {
  return `For a client that starts MCP servers itself (stdio), add to its MCP config:

${JSON.stringify(stdio, null, 2)}

For a client that connects to a URL (Streamable HTTP), keep JanusMCP running with
  ${httpCommand}
and point the client at:

${JSON.stringify(http, null, 2)}

Some clients name the object "servers" (VS Code) or "context_servers" (Zed) instead of "mcpServers".
`;
}
