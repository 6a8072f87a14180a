/**
 * How a client should start this very JanusMCP: the compiled binary by its absolute path, or
 * `deno run` with the project's permission set and absolute paths when running from a checkout,
 * or an installed `janusmcp` launcher found on PATH. Pure: the process facts are injected.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { JanusError } from "../errors.ts";
import { BROKER_RUN_FLAGS } from "../run_flags.ts";
import type { LaunchSpec } from "./types.ts";

/** What deciding the launch command depends on. */
export interface LaunchFacts {
  /** `Deno.execPath()`: the deno binary, or the compiled janusmcp binary itself. */
  execPath: string;
  /** `Deno.mainModule`: `file:///…/main.ts` from a checkout. */
  mainModule: string;
  exists: (path: string) => boolean;
  /** An executable's absolute path on PATH, if any. */
  which: (name: string) => string | undefined;
  /** An absolute config path to pin with JANUS_CONFIG; undefined for the default location. */
  configPath?: string;
}

/** Whether an executable path is the deno CLI (as opposed to a compiled janusmcp). */
export function isDenoExecutable(execPath: string): boolean {
  return /^deno(\.exe)?$/i.test(execPath.split(/[\\/]/).pop() ?? "");
}

/** The command, arguments and environment a client uses to start JanusMCP over stdio. */
export function launchSpec(facts: LaunchFacts): LaunchSpec {
  const env: Record<string, string> = facts.configPath === undefined
    ? {}
    : { JANUS_CONFIG: facts.configPath };
  if (!isDenoExecutable(facts.execPath)) return { command: facts.execPath, args: ["serve"], env };
  if (facts.mainModule.startsWith("file:")) {
    const main = fileURLToPath(facts.mainModule);
    const denoJson = join(dirname(main), "deno.json");
    if (facts.exists(denoJson)) {
      return {
        command: facts.execPath,
        // The same run flags (permission set included) the tests use.
        args: ["run", "--quiet", `--config=${denoJson}`, ...BROKER_RUN_FLAGS, main, "serve"],
        env,
      };
    }
  }
  const installed = facts.which("janusmcp");
  if (installed !== undefined) return { command: installed, args: ["serve"], env };
  throw new JanusError(
    "generic",
    `cannot tell how a client should start JanusMCP: this is neither the janusmcp binary nor a checkout ` +
      `(${facts.mainModule}), and no janusmcp is on PATH; install the binary or run this from a checkout`,
  );
}

/** One argument quoted for the user's shell, so a printed command can be pasted as it is. */
export function quoteArg(arg: string, os: typeof Deno.build.os): string {
  if (/^[A-Za-z0-9_\/.:=@%+,-]+$/.test(arg)) return arg;
  if (os === "windows") return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, "$1$1")}"`;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** A whole command line quoted for the user's shell. */
export function quoteCommand(argv: string[], os: typeof Deno.build.os): string {
  return argv.map((arg) => quoteArg(arg, os)).join(" ");
}

/** Finds an executable on PATH (with PATHEXT on Windows). */
export function whichOnPath(
  name: string,
  env: (name: string) => string | undefined,
  os: typeof Deno.build.os,
  isFile: (path: string) => boolean,
): string | undefined {
  const separator = os === "windows" ? ";" : ":";
  const extensions = os === "windows" ? (env("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").split(";") : [""];
  for (const dir of (env("PATH") ?? "").split(separator)) {
    if (dir === "") continue;
    for (const extension of extensions) {
      const candidate = join(dir, name + extension.toLowerCase());
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}
