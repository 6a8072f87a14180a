/** Starting this program again as a detached background process (the daemon). */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { JanusError } from "../errors.ts";
import { BROKER_RUN_FLAGS } from "../run_flags.ts";

/** The command that runs this program: the compiled binary, or `deno run` with the broker's run flags. */
export function selfInvocation(): { command: string; args: string[] } {
  const exec = Deno.execPath();
  const name = exec.split(/[\\/]/).at(-1)?.replace(/\.exe$/i, "");
  if (name !== "deno") return { command: exec, args: [] }; // a `deno compile`d janusmcp
  if (!Deno.mainModule.startsWith("file:")) {
    throw new JanusError(
      "usage",
      `cannot start a daemon from ${Deno.mainModule}: run janusmcp from a checkout`,
    );
  }
  const main = fileURLToPath(Deno.mainModule);
  const config = findDenoJson(dirname(main));
  if (!config) throw new JanusError("usage", `cannot find deno.json above ${main} to start the daemon with`);
  return { command: exec, args: ["run", "--quiet", `--config=${config}`, ...BROKER_RUN_FLAGS, main] };
}

/** Spawns `janusmcp ARGS` detached from this process's terminal and process group, output discarded. */
export function spawnDetached(args: string[], env: Record<string, string>): Deno.ChildProcess {
  const self = selfInvocation();
  return new Deno.Command(self.command, {
    args: [...self.args, ...args],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    // Its own session: Ctrl-C in the shell that started it must not reach it.
    detached: true,
  }).spawn();
}

function findDenoJson(start: string): string | undefined {
  for (let dir = start;; dir = dirname(dir)) {
    const candidate = join(dir, "deno.json");
    try {
      Deno.statSync(candidate);
      return candidate;
    } catch {
      // keep looking upwards
    }
    if (dirname(dir) === dir) return undefined;
  }
}
