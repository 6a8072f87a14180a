/**
 * The installer end to end: the real CLI (shipped permission set) writes a client's config in a
 * temporary HOME whose path has spaces, then the entry it wrote is started exactly as the client
 * would start it, and a real MCP client lists the tools through it.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { parse as parseToml } from "smol-toml";
import { fixtureAccount, runCli } from "./harness.ts";

/** Deno's cache as this process sees it: a temp HOME must not send deno to an empty cache. */
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  JSON.parse(
    new TextDecoder().decode((await new Deno.Command("deno", { args: ["info", "--json"] }).output()).stdout),
  )
    .denoDir as string;

interface Entry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** A temp HOME with a space, holding a config (also under a path with a space) with one account. */
async function setup(): Promise<{ home: string; config: string }> {
  const home = await Deno.makeTempDir({ prefix: "janus e2e home " });
  const config = `${home}/My Janus/config.json`;
  await Deno.mkdir(`${home}/My Janus`);
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      // Upstreams get a minimal environment; with a temp HOME they need the cache named.
      accounts: [fixtureAccount("alpha", { env: { FIXTURE_ACCOUNT: "alpha", DENO_DIR } })],
    }),
  );
  return { home, config };
}

/** Starts the entry the way an MCP client does (no shell, its own environment) and lists tools. */
async function toolsThrough(entry: Entry, home: string): Promise<string[]> {
  const env: Record<string, string> = { ...getDefaultEnvironment(), HOME: home, DENO_DIR, ...entry.env };
  for (const name of ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const client = new Client({ name: "installed-client", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({ command: entry.command, args: entry.args, env, cwd: home }),
  );
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

Deno.test("install cursor writes an entry that starts this JanusMCP with the pinned config, from any directory", async () => {
  const { home, config } = await setup();
  const installed = await runCli(["install", "cursor", "--config", config], {
    env: { HOME: home, DENO_DIR },
  });
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(installed.stdout, /Cursor: janusmcp added to .*\/\.cursor\/mcp\.json/);
  const entry = JSON.parse(await Deno.readTextFile(`${home}/.cursor/mcp.json`)).mcpServers.janusmcp as Entry;
  assert.deepEqual(entry.env, { JANUS_CONFIG: config });
  const tools = await toolsThrough(entry, home);
  assert.ok(tools.includes("janus_whoami"));
  assert.ok(tools.includes("only_alpha"), "the pinned config's account is served");
});

Deno.test("install codex writes a TOML table whose command starts JanusMCP; uninstall takes it out", async () => {
  const { home, config } = await setup();
  await Deno.mkdir(`${home}/.codex`);
  await Deno.writeTextFile(`${home}/.codex/config.toml`, `# mine\nmodel = "o3"\n`);
  const installed = await runCli(["install", "codex", "--config", config], { env: { HOME: home, DENO_DIR } });
  assert.equal(installed.code, 0, installed.stderr);
  const toml = await Deno.readTextFile(`${home}/.codex/config.toml`);
  assert.ok(toml.startsWith(`# mine\nmodel = "o3"\n`));
  const entry = JSON.parse(JSON.stringify(parseToml(toml).mcp_servers)).janusmcp as Entry;
  assert.ok((await toolsThrough(entry, home)).includes("only_alpha"));
  const removed = await runCli(["uninstall", "codex"], { env: { HOME: home, DENO_DIR } });
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(await Deno.readTextFile(`${home}/.codex/config.toml`), `# mine\nmodel = "o3"\n`);
});

Deno.test("install --json reports the change and the launch command as one JSON document", async () => {
  const { home } = await setup();
  const result = await runCli(["install", "vscode", "--dry-run", "--json"], {
    env: { HOME: home, DENO_DIR },
  });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.ok, true);
  assert.equal(report.action, "added");
  assert.equal(report.dryRun, true);
  assert.match(report.diff, /\+ {4}"janusmcp": \{/);
  assert.equal(report.launch.args.at(-1), "serve");
});
