/**
 * `janusmcp install|uninstall CLIENT` against real files in a temporary HOME (with a space in
 * its path) for every file-based client: empty file, a file with other servers and comments,
 * idempotence, backups, dry-run and removal.
 */
import { must } from "../must.ts";
import { runInstall } from "./install_run.ts";
import assert from "node:assert/strict";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { parse as parseJsonc } from "jsonc-parser";
import type { InstallDeps } from "../../lib/cli/install.ts";
import { CLIENT_TARGETS, whichOnPath } from "../../lib/clients/mod.ts";
import type { ClientTarget } from "../../lib/clients/types.ts";
import { JanusError } from "../../lib/errors.ts";
import { BROKER_RUN_FLAGS } from "../../lib/run_flags.ts";

const REPO = new URL("../../", import.meta.url);
const FILE_TARGETS = CLIENT_TARGETS.filter((t) => t.format !== "cli");

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** A temp HOME with a space in it, and the deps of a process whose HOME it is. */
async function tempHome(vars: Record<string, string> = {}): Promise<{ home: string; deps: InstallDeps }> {
  const home = await Deno.makeTempDir({ prefix: "janus home " });
  const env: Record<string, string> = {
    HOME: home,
    USERPROFILE: home,
    APPDATA: `${home}/AppData`,
    PATH: "",
    ...vars,
  };
  const cwd = await Deno.makeTempDir({ prefix: "janus cwd " });
  const deps: InstallDeps = {
    env: (name) => env[name],
    os: Deno.build.os,
    cwd,
    execPath: Deno.execPath(),
    mainModule: new URL("main.ts", REPO).href,
    exists: isFile,
    now: () => new Date("2026-11-25T16:30:00Z"),
    runner: {
      which: (name) => whichOnPath(name, (n) => env[n], Deno.build.os, isFile),
      async run(command, args) {
        const output = await new Deno.Command(command, {
          args,
          env: { HOME: home, PATH: Deno.env.get("PATH") ?? "" },
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

/** Runs install/uninstall in-process and captures what it prints. */
const run = runInstall;

function pathOf(target: ClientTarget, home: string): string {
  return target.configPath({
    os: Deno.build.os,
    home,
    env: (n) => (n === "APPDATA" ? `${home}/AppData` : undefined),
  });
}

/** Our entry in a client's file, parsed. */
function entryIn(target: ClientTarget, text: string): Record<string, unknown> | undefined {
  let document = (target.format === "toml" ? parseToml(text) : parseJsonc(text)) as Record<string, unknown>;
  for (const key of target.containerPath) {
    document = (document?.[key] ?? undefined) as Record<string, unknown>;
  }
  const entry = document?.janusmcp;
  return entry === undefined ? undefined : JSON.parse(JSON.stringify(entry));
}

/** A realistic file: another server, a comment, another setting. */
function fileWithOthers(target: ClientTarget): string {
  if (target.format === "toml") {
    return `# my Codex settings\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "npx" # another server\nargs = ["-y", "other"]\n`;
  }
  const [container] = target.containerPath;
  return `{\n  // my settings\n  "theme": "dark",\n  "${container}": {\n    "other": { "command": "npx", "args": ["-y", "other"] }, // another server\n  },\n}\n`;
}

function backups(path: string): string[] {
  const dir = dirname(path);
  const name = basename(path);
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith(`${name}.janusmcp-backup-`))
    .sort();
}

async function writeFile(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, text);
}

for (const target of FILE_TARGETS) {
  Deno.test(`${target.id}: an empty config file gets the entry, which starts this checkout by absolute path`, async () => {
    const { home, deps } = await tempHome();
    const path = pathOf(target, home);
    await writeFile(path, "");
    const { code, out } = await run(deps, "install", target.id);
    assert.equal(code, 0);
    assert.match(out, new RegExp(`${target.title}: janusmcp added to `));
    assert.match(out, /Restart the client/);
    const entry = must(entryIn(target, await Deno.readTextFile(path)), "janusmcp entry");
    const args = entry.args as string[];
    assert.equal(entry.command, Deno.execPath());
    assert.deepEqual(args.slice(-BROKER_RUN_FLAGS.length - 2), [
      ...BROKER_RUN_FLAGS,
      fileURLToPath(new URL("main.ts", REPO)),
      "serve",
    ]);
    assert.equal(entry.env === undefined || Object.keys(entry.env as object).length === 0, true);
  });

  Deno.test(`${target.id}: other servers, settings and comments survive install and uninstall byte for byte`, async () => {
    const { home, deps } = await tempHome();
    const path = pathOf(target, home);
    const original = fileWithOthers(target);
    await writeFile(path, original);
    await run(deps, "install", target.id);
    const installed = await Deno.readTextFile(path);
    assert.ok(installed.includes("another server"), "the comment is kept");
    assert.ok(entryIn(target, installed) !== undefined);
    const { out } = await run(deps, "uninstall", target.id);
    assert.match(out, /janusmcp removed from/);
    assert.equal(await Deno.readTextFile(path), original);
  });

  Deno.test(`${target.id}: installing twice changes nothing the second time and keeps one backup of the original`, async () => {
    const { home, deps } = await tempHome();
    const path = pathOf(target, home);
    const original = fileWithOthers(target);
    await writeFile(path, original);
    await run(deps, "install", target.id);
    const once = await Deno.readTextFile(path);
    const [backup, ...more] = backups(path);
    assert.equal(more.length, 0);
    assert.equal(backup, `${basename(path)}.janusmcp-backup-20261125-163000`);
    assert.equal(await Deno.readTextFile(join(dirname(path), backup)), original);
    const again = await run(deps, "install", target.id);
    assert.match(again.out, /already configured; nothing changed/);
    assert.equal(await Deno.readTextFile(path), once);
    assert.equal(backups(path).length, 1);
  });

  Deno.test(`${target.id}: --dry-run prints the diff and writes nothing`, async () => {
    const { home, deps } = await tempHome();
    const path = pathOf(target, home);
    const original = fileWithOthers(target);
    await writeFile(path, original);
    const { out } = await run(deps, "install", target.id, "--dry-run");
    assert.match(out, new RegExp(`^--- ${path.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    assert.match(out, /^\+.*janusmcp/m);
    assert.match(out, /would be added \(dry run: nothing written\)/);
    assert.equal(await Deno.readTextFile(path), original);
    assert.deepEqual(backups(path), []);
    await run(deps, "install", target.id);
    const removal = await run(deps, "uninstall", target.id, "--dry-run");
    assert.match(removal.out, /^-.*janusmcp/m);
    assert.ok(entryIn(target, await Deno.readTextFile(path)) !== undefined, "still installed");
  });

  Deno.test(`${target.id}: a missing file is created; a config path with spaces is pinned with JANUS_CONFIG`, async () => {
    const { home, deps } = await tempHome();
    const path = pathOf(target, home);
    const config = `${home}/My Config/config.json`;
    await run(deps, "install", target.id, "--config", config);
    assert.deepEqual(must(entryIn(target, await Deno.readTextFile(path)), "janusmcp entry").env, {
      JANUS_CONFIG: config,
    });
    assert.deepEqual(backups(path), [], "nothing to back up");
    if (Deno.build.os !== "windows") assert.equal((Deno.statSync(path).mode ?? -1) & 0o777, 0o600);
  });

  Deno.test(`${target.id}: uninstall without an entry (or without a file) leaves everything alone`, async () => {
    const { home, deps } = await tempHome();
    const path = pathOf(target, home);
    assert.match((await run(deps, "uninstall", target.id)).out, /not configured; nothing to remove/);
    assert.equal(isFile(path), false, "no file is created");
    const original = fileWithOthers(target);
    await writeFile(path, original);
    await run(deps, "uninstall", target.id);
    assert.equal(await Deno.readTextFile(path), original);
    assert.deepEqual(backups(path), []);
  });
}

Deno.test("updating an entry keeps what the user added to it (a client flag, extra env) and is then stable", async () => {
  const { home, deps } = await tempHome();
  const path = join(home, ".gemini", "settings.json");
  await writeFile(
    path,
    `{\n  "mcpServers": {\n    "janusmcp": { "command": "/old/janusmcp", "trust": true, "env": { "JANUS_VAULT": "file" } }\n  }\n}\n`,
  );
  assert.match((await run(deps, "install", "gemini")).out, /janusmcp updated in /);
  const gemini = must(CLIENT_TARGETS.find((t) => t.id === "gemini"), "gemini");
  const entry = must(entryIn(gemini, await Deno.readTextFile(path)), "janusmcp entry");
  assert.equal(entry.trust, true);
  assert.deepEqual(entry.env, { JANUS_VAULT: "file" });
  assert.equal(entry.command, Deno.execPath());
  assert.match((await run(deps, "install", "gemini")).out, /already configured; nothing changed/);
  assert.match((await run(deps, "install", "list")).out, /^gemini +yes +/m);
});

Deno.test("a broken client file is refused with its position, and left exactly as it was", async () => {
  const { home, deps } = await tempHome();
  const path = pathOf(must(CLIENT_TARGETS.find((t) => t.id === "cursor"), "cursor"), home);
  await writeFile(path, `{ "mcpServers": { "a": 1 "b": 2 } }`);
  await assert.rejects(run(deps, "install", "cursor"), (error) => {
    assert.ok(error instanceof JanusError);
    assert.equal(error.code, "config");
    assert.match(error.message, /mcp\.json:1:26: expected a comma/);
    return true;
  });
  assert.equal(await Deno.readTextFile(path), `{ "mcpServers": { "a": 1 "b": 2 } }`);
  assert.deepEqual(backups(path), []);
});

Deno.test("a ./config.json in the working directory is pinned, since a client starts elsewhere", async () => {
  const { home, deps } = await tempHome();
  await Deno.writeTextFile(`${deps.cwd}/config.json`, "{}");
  await run(deps, "install", "gemini");
  const entry = entryIn(
    must(CLIENT_TARGETS.find((t) => t.id === "gemini"), "gemini"),
    await Deno.readTextFile(`${home}/.gemini/settings.json`),
  );
  assert.deepEqual(must(entry, "janusmcp entry").env, { JANUS_CONFIG: join(deps.cwd, "config.json") });
});

Deno.test("without HOME the client files cannot be found, and that is said instead of guessing", async () => {
  const { deps } = await tempHome();
  const homeless: InstallDeps = {
    ...deps,
    env: (name) => (name === "HOME" || name === "USERPROFILE" ? undefined : deps.env(name)),
  };
  await assert.rejects(run(homeless, "install", "cursor"), (error) => {
    assert.ok(error instanceof JanusError);
    assert.equal(error.code, "config");
    assert.match(error.message, /cannot find the client config files: HOME is not set/);
    return true;
  });
});

Deno.test("install and uninstall refuse a missing or unknown client with a usage error", async () => {
  const { deps } = await tempHome();
  for (const args of [["install"], ["install", "notepad"], ["uninstall"], ["install", "cursor", "zed"]]) {
    await assert.rejects(
      run(deps, ...args),
      (error) => error instanceof JanusError && error.code === "usage",
    );
  }
});

Deno.test("install list shows every client, its file and whether this JanusMCP is configured there", async () => {
  const { home, deps } = await tempHome();
  await run(deps, "install", "cursor");
  await writeFile(
    `${home}/.gemini/settings.json`,
    `{"mcpServers": {"janusmcp": {"command": "/old/janusmcp"}}}`,
  );
  await writeFile(`${home}/.codeium/windsurf/mcp_config.json`, `{ broken`);
  const { out, err } = await run(deps, "install", "list");
  const cursorPath = join(home, ".cursor", "mcp.json").replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&");
  assert.match(out, new RegExp(`^cursor +yes +${cursorPath}$`, "m"));
  assert.match(out, /^gemini +yes \(other command\) /m);
  assert.match(out, /^windsurf +unreadable /m);
  assert.match(out, /^zed +no /m);
  assert.match(err, /warning: .*mcp_config\.json:1:3/);
  assert.equal(out.trim().split("\n").length, CLIENT_TARGETS.length + 1);
});

Deno.test("install print shows the stdio entry and the HTTP form for any other client", async () => {
  const { deps } = await tempHome();
  const { out } = await run(deps, "install", "print");
  assert.match(out, /"command": ".*deno"/);
  assert.match(out, /"url": "http:\/\/127\.0\.0\.1:7332\/mcp"/);
  assert.match(out, /serve --http/);
});
