/**
 * Claude Code is configured through its own CLI (`claude mcp add-json --scope user`). With the
 * real `claude` (npm @anthropic-ai/claude-code; .ci/run installs it and names it in
 * JANUS_TEST_CLAUDE) against a temporary HOME; without it, the command is printed instead.
 */
import { runInstall } from "./install_run.ts";
import assert from "node:assert/strict";
import type { InstallDeps } from "../../lib/cli/install.ts";
import { claudeCommands, whichOnPath } from "../../lib/clients/mod.ts";

const REPO = new URL("../../", import.meta.url);

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The real claude CLI, if this machine has one. */
const CLAUDE = Deno.env.get("JANUS_TEST_CLAUDE") ??
  whichOnPath("claude", (name) => Deno.env.get(name), Deno.build.os, isFile);

async function setup(claude: string | undefined): Promise<{ home: string; deps: InstallDeps }> {
  const home = await Deno.makeTempDir({ prefix: "janus home " });
  const deps: InstallDeps = {
    env: (name) => ({ HOME: home, PATH: "" } as Record<string, string>)[name],
    os: Deno.build.os,
    cwd: home,
    execPath: Deno.execPath(),
    mainModule: new URL("main.ts", REPO).href,
    exists: isFile,
    runner: {
      which: (name) => name === "claude" ? claude : undefined,
      async run(command, args) {
        const output = await new Deno.Command(command, {
          args,
          // The CLI keeps its user config in $HOME/.claude.json: the temp HOME.
          env: { HOME: home, PATH: Deno.env.get("PATH") ?? "" },
          clearEnv: true,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
        const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
        return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
      },
    },
  };
  return { home, deps };
}

async function run(deps: InstallDeps, ...args: string[]): Promise<string> {
  const { code, out } = await runInstall(deps, ...args);
  assert.equal(code, 0);
  return out;
}

function userEntry(home: string): unknown {
  try {
    return JSON.parse(Deno.readTextFileSync(`${home}/.claude.json`)).mcpServers?.janusmcp;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

Deno.test("claude-code without the claude CLI prints the exact command, quoted for the shell, and writes nothing", async () => {
  const { home, deps } = await setup(undefined);
  const out = await run(deps, "install", "claude-code", "--config", `${home}/my config.json`);
  assert.match(out, /"claude" is not on PATH\. Run this to finish:/);
  assert.match(out, /^ {2}claude mcp add-json --scope user janusmcp '\{"type":"stdio","command":/m);
  assert.match(out, /"env":\{"JANUS_CONFIG":"[^"]*\/my config\.json"\}\}'$/m);
  assert.equal(userEntry(home), undefined);
  assert.deepEqual([...Deno.readDirSync(home)], []);
});

Deno.test("the claude commands add the stdio entry as JSON and remove it by name, at user scope", () => {
  const entry = { type: "stdio", command: "/a b/janusmcp", args: ["serve"] };
  const { add, remove } = claudeCommands(entry);
  assert.deepEqual(add, ["claude", "mcp", "add-json", "--scope", "user", "janusmcp", JSON.stringify(entry)]);
  assert.deepEqual(remove, ["claude", "mcp", "remove", "--scope", "user", "janusmcp"]);
});

const realCli = CLAUDE !== undefined || Deno.env.get("CI") === "true";
Deno.test({
  name: `claude-code with the real claude CLI: add, idempotent re-add, update, remove${
    realCli
      ? ""
      : " [skipped: no claude CLI; npm install @anthropic-ai/claude-code, or set JANUS_TEST_CLAUDE]"
  }`,
  ignore: !realCli,
  async fn() {
    assert.ok(CLAUDE !== undefined, "CI=true but no claude CLI (JANUS_TEST_CLAUDE or PATH)");
    const { home, deps } = await setup(CLAUDE);
    const first = await run(deps, "install", "claude-code");
    assert.match(first, /Claude Code: ran:\n {2}claude mcp add-json/);
    const entry = userEntry(home) as { command: string; args: string[] };
    assert.equal(entry.command, Deno.execPath());
    assert.equal(entry.args.at(-1), "serve");

    assert.match(await run(deps, "install", "claude-code"), /already configured; nothing changed/);

    const pinned = await run(deps, "install", "claude-code", "--config", `${home}/other config.json`);
    assert.match(pinned, /claude mcp remove --scope user janusmcp\n {2}claude mcp add-json/);
    assert.deepEqual((userEntry(home) as { env: unknown }).env, {
      JANUS_CONFIG: `${home}/other config.json`,
    });

    assert.match(
      await run(deps, "uninstall", "claude-code"),
      /ran:\n {2}claude mcp remove --scope user janusmcp/,
    );
    assert.equal(userEntry(home), undefined);
    assert.match(await run(deps, "uninstall", "claude-code"), /not configured; nothing to remove/);
  },
});
