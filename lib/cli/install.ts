/**
 * `janusmcp install CLIENT|print|list` and `janusmcp uninstall CLIENT`: register this JanusMCP
 * with an LLM client in the client's own config (or through its CLI), by absolute path, and
 * take it out again — touching nothing else in the file.
 */
import { isAbsolute, resolve } from "node:path";
import { locateConfig } from "../config/mod.ts";
import { JanusError } from "../errors.ts";
import {
  canonical,
  changeConfigFile,
  type ChangeResult,
  changeThroughCli,
  CLIENT_TARGETS,
  type ClientEnvironment,
  type ClientTarget,
  type CommandRunner,
  ENTRY_NAME,
  fileStatus,
  findTarget,
  type LaunchSpec,
  launchSpec,
  mergeEntry,
  quoteCommand,
  whichOnPath,
} from "../clients/mod.ts";
import type { ParsedArgs } from "./args.ts";
import type { CliContext, Command } from "./context.ts";
import { reportChange, snippetText } from "./install_output.ts";
import { FACES } from "./faces.ts";

const TARGET_IDS = CLIENT_TARGETS.map((t) => t.id).join(", ");

const INSTALL_USAGE = `Usage:
  janusmcp install CLIENT [--dry-run] [--config PATH]   add JanusMCP to a client's MCP config
  janusmcp install list                                  each client, its config file, whether JanusMCP is there
  janusmcp install print                                 the entry for any other client (stdio and HTTP)

Clients: ${TARGET_IDS}

The entry starts this JanusMCP by absolute path (the binary, or deno run … main.ts from a
checkout). With --config, JANUS_CONFIG, or a ./config.json here, the entry pins that config
with JANUS_CONFIG. Only the "${ENTRY_NAME}" entry is added or replaced: other servers, comments and
formatting stay. The old file is kept as FILE.janusmcp-backup-TIMESTAMP. Running it twice changes
nothing. Claude Code is configured through "claude mcp" (the command is printed when claude is not
on PATH).

Options:
  --dry-run   show the diff (or the command) and write nothing
  --json      print one JSON document
  -h, --help  show this help`;

const UNINSTALL_USAGE = `Usage: janusmcp uninstall CLIENT [--dry-run] [--json]

Removes the "${ENTRY_NAME}" entry from the client's MCP config (keeping a backup), and nothing else.
Clients: ${TARGET_IDS}`;

/** What install reads from its surroundings (the process by default; tests pass a temp HOME). */
export interface InstallDeps {
  env: (name: string) => string | undefined;
  os: typeof Deno.build.os;
  cwd: string;
  execPath: string;
  mainModule: string;
  runner: CommandRunner;
  exists: (path: string) => boolean;
  now?: () => Date;
}

interface Invocation {
  positionals: string[];
  dryRun: boolean;
  json: boolean;
  configPath?: string;
}

function invocationOf(args: ParsedArgs, ctx: CliContext): Invocation {
  return {
    positionals: args.positionals,
    dryRun: args.values["dry-run"] === true,
    json: ctx.json || args.values.json === true,
    configPath: typeof args.values.config === "string" ? args.values.config : ctx.configPath,
  };
}

function environmentOf(deps: InstallDeps): ClientEnvironment {
  const home = (deps.os === "windows" ? deps.env("USERPROFILE") : undefined) ?? deps.env("HOME");
  if (home === undefined || home === "") {
    throw new JanusError("config", "cannot find the client config files: HOME is not set");
  }
  return { os: deps.os, home, env: deps.env };
}

/** The config the entry pins: an explicit or non-default one, as an absolute path. */
function pinnedConfig(invocation: Invocation, deps: InstallDeps): string | undefined {
  const absolute = (path: string) => isAbsolute(path) ? path : resolve(deps.cwd, path);
  if (invocation.configPath !== undefined) return absolute(invocation.configPath);
  const located = locateConfig({ env: deps.env, cwd: deps.cwd, os: deps.os, exists: deps.exists });
  // A client starts JanusMCP from its own working directory: only the user config dir is found there.
  return located.source === "user" ? undefined : absolute(located.path);
}

function specFor(invocation: Invocation, deps: InstallDeps): LaunchSpec {
  return launchSpec({
    execPath: deps.execPath,
    mainModule: deps.mainModule,
    exists: deps.exists,
    which: (name) => whichOnPath(name, deps.env, deps.os, deps.exists),
    configPath: pinnedConfig(invocation, deps),
  });
}

function single(invocation: Invocation, verb: string, usage: string): ClientTarget {
  if (invocation.positionals.length !== 1) {
    throw new JanusError("usage", `${verb} needs exactly one CLIENT\n\n${usage}`);
  }
  return findTarget(invocation.positionals[0]);
}

async function change(
  target: ClientTarget,
  entry: Record<string, unknown> | undefined,
  invocation: Invocation,
  deps: InstallDeps,
): Promise<ChangeResult> {
  const environment = environmentOf(deps);
  if (target.format === "cli") {
    return await changeThroughCli(target, environment, entry, {
      dryRun: invocation.dryRun,
      runner: deps.runner,
    });
  }
  return await changeConfigFile(target, environment, entry, { dryRun: invocation.dryRun, now: deps.now });
}

async function installOne(invocation: Invocation, ctx: CliContext, deps: InstallDeps): Promise<number> {
  const target = single(invocation, "install", INSTALL_USAGE);
  environmentOf(deps); // Without HOME there is no client file to edit: say that first.
  const spec = specFor(invocation, deps);
  const result = await change(target, target.entry(spec), invocation, deps);
  ctx.out(
    invocation.json
      ? `${JSON.stringify({ ok: true, ...result, launch: spec })}\n`
      : reportChange(target, result, spec, deps.os),
  );
  return 0;
}

/** One client in `install list`. */
interface ClientRow {
  id: string;
  title: string;
  path: string;
  exists: boolean;
  configured: boolean;
  /** Whether the entry starts this JanusMCP the way install would write it now. */
  current?: boolean;
  error?: string;
}

async function list(invocation: Invocation, ctx: CliContext, deps: InstallDeps): Promise<number> {
  if (invocation.positionals.length > 1) throw new JanusError("usage", `install list takes no CLIENT`);
  const environment = environmentOf(deps);
  let spec: LaunchSpec | undefined;
  try {
    spec = specFor(invocation, deps);
  } catch {
    // Without a launch command, "configured" can still be told; "current" cannot.
  }
  const rows: ClientRow[] = [];
  for (const target of CLIENT_TARGETS) {
    const status = await fileStatus(target, environment);
    const configured = status.entry !== undefined;
    const current = configured && spec !== undefined
      ? canonical(status.entry) === canonical(mergeEntry(status.entry, target.entry(spec)))
      : undefined;
    rows.push({
      id: target.id,
      title: target.title,
      path: status.path,
      exists: status.exists,
      configured,
      current,
      ...(status.error ? { error: status.error } : {}),
    });
  }
  if (invocation.json) {
    ctx.out(`${JSON.stringify({ ok: true, clients: rows })}\n`);
    return 0;
  }
  const state = (row: ClientRow) =>
    row.error !== undefined
      ? "unreadable"
      : !row.configured
      ? "no"
      : row.current === false
      ? "yes (other command)"
      : "yes";
  const table = [["CLIENT", "JANUSMCP", "CONFIG FILE"], ...rows.map((row) => [row.id, state(row), row.path])];
  const widths = [0, 1].map((column) => Math.max(...table.map((row) => row[column].length)));
  for (const row of table) ctx.out(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}\n`);
  for (const row of rows) if (row.error !== undefined) ctx.err(`warning: ${row.error}\n`);
  return 0;
}

function print(invocation: Invocation, ctx: CliContext, deps: InstallDeps): Promise<number> {
  const spec = specFor(invocation, deps);
  const stdio = {
    mcpServers: {
      [ENTRY_NAME]: {
        command: spec.command,
        args: spec.args,
        ...(Object.keys(spec.env).length ? { env: spec.env } : {}),
      },
    },
  };
  const http = { mcpServers: { [ENTRY_NAME]: { url: "http://127.0.0.1:7332/mcp" } } };
  if (invocation.json) {
    ctx.out(`${JSON.stringify({ ok: true, stdio, http, launch: spec })}\n`);
    return Promise.resolve(0);
  }
  ctx.out(snippetText(stdio, http, quoteCommand([spec.command, ...spec.args, "--http"], deps.os)));
  return Promise.resolve(0);
}

/** The `install` and `uninstall` commands bound to the given surroundings. */
export function createInstallCommands(getDeps: () => InstallDeps): { install: Command; uninstall: Command } {
  const install: Command = {
    ...FACES.install,
    usage: INSTALL_USAGE,
    async run(args, ctx) {
      const invocation = invocationOf(args, ctx);
      const deps = getDeps();
      if (invocation.positionals.length === 0) {
        throw new JanusError("usage", `install needs a CLIENT\n\n${INSTALL_USAGE}`);
      }
      if (invocation.positionals[0] === "list") return await list(invocation, ctx, deps);
      if (invocation.positionals[0] === "print") return await print(invocation, ctx, deps);
      return await installOne(invocation, ctx, deps);
    },
  };
  const uninstall: Command = {
    ...FACES.uninstall,
    usage: UNINSTALL_USAGE,
    async run(args, ctx) {
      const invocation = invocationOf(args, ctx);
      const deps = getDeps();
      const target = single(invocation, "uninstall", UNINSTALL_USAGE);
      const result = await change(target, undefined, invocation, deps);
      ctx.out(
        invocation.json
          ? `${JSON.stringify({ ok: true, ...result })}\n`
          : reportChange(target, result, undefined, deps.os),
      );
      return 0;
    },
  };
  return { install, uninstall };
}

/** The process's surroundings: its environment, files, and programs on PATH. */
export function processInstallDeps(): InstallDeps {
  const exists = (path: string) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  };
  return {
    env: (name) => Deno.env.get(name),
    os: Deno.build.os,
    cwd: Deno.cwd(),
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    exists,
    runner: {
      which: (name) => whichOnPath(name, (n) => Deno.env.get(n), Deno.build.os, exists),
      async run(command, args) {
        const output = await new Deno.Command(command, {
          args,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        })
          .output();
        const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
        return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
      },
    },
  };
}

// The process is asked at run time, not at import: tests import main.ts without these permissions.
const processCommands = createInstallCommands(processInstallDeps);
/** `janusmcp install`, for this process. */
export const installCommand: Command = processCommands.install;
/** `janusmcp uninstall`, for this process. */
export const uninstallCommand: Command = processCommands.uninstall;
