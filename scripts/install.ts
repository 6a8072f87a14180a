// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Installs the `janusmcp` command from this checkout with the project's permission set:
 *
 *   deno task install [--root DIR]      (DIR defaults to DENO_INSTALL_ROOT or ~/.deno)
 *
 * `deno install -P=janusmcp` would write a launcher without the set (Deno 2.9.6), so the set's
 * flags are passed explicitly, derived from deno.json, with the other run flags of lib/run_flags.ts. Then the installed command is run once.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { permissionFlags, readPermissionSet } from "./permission_flags.ts";
import { RUN_ONLY_FLAGS } from "../lib/run_flags.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DENO_JSON = `${ROOT}deno.json`;
const MAIN = `${ROOT}main.ts`;

/** The `deno install` arguments that install janusmcp with exactly the named set. */
export async function installArgs(root?: string): Promise<string[]> {
  // The permission set's flags stand for PERMISSION_SET_FLAG; the rest as every `deno run` of the broker.
  const flags = [...permissionFlags(await readPermissionSet(DENO_JSON), ROOT), ...RUN_ONLY_FLAGS];
  return [
    "install",
    "--global",
    "--force",
    "--quiet",
    "--config",
    DENO_JSON,
    "--name",
    "janusmcp",
    ...(root === undefined ? [] : ["--root", root]),
    ...flags,
    MAIN,
  ];
}

const USAGE = "Usage: deno task install [--root DIR]   (DIR defaults to DENO_INSTALL_ROOT or ~/.deno)";

/** The options given, or the reason they cannot be used (an unknown option, a missing value). */
export function installOptions(args: string[]): { root?: string; help: boolean } | { problem: string } {
  try {
    const { values } = parseArgs({ args, options: { root: { type: "string" }, help: { type: "boolean" } } });
    return { root: values.root, help: values.help === true };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

if (import.meta.main) {
  const options = installOptions(Deno.args);
  if ("problem" in options) {
    console.error(`${options.problem}\n${USAGE}`);
    Deno.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  // Deno's own output stays visible: a failed install says why.
  const installed = await new Deno.Command("deno", {
    args: await installArgs(options.root),
    stderr: "inherit",
  })
    .output();
  if (installed.code !== 0) {
    console.error(`deno install failed (exit ${installed.code}); nothing else was done`);
    Deno.exit(installed.code);
  }
  const root = options.root ?? Deno.env.get("DENO_INSTALL_ROOT") ??
    `${Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE")}/.deno`;
  const bin = `${root}/bin`;
  const launcher = `${bin}/janusmcp${Deno.build.os === "windows" ? ".cmd" : ""}`;
  const check = await new Deno.Command(launcher, { args: ["--version"], stdout: "piped", stderr: "inherit" })
    .output();
  if (check.code !== 0) {
    console.error(`installed ${launcher}, but "janusmcp --version" failed (exit ${check.code})`);
    Deno.exit(1);
  }
  console.log(`Installed ${new TextDecoder().decode(check.stdout).trim()} as ${launcher}`);
  const onPath = (Deno.env.get("PATH") ?? "").split(Deno.build.os === "windows" ? ";" : ":").includes(bin);
  if (!onPath) {
    console.log(`Add ${bin} to your PATH, then: janusmcp install claude-desktop (or cursor, vscode, …)`);
  } else console.log("Next: janusmcp install claude-desktop (or cursor, vscode, …)");
}
