/** The command-line entry: global flags, command dispatch, and the one place errors become exit codes. */
import { errorEnvelope, exitCodeFor, JanusError, toJanusError } from "../errors.ts";
import type { CliContext, Command } from "./context.ts";
import { processContext } from "./context.ts";
import { GLOBAL_OPTIONS, parseCommandLine } from "./args.ts";
import { callCommand } from "./call.ts";
import { daemonCommand } from "./daemon.ts";
import { connectCommand } from "./connect.ts";
import { demoUpstreamCommand } from "./demo_upstream.ts";
import { disconnectCommand } from "./disconnect.ts";
import { helpCommand, overview } from "./help.ts";
import { installCommand, uninstallCommand } from "./install.ts";
import { schemaCommand } from "./schema.ts";
import { loginCommand } from "./login.ts";
import { serveCommand } from "./serve.ts";
import { statusCommand } from "./status.ts";
import { toolsCommand } from "./tools.ts";
import { useCommand } from "./use.ts";
import { vaultCommand } from "./vault.ts";
import { versionCommand } from "./version.ts";

const COMMANDS: readonly Command[] = [
  serveCommand,
  toolsCommand,
  schemaCommand,
  callCommand,
  useCommand,
  daemonCommand,
  statusCommand,
  vaultCommand,
  connectCommand,
  disconnectCommand,
  loginCommand,
  versionCommand,
  installCommand,
  uninstallCommand,
  demoUpstreamCommand,
  helpCommand(() => COMMANDS),
];

/** Runs the CLI and returns the process exit code. */
export async function main(args: readonly string[], makeContext = processContext): Promise<number> {
  let ctx: CliContext = makeContext({ json: args.includes("--json") });
  try {
    const line = parseCommandLine(args, COMMANDS, "serve");
    ctx = makeContext({ json: line.json, configPath: line.configPath });
    if (line.version) return await versionCommand.run(line.args, ctx);
    // A bare `janusmcp --help` wants the command list, not the default command's usage.
    const bare = !line.typed &&
      Object.keys(line.args.values).every((name) => Object.hasOwn(GLOBAL_OPTIONS, name));
    if (line.help && bare) {
      ctx.out(overview(COMMANDS));
      return 0;
    }
    const command = line.command;
    if (!command) {
      // With --json, stderr carries the error envelope alone.
      if (!ctx.json) ctx.err(overview(COMMANDS));
      throw new JanusError("usage", `unknown command "${line.name}"`);
    }
    if (line.help) {
      ctx.out(`${command.usage}\n`);
      return 0;
    }
    return await command.run(line.args, ctx);
  } catch (error) {
    const janusError = toJanusError(error);
    ctx.err(
      ctx.json ? `${JSON.stringify(errorEnvelope(janusError))}\n` : `janusmcp: ${janusError.message}\n`,
    );
    return exitCodeFor(janusError.code);
  }
}
