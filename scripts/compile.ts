// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Builds the release: `janusmcp` for five targets with the project's named permission set,
 * each as a bare binary, an archive (tar.gz, zip for Windows) and a Claude Desktop extension
 * (`.mcpb`: manifest + binary), then `SHA256SUMS`.
 *
 *   deno task compile                          # every target (deno compile downloads each runtime)
 *   deno task compile --target aarch64-apple-darwin
 *   deno task compile --dry-run                # print every command, run nothing
 *   deno task compile --checksums-only         # just (re)write dist/SHA256SUMS
 *
 * The version comes from deno.json only; the commit is stamped into the binary (build_info.json,
 * embedded with --include) so `janusmcp --version` names it.
 */
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { permissionFlags, readPermissionSet } from "./permission_flags.ts";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const DENO_JSON = join(ROOT, "deno.json");
const MAIN = join(ROOT, "main.ts");
const BUILD_INFO = join(ROOT, "build_info.json");
/** The MCPB packer, at the version deno.json pins (npm @anthropic-ai/mcpb). */
const MCPB_PACKER: string =
  JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).imports["@anthropic-ai/mcpb"];

/** A release target: its Rust-style triple, OS and archive kind. */
export interface Target {
  triple: string;
  os: "linux" | "darwin" | "windows";
  /** The OS name Claude Desktop extensions use in `compatibility.platforms`. */
  mcpbPlatform: "linux" | "darwin" | "win32";
}

/** The five release targets. */
export const TARGETS: readonly Target[] = [
  { triple: "x86_64-unknown-linux-gnu", os: "linux", mcpbPlatform: "linux" },
  { triple: "aarch64-unknown-linux-gnu", os: "linux", mcpbPlatform: "linux" },
  { triple: "x86_64-apple-darwin", os: "darwin", mcpbPlatform: "darwin" },
  { triple: "aarch64-apple-darwin", os: "darwin", mcpbPlatform: "darwin" },
  { triple: "x86_64-pc-windows-msvc", os: "windows", mcpbPlatform: "win32" },
];

/** One step of the build: a command (with where to run it), or a file copy done in-process. */
export type Step = { argv: string[]; cwd?: string } | { copy: { from: string; to: string } };

/** The version in deno.json: the only place it is written. */
export async function projectVersion(): Promise<string> {
  return JSON.parse(await Deno.readTextFile(DENO_JSON)).version;
}

const exe = (target: Target) => (target.os === "windows" ? ".exe" : "");

/** `janusmcp-<version>-<triple>[.exe]` */
export function binaryName(version: string, target: Target): string {
  return `janusmcp-${version}-${target.triple}${exe(target)}`;
}

/** The `deno compile` arguments for one target: the named set as flags, nothing more. */
export async function compileArgs(target: Target, output: string): Promise<string[]> {
  const flags = permissionFlags(await readPermissionSet(DENO_JSON), ROOT);
  return [
    "compile",
    "--config",
    DENO_JSON,
    "--target",
    target.triple,
    "--output",
    output,
    "--include",
    BUILD_INFO,
    ...flags,
    MAIN,
  ];
}

/** A zip of `files` (relative to `dir`): Info-ZIP on Linux (GNU tar writes no zip), bsdtar elsewhere. */
function zipStep(host: typeof Deno.build.os, output: string, dir: string, files: string[]): Step {
  if (host === "linux") return { argv: ["zip", "-q", "-r", output, ...files], cwd: dir };
  return { argv: ["tar", "--format", "zip", "-cf", output, "-C", dir, ...files] };
}

/** The Claude Desktop extension manifest for one platform's binary. */
export function mcpbManifest(version: string, target: Target): Record<string, unknown> {
  const entry = `server/janusmcp${exe(target)}`;
  return {
    manifest_version: "0.3",
    name: "janusmcp",
    display_name: "JanusMCP",
    version,
    description: "One local MCP endpoint for many accounts of the same services.",
    author: { name: "JanusMCP contributors" },
    license: "MIT",
    server: {
      type: "binary",
      entry_point: entry,
      mcp_config: { command: `\${__dirname}/${entry}`, args: ["serve"] },
    },
    tools_generated: true,
    compatibility: { platforms: [target.mcpbPlatform] },
  };
}

/** Every command that builds one target into `out`, after the compile itself. */
export function packageSteps(
  version: string,
  target: Target,
  out: string,
  host: typeof Deno.build.os,
): { stage: string; mcpbStage: string; steps: Step[] } {
  const binary = join(out, binaryName(version, target));
  const name = `janusmcp-${version}-${target.triple}`;
  const stage = join(out, ".stage", name);
  const mcpbStage = join(out, ".stage", `${name}-mcpb`);
  const inner = `janusmcp${exe(target)}`;
  const files = [inner, "README.md", "LICENSE"];
  const archive = target.os === "windows"
    ? zipStep(host, join(out, `${name}.zip`), stage, files)
    : { argv: ["tar", "-czf", join(out, `${name}.tar.gz`), "-C", stage, ...files] };
  return {
    stage,
    mcpbStage,
    steps: [
      { copy: { from: binary, to: join(stage, inner) } },
      archive,
      { copy: { from: binary, to: join(mcpbStage, "server", inner) } },
      // The official packer validates the manifest and keeps the binary's executable bit.
      {
        argv: ["deno", "run", "-A", "--quiet", MCPB_PACKER, "pack", mcpbStage, join(out, `${name}.mcpb`)],
        cwd: ROOT,
      },
    ],
  };
}

/** `SHA256SUMS` text (sha256sum format) for the release files in `out`. */
export async function checksums(out: string): Promise<string> {
  const names = [...Deno.readDirSync(out)]
    .filter((entry) => entry.isFile && entry.name.startsWith("janusmcp-"))
    .map((entry) => entry.name)
    .sort();
  const lines = [];
  for (const name of names) {
    const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(join(out, name)));
    const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    lines.push(`${hex}  ${name}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

async function commit(): Promise<string> {
  const fromCi = Deno.env.get("GITHUB_SHA");
  if (fromCi) return fromCi;
  const git = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], cwd: ROOT, stdout: "piped" })
    .output();
  if (git.code !== 0) throw new Error("cannot stamp the build: git rev-parse HEAD failed (set GITHUB_SHA)");
  return new TextDecoder().decode(git.stdout).trim();
}

async function run(step: Step): Promise<void> {
  if ("copy" in step) return await Deno.copyFile(step.copy.from, step.copy.to);
  const [command, ...args] = step.argv;
  const status = await new Deno.Command(command, { args, cwd: step.cwd }).spawn().status;
  if (!status.success) throw new Error(`failed (exit ${status.code}): ${step.argv.join(" ")}`);
}

/** A step as a line a person can read (and, for commands, paste). */
export function show(step: Step): string {
  if ("copy" in step) return `copy ${step.copy.from} ${step.copy.to}`;
  return `${step.cwd ? `(cd ${step.cwd} && ` : ""}${step.argv.join(" ")}${step.cwd ? ")" : ""}`;
}

/**
 * Compiles one target (unless `compile` is false: the binary is already in `out`) and packages
 * it: archive and .mcpb. Each step is printed; a dry run only prints.
 */
export async function buildTarget(
  version: string,
  target: Target,
  out: string,
  options: { dryRun: boolean; compile: boolean },
): Promise<void> {
  const compile: Step = {
    argv: ["deno", ...await compileArgs(target, join(out, binaryName(version, target)))],
  };
  const { stage, mcpbStage, steps } = packageSteps(version, target, out, Deno.build.os);
  if (!options.dryRun) {
    await Deno.mkdir(join(mcpbStage, "server"), { recursive: true });
    await Deno.mkdir(stage, { recursive: true });
    for (const file of ["README.md", "LICENSE"]) await Deno.copyFile(join(ROOT, file), join(stage, file));
    const manifest = `${JSON.stringify(mcpbManifest(version, target), null, 2)}\n`;
    await Deno.writeTextFile(join(mcpbStage, "manifest.json"), manifest);
  }
  for (const step of options.compile ? [compile, ...steps] : steps) {
    console.log(`$ ${show(step)}`);
    if (!options.dryRun) await run(step);
  }
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: "string", multiple: true },
      out: { type: "string", default: join(ROOT, "dist") },
      "dry-run": { type: "boolean" },
      "checksums-only": { type: "boolean" },
    },
  });
  const out = values.out ?? join(ROOT, "dist");
  if (values["checksums-only"]) {
    await Deno.writeTextFile(join(out, "SHA256SUMS"), await checksums(out));
    console.log(`wrote ${join(out, "SHA256SUMS")}`);
    return;
  }
  const unknown = (values.target ?? []).filter((triple) => !TARGETS.some((t) => t.triple === triple));
  if (unknown.length > 0) {
    throw new Error(
      `unknown target ${unknown.join(", ")}; targets: ${TARGETS.map((t) => t.triple).join(", ")}`,
    );
  }
  const chosen = values.target;
  const targets = chosen === undefined ? TARGETS : TARGETS.filter((t) => chosen.includes(t.triple));
  const version = await projectVersion();
  const stamp = { version, commit: await commit() };
  const dryRun = values["dry-run"] === true;
  console.log(`janusmcp ${version} at ${stamp.commit} → ${out}${dryRun ? " (dry run)" : ""}`);
  if (!dryRun) {
    await Deno.mkdir(out, { recursive: true });
    await Deno.writeTextFile(BUILD_INFO, `${JSON.stringify(stamp)}\n`);
  }
  try {
    for (const target of targets) await buildTarget(version, target, out, { dryRun, compile: true });
    if (!dryRun) {
      await Deno.remove(join(out, ".stage"), { recursive: true });
      await Deno.writeTextFile(join(out, "SHA256SUMS"), await checksums(out));
      console.log(`wrote ${[...Deno.readDirSync(out)].map((e) => basename(e.name)).sort().join(", ")}`);
    }
  } finally {
    if (!dryRun) await Deno.remove(BUILD_INFO).catch(() => {});
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(`compile: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
}
