import assert from "node:assert/strict";
import { CLIENT_TARGETS, findTarget } from "../../lib/clients/targets.ts";
import type { ClientEnvironment } from "../../lib/clients/types.ts";
import { JanusError } from "../../lib/errors.ts";

function environment(
  os: typeof Deno.build.os,
  home: string,
  vars: Record<string, string> = {},
): ClientEnvironment {
  return { os, home, env: (name) => vars[name] };
}

const LINUX = environment("linux", "/home/ada");
const MAC = environment("darwin", "/Users/ada");
const WINDOWS = environment("windows", "C:\\Users\\Ada", { APPDATA: "C:\\Users\\Ada\\AppData\\Roaming" });

const EXPECTED: Record<string, [string, string, string]> = {
  "claude-desktop": [
    "/home/ada/.config/Claude/claude_desktop_config.json",
    "/Users/ada/Library/Application Support/Claude/claude_desktop_config.json",
    "C:\\Users\\Ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json",
  ],
  "claude-code": ["/home/ada/.claude.json", "/Users/ada/.claude.json", "C:\\Users\\Ada\\.claude.json"],
  cursor: ["/home/ada/.cursor/mcp.json", "/Users/ada/.cursor/mcp.json", "C:\\Users\\Ada\\.cursor\\mcp.json"],
  vscode: [
    "/home/ada/.config/Code/User/mcp.json",
    "/Users/ada/Library/Application Support/Code/User/mcp.json",
    "C:\\Users\\Ada\\AppData\\Roaming\\Code\\User\\mcp.json",
  ],
  windsurf: [
    "/home/ada/.codeium/windsurf/mcp_config.json",
    "/Users/ada/.codeium/windsurf/mcp_config.json",
    "C:\\Users\\Ada\\.codeium\\windsurf\\mcp_config.json",
  ],
  gemini: [
    "/home/ada/.gemini/settings.json",
    "/Users/ada/.gemini/settings.json",
    "C:\\Users\\Ada\\.gemini\\settings.json",
  ],
  codex: [
    "/home/ada/.codex/config.toml",
    "/Users/ada/.codex/config.toml",
    "C:\\Users\\Ada\\.codex\\config.toml",
  ],
  zed: [
    "/home/ada/.config/zed/settings.json",
    "/Users/ada/.config/zed/settings.json",
    "C:\\Users\\Ada\\AppData\\Roaming\\Zed\\settings.json",
  ],
};

Deno.test("every client's config file is at its documented place on Linux, macOS and Windows", () => {
  assert.deepEqual(CLIENT_TARGETS.map((t) => t.id).sort(), Object.keys(EXPECTED).sort());
  for (const target of CLIENT_TARGETS) {
    const [linux, mac, windows] = EXPECTED[target.id];
    assert.equal(target.configPath(LINUX), linux, `${target.id} on Linux`);
    assert.equal(target.configPath(MAC), mac, `${target.id} on macOS`);
    assert.equal(target.configPath(WINDOWS), windows, `${target.id} on Windows`);
  }
});

Deno.test("XDG_CONFIG_HOME, CODEX_HOME and CLAUDE_CONFIG_DIR move the files that follow them", () => {
  const moved = environment("linux", "/home/ada", {
    XDG_CONFIG_HOME: "/xdg",
    CODEX_HOME: "/codex home",
    CLAUDE_CONFIG_DIR: "/claude",
  });
  assert.equal(findTarget("vscode").configPath(moved), "/xdg/Code/User/mcp.json");
  assert.equal(findTarget("zed").configPath(moved), "/xdg/zed/settings.json");
  assert.equal(findTarget("claude-desktop").configPath(moved), "/xdg/Claude/claude_desktop_config.json");
  assert.equal(findTarget("codex").configPath(moved), "/codex home/config.toml");
  assert.equal(findTarget("claude-code").configPath(moved), "/claude/.claude.json");
  // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
  const relative = environment("linux", "/home/ada", { XDG_CONFIG_HOME: "rel" });
  assert.equal(findTarget("zed").configPath(relative), "/home/ada/.config/zed/settings.json");
});

Deno.test("each client gets the entry shape it documents", () => {
  const spec = { command: "/x/janusmcp", args: ["serve"], env: {} };
  assert.deepEqual(findTarget("cursor").entry(spec), { command: "/x/janusmcp", args: ["serve"] });
  assert.deepEqual(findTarget("vscode").entry(spec), {
    type: "stdio",
    command: "/x/janusmcp",
    args: ["serve"],
  });
  assert.deepEqual(findTarget("zed").entry(spec), { command: "/x/janusmcp", args: ["serve"], env: {} });
  const pinned = { ...spec, env: { JANUS_CONFIG: "/c.json" } };
  assert.deepEqual(findTarget("gemini").entry(pinned), { ...spec, env: { JANUS_CONFIG: "/c.json" } });
  assert.equal(findTarget("vscode").containerPath[0], "servers");
  assert.equal(findTarget("zed").containerPath[0], "context_servers");
  assert.equal(findTarget("codex").format, "toml");
  assert.equal(findTarget("claude-code").format, "cli");
});

Deno.test("an unknown client is a usage error that lists the known ones", () => {
  try {
    findTarget("notepad");
    assert.fail("expected an error");
  } catch (error) {
    assert.ok(error instanceof JanusError);
    assert.equal(error.code, "usage");
    assert.match(
      error.message,
      /unknown client "notepad"; choose one of: claude-desktop, claude-code, cursor/,
    );
  }
});
