/**
 * Targets whose documented way to add a server is their own CLI (Claude Code: `claude mcp
 * add-json --scope user`). JanusMCP runs that CLI when it is on PATH and otherwise prints the
 * exact command. The CLI's own file is read (never written) to know what is configured.
 */
import { JanusError } from "../errors.ts";
import { canonical, fileStatus } from "./config_file.ts";
import { mergeEntry } from "./merge.ts";
import { type ChangeResult, type ClientEnvironment, type ClientTarget, ENTRY_NAME } from "./types.ts";

/** Running a program: how the CLI flow reaches the outside world. */
export interface CommandRunner {
  /** The executable's absolute path on PATH, if any. */
  which(name: string): string | undefined;
  run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** The `claude` commands that add and remove the user-scoped entry. */
export function claudeCommands(entry: Record<string, unknown>): { add: string[]; remove: string[] } {
  return {
    add: ["claude", "mcp", "add-json", "--scope", "user", ENTRY_NAME, JSON.stringify(entry)],
    remove: ["claude", "mcp", "remove", "--scope", "user", ENTRY_NAME],
  };
}

async function runOrFail(runner: CommandRunner, executable: string, argv: string[]): Promise<void> {
  const { code, stdout, stderr } = await runner.run(executable, argv.slice(1));
  if (code !== 0) {
    const said = (stderr.trim() || stdout.trim()).split("\n").slice(0, 3).join(" ");
    throw new JanusError("generic", `"${argv.slice(0, 3).join(" ")} …" failed (exit ${code}): ${said}`);
  }
}

/** Sets (entry given) or removes (entry undefined) JanusMCP through the client's CLI. */
export async function changeThroughCli(
  target: ClientTarget,
  environment: ClientEnvironment,
  entry: Record<string, unknown> | undefined,
  options: { dryRun: boolean; runner: CommandRunner },
): Promise<ChangeResult> {
  const status = await fileStatus(target, environment);
  if (status.error !== undefined) throw new JanusError("config", status.error);
  const current = status.entry;
  if (entry !== undefined) entry = mergeEntry(current, entry);
  const commands = claudeCommands(entry ?? {});
  const result = { target: target.id, path: status.path, dryRun: options.dryRun, diff: "" };
  if (entry === undefined && current === undefined) return { ...result, action: "absent" };
  if (entry !== undefined && current !== undefined && canonical(current) === canonical(entry)) {
    return { ...result, action: "unchanged" };
  }
  // The CLI refuses to add a name that exists, so an update is a remove and an add.
  const steps = entry === undefined
    ? [commands.remove]
    : current === undefined
    ? [commands.add]
    : [commands.remove, commands.add];
  const action = entry === undefined ? "removed" : current === undefined ? "added" : "updated";
  const executable = options.runner.which("claude");
  if (options.dryRun || executable === undefined) {
    return { ...result, action, commands: steps, manual: executable === undefined };
  }
  for (const step of steps) await runOrFail(options.runner, executable, step);
  return { ...result, action, commands: steps };
}
