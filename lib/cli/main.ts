/** The command-line entry: global flags, command dispatch, and the one place errors become exit codes. */
import { errorEnvelope, exitCodeFor, JanusError, toJanusError } from "../errors.ts";
import type { CliContext, ListedCommand } from "./context.ts";
import { processContext } from "./context.ts";
import { GLOBAL_OPTIONS, parseCommandLine } from "./args.ts";
import { FACES } from "./faces.ts";
import { helpCommand, overview } from "./help.ts";
import { earlyHandshake, startEarlyUpstreams } from "./early_start.ts";
import { dismissEarly } from "../early_processes.ts";

// Each command's module is imported only when it runs or shows its usage: `version` and `help`
// never load the SDK, and `serve` loads what it needs in the order it needs it (see serve.ts).
export const COMMANDS: readonly ListedCommand[] = [
  { ...FACES.serve, load: async () => (await import("./serve_command.ts")).serveCommand },
  { ...FACES.tools, load: async () => (await import("./tools.ts")).toolsCommand },
  { ...FACES.schema, load: async () => (await import("./schema.ts")).schemaCommand },
  { ...FACES.call, load: async () => (await import("./call.ts")).callCommand },
  { ...FACES.use, load: async () => (await import("./use.ts")).useCommand },
  { ...FACES.daemon, load: async () => (await import("./daemon.ts")).daemonCommand },
  { ...FACES.status, load: async () => (await import("./status.ts")).statusCommand },
  { ...FACES.vault, load: async () => (await import("./vault.ts")).vaultCommand },
  { ...FACES.connect, load: async () => (await import("./connect.ts")).connectCommand },
  { ...FACES.disconnect, load: async () => (await import("./disconnect.ts")).disconnectCommand },
  { ...FACES.login, load: async () => (await import("./login.ts")).loginCommand },
  { ...FACES.version, load: async () => (await import("./version.ts")).versionCommand },
  { ...FACES.install, load: async () => (await import("./install.ts")).installCommand },
  { ...FACES.uninstall, load: async () => (await import("./install.ts")).uninstallCommand },
  { ...FACES.demoUpstream, load: async () => (await import("./demo_upstream.ts")).demoUpstreamCommand },
  { ...FACES.help, load: () => Promise.resolve(helpCommand(() => COMMANDS)) },
];

/** Runs the CLI and returns the process exit code. */
export async function main(args: readonly string[], makeContext = processContext): Promise<number> {
  let ctx: CliContext = makeContext({ json: args.includes("--json") });
  try {
    const line = parseCommandLine(args, COMMANDS, "serve");
    ctx = makeContext({ json: line.json, configPath: line.configPath });
    if (line.version) return await (await import("./version.ts")).versionCommand.run(line.args, ctx);
    // A bare `janusmcp --help` wants the command list, not the default command's usage.
    const bare = !line.typed &&
      Object.keys(line.args.values).every((name) => Object.hasOwn(GLOBAL_OPTIONS, name));
    if (line.help && bare) {
      ctx.out(overview(COMMANDS));
      return 0;
    }
    const listed = line.command;
    if (!listed) {
      // With --json, stderr carries the error envelope alone.
      if (!ctx.json) ctx.err(overview(COMMANDS));
      throw new JanusError("usage", `unknown command "${line.name}"`);
    }
    // `serve` gets a head start: its usual upstreams start before its module loads (early_start.ts).
    // And its client's handshake may be answered from the record of the last start meanwhile.
    await startEarlyUpstreams(line);
    await earlyHandshake();
    const command = await listed.load();
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
  } finally {
    // Whatever was started ahead and not adopted ends with the command, on every way out.
    await dismissEarly();
  }
}
