/** Runs `install`/`uninstall` as main would (global and own options parsed together), capturing output. */
import { GLOBAL_OPTIONS, parseOptions } from "../../lib/cli/args.ts";
import type { CliContext } from "../../lib/cli/context.ts";
import { createInstallCommands, type InstallDeps } from "../../lib/cli/install.ts";

/** The exit code and what was written to stdout and stderr. */
export async function runInstall(
  deps: InstallDeps,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  const commands = createInstallCommands(() => deps);
  let out = "";
  let err = "";
  const ctx: CliContext = { json: false, out: (t) => void (out += t), err: (t) => void (err += t) };
  const [name, ...rest] = args;
  const command = commands[name as "install" | "uninstall"];
  const code = await command.run(parseOptions(rest, { ...GLOBAL_OPTIONS, ...command.options }, name), ctx);
  return { code, out, err };
}
