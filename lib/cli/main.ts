/** The command-line entry: global flags, command dispatch, and the one place errors become exit codes. */
import { errorEnvelope, exitCodeFor, JanusError, toJanusError } from "../errors.ts";
import type { CliContext, Command } from "./context.ts";
import { processContext } from "./context.ts";
import { connectCommand } from "./connect.ts";
import { demoUpstreamCommand } from "./demo_upstream.ts";
import { disconnectCommand } from "./disconnect.ts";
import { helpCommand, overview } from "./help.ts";
import { loginCommand } from "./login.ts";
import { serveCommand } from "./serve.ts";
import { statusCommand } from "./status.ts";
import { vaultCommand } from "./vault.ts";
import { versionCommand } from "./version.ts";

const COMMANDS: readonly Command[] = [
  serveCommand,
  statusCommand,
  vaultCommand,
  connectCommand,
  disconnectCommand,
  loginCommand,
  versionCommand,
  demoUpstreamCommand,
  helpCommand(() => COMMANDS),
];

/** Global flags, pulled out of the argument list wherever they appear (before a `--`). */
interface GlobalFlags {
  json: boolean;
  help: boolean;
  version: boolean;
  configPath?: string;
  rest: string[];
}

/** Separates global flags from the command and its own arguments. */
export function parseGlobalFlags(args: readonly string[]): GlobalFlags {
  const flags: GlobalFlags = { json: false, help: false, version: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      flags.rest.push(...args.slice(i));
      break;
    }
    if (arg === "--json") flags.json = true;
    else if (arg === "--help" || arg === "-h") flags.help = true;
    else if (arg === "--version" || arg === "-V") flags.version = true;
    else if (arg.startsWith("--config=")) {
      flags.configPath = arg.slice("--config=".length);
      if (flags.configPath === "") throw new JanusError("usage", "--config needs a file path");
    } else if (arg === "--config") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("-")) {
        throw new JanusError("usage", "--config needs a file path");
      }
      flags.configPath = value;
      i++;
    } else flags.rest.push(arg);
  }
  return flags;
}

/** Runs the CLI and returns the process exit code. */
export async function main(args: readonly string[], makeContext = processContext): Promise<number> {
  let ctx: CliContext = makeContext({ json: args.includes("--json") });
  try {
    const flags = parseGlobalFlags(args);
    ctx = makeContext({ json: flags.json, configPath: flags.configPath });
    if (flags.version) return await versionCommand.run([], ctx);
    // No command, or a leading option, means `serve` (so `janusmcp --demo` serves the demo).
    const [first, ...rest] = flags.rest;
    // A bare `janusmcp --help` wants the command list, not the default command's usage.
    if (flags.help && first === undefined) {
      ctx.out(overview(COMMANDS));
      return 0;
    }
    const name = first === undefined || first.startsWith("-") ? "serve" : first;
    const commandArgs = name === first ? rest : flags.rest;
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      // With --json, stderr carries the error envelope alone.
      if (!ctx.json) ctx.err(overview(COMMANDS));
      throw new JanusError("usage", `unknown command "${name}"`);
    }
    if (flags.help) {
      ctx.out(`${command.usage}\n`);
      return 0;
    }
    return await command.run(commandArgs, ctx);
  } catch (error) {
    const janusError = toJanusError(error);
    ctx.err(
      ctx.json ? `${JSON.stringify(errorEnvelope(janusError))}\n` : `janusmcp: ${janusError.message}\n`,
    );
    return exitCodeFor(janusError.code);
  }
}
