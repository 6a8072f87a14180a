/**
 * The clients JanusMCP installs into: where each keeps its user-level MCP config on each OS and
 * the entry shape it expects. Locations follow each client's own documentation (Claude Desktop:
 * claude_desktop_config.json; VS Code: the user profile's mcp.json; Zed: settings.json
 * `context_servers`; Codex: `$CODEX_HOME/config.toml`; Claude Code: `claude mcp`).
 */
import { posix, win32 } from "node:path";
import { JanusError } from "../errors.ts";
import type { ClientEnvironment, ClientTarget, LaunchSpec } from "./types.ts";

function pathFor(os: typeof Deno.build.os): typeof posix {
  return os === "windows" ? win32 : posix;
}

function envValue(environment: ClientEnvironment, name: string): string | undefined {
  const value = environment.env(name);
  return value === undefined || value === "" ? undefined : value;
}

/** `%APPDATA%` on Windows (falling back to the home's Roaming folder). */
function appData(environment: ClientEnvironment): string {
  return envValue(environment, "APPDATA") ?? win32.join(environment.home, "AppData", "Roaming");
}

/** `$XDG_CONFIG_HOME` when absolute (the XDG spec says to ignore a relative one), else `~/.config`. */
function xdgConfig(environment: ClientEnvironment): string {
  const xdg = envValue(environment, "XDG_CONFIG_HOME");
  return xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(environment.home, ".config");
}

/** The per-OS application config folder: Application Support, %APPDATA%, or the XDG config dir. */
function appConfigDir(environment: ClientEnvironment): string {
  if (environment.os === "darwin") return posix.join(environment.home, "Library", "Application Support");
  if (environment.os === "windows") return appData(environment);
  return xdgConfig(environment);
}

/** A file under the home directory, joined for the OS. */
function inHome(environment: ClientEnvironment, ...parts: string[]): string {
  return pathFor(environment.os).join(environment.home, ...parts);
}

/** The common `{command, args, env}` stdio entry (env left out when empty). */
function plainEntry(spec: LaunchSpec): Record<string, unknown> {
  return {
    command: spec.command,
    args: spec.args,
    ...(Object.keys(spec.env).length > 0 ? { env: spec.env } : {}),
  };
}

const RESTART_APP = "quit and reopen it";

/** Every install target, in the order `install list` shows them. */
export const CLIENT_TARGETS: readonly ClientTarget[] = [
  {
    id: "claude-desktop",
    title: "Claude Desktop",
    format: "json",
    // Linux has no official build; community builds read the same file under the XDG config dir.
    configPath: (e) => pathFor(e.os).join(appConfigDir(e), "Claude", "claude_desktop_config.json"),
    containerPath: ["mcpServers"],
    entry: plainEntry,
    restartHint:
      `Claude Desktop: ${RESTART_APP} (closing the window is not enough; quit from the tray/menu bar)`,
  },
  {
    id: "claude-code",
    title: "Claude Code",
    format: "cli",
    // `claude mcp add --scope user` writes here; CLAUDE_CONFIG_DIR moves it.
    configPath: (e) => {
      const dir = envValue(e, "CLAUDE_CONFIG_DIR");
      return dir === undefined ? inHome(e, ".claude.json") : pathFor(e.os).join(dir, ".claude.json");
    },
    containerPath: ["mcpServers"],
    entry: (spec) => ({ type: "stdio", ...plainEntry(spec) }),
    restartHint: "Claude Code: start a new session (check with /mcp)",
  },
  {
    id: "cursor",
    title: "Cursor",
    format: "json",
    configPath: (e) => inHome(e, ".cursor", "mcp.json"),
    containerPath: ["mcpServers"],
    entry: plainEntry,
    restartHint: "Cursor: reload the window, or toggle the server in Settings → MCP",
  },
  {
    id: "vscode",
    title: "VS Code",
    format: "json",
    configPath: (e) => pathFor(e.os).join(appConfigDir(e), "Code", "User", "mcp.json"),
    containerPath: ["servers"],
    entry: (spec) => ({ type: "stdio", ...plainEntry(spec) }),
    restartHint: 'VS Code: run "MCP: List Servers" and start janusmcp, or reload the window',
  },
  {
    id: "windsurf",
    title: "Windsurf",
    format: "json",
    configPath: (e) => inHome(e, ".codeium", "windsurf", "mcp_config.json"),
    containerPath: ["mcpServers"],
    entry: plainEntry,
    restartHint: "Windsurf: press Refresh in Cascade's MCP panel, or restart Windsurf",
  },
  {
    id: "gemini",
    title: "Gemini CLI",
    format: "json",
    configPath: (e) => inHome(e, ".gemini", "settings.json"),
    containerPath: ["mcpServers"],
    entry: plainEntry,
    restartHint: "Gemini CLI: restart it (check with /mcp)",
  },
  {
    id: "codex",
    title: "Codex",
    format: "toml",
    configPath: (e) => {
      const dir = envValue(e, "CODEX_HOME");
      return dir === undefined ? inHome(e, ".codex", "config.toml") : pathFor(e.os).join(dir, "config.toml");
    },
    containerPath: ["mcp_servers"],
    entry: plainEntry,
    restartHint: "Codex: restart the CLI, IDE extension or app (check with /mcp)",
  },
  {
    id: "zed",
    title: "Zed",
    format: "json",
    configPath: (e) =>
      e.os === "windows"
        ? win32.join(appData(e), "Zed", "settings.json")
        : posix.join(xdgConfig(e), "zed", "settings.json"),
    containerPath: ["context_servers"],
    entry: (spec) => ({ command: spec.command, args: spec.args, env: spec.env }),
    restartHint: "Zed: the agent panel picks up settings.json changes; restart Zed if janusmcp is not listed",
  },
];

/** The target with this id, or a usage error listing the ones that exist. */
export function findTarget(id: string): ClientTarget {
  const target = CLIENT_TARGETS.find((t) => t.id === id);
  if (target === undefined) {
    throw new JanusError(
      "usage",
      `unknown client "${id}"; choose one of: ${CLIENT_TARGETS.map((t) => t.id).join(", ")} ` +
        `(or "janusmcp install print" for any other client)`,
    );
  }
  return target;
}
