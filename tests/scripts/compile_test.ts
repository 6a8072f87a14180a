/**
 * The release build (scripts/compile.ts). `deno compile` itself cannot run here (it downloads its
 * runtime), so these tests prove what can be proved without it: the compile command grants exactly
 * the named set that the tests run with, the dry run names every artifact, and packaging a
 * binary yields the archives, the .mcpb bundle and checksums that verify.
 */
import { must } from "../must.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  binaryName,
  buildTarget,
  checksums,
  compileArgs,
  mcpbManifest,
  TARGETS,
} from "../../scripts/compile.ts";
import { permissionFlags, readPermissionSet } from "../../scripts/permission_flags.ts";
import { PRODUCT } from "../../lib/version.ts";
import { RUN_ONLY_FLAGS } from "../../lib/run_flags.ts";
import { REPO } from "../e2e/harness.ts";

const denoJson = JSON.parse(await Deno.readTextFile(`${REPO}deno.json`));
const permissionArg = (arg: string) => /^(-A|--allow-|--deny-|-P|--permission-set|--no-prompt)/.test(arg);

/** The flags the named set in deno.json means, worked out here independently of the scripts. */
function expectedFlags(): string[] {
  const set = denoJson.permissions.janusmcp as Record<string, boolean | string[]>;
  return ["read", "write", "net", "env", "run", "ffi", "sys", "import"].flatMap((kind) => {
    const grant = set[kind];
    if (grant === true) return [`--allow-${kind}`];
    if (Array.isArray(grant) && grant.length > 0) return [`--allow-${kind}=${grant.join(",")}`];
    return [];
  });
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const output = await new Deno.Command(args[0], { args: args.slice(1), stdout: "piped", stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, out: decode(output.stdout) + decode(output.stderr) };
}

Deno.test("deno compile gets exactly the janusmcp permission set, for every target", async () => {
  assert.deepEqual(permissionFlags(await readPermissionSet(`${REPO}deno.json`), REPO), expectedFlags());
  for (const target of TARGETS) {
    const args = await compileArgs(target, "/out/x");
    assert.deepEqual(args.filter(permissionArg), expectedFlags(), target.triple);
    assert.equal(args[args.indexOf("--config") + 1], join(REPO, "deno.json"));
    assert.equal(args[args.indexOf("--target") + 1], target.triple);
    assert.equal(args.at(-1), join(REPO, "main.ts"));
  }
});

Deno.test("what ships is what is tested: the broker runs with -P=janusmcp everywhere, never -A", async () => {
  // That every launch line uses the same run flags is tests/scripts/run_flags_test.ts.
  for (const script of ["scripts/conformance.ts", "scripts/bench/processes.ts", "tests/e2e/harness.ts"]) {
    const text = await Deno.readTextFile(`${REPO}${script}`);
    assert.match(text, /\.\.\.BROKER_RUN_FLAGS,/, `${script} starts the broker with the run flags`);
    assert.doesNotMatch(
      text,
      /"-A",?\s*(\.\.\.\w+,\s*)?`?\$\{REPO\}main\.ts/,
      `${script} never gives the broker -A`,
    );
  }
  assert.match(denoJson.tasks.compile.command, /scripts\/compile\.ts$/);
});

Deno.test("the version comes from deno.json only", async () => {
  assert.equal(PRODUCT.version, denoJson.version);
  assert.doesNotMatch(await Deno.readTextFile(`${REPO}lib/version.ts`), /["']\d+\.\d+\.\d+["']/);
});

Deno.test("compile --dry-run names all five binaries and writes nothing", async () => {
  const out = join(await Deno.makeTempDir(), "dist");
  const { code, out: said } = await run(["deno", "task", "--quiet", "compile", "--dry-run", "--out", out]);
  assert.equal(code, 0, said);
  const compiles = said.split("\n").filter((line) => line.startsWith("$ deno compile "));
  assert.equal(compiles.length, 5);
  for (const target of TARGETS) {
    const line = must(compiles.find((l) => l.includes(`--target ${target.triple} `)), target.triple);
    assert.ok(line.includes(`--output ${join(out, binaryName(denoJson.version, target))} `), line);
    assert.deepEqual(line.split(" ").filter(permissionArg), expectedFlags());
    for (const flag of RUN_ONLY_FLAGS) {
      assert.ok(!line.includes(flag), `${flag} is for deno run only: ${line}`);
    }
  }
  assert.ok(binaryName(denoJson.version, TARGETS[4]).endsWith("-x86_64-pc-windows-msvc.exe"));
  assert.match(said, new RegExp(`^janusmcp ${denoJson.version} at [0-9a-f]{40} `, "m"));
  await assert.rejects(Deno.stat(out), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(`${REPO}build_info.json`), Deno.errors.NotFound);
});

/** Runs the official MCPB validator (npm @anthropic-ai/mcpb) on a manifest. */
async function validateManifest(manifest: unknown): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir({ prefix: "janus mcpb " });
  await Deno.writeTextFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  const output = await new Deno.Command("deno", {
    args: ["run", "-A", "--quiet", "npm:@anthropic-ai/mcpb@2.1.2", "validate", join(dir, "manifest.json")],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, out: decode(output.stdout) + decode(output.stderr) };
}

Deno.test("each platform's .mcpb manifest passes the official MCPB validator", async () => {
  for (const target of TARGETS) {
    const { code, out } = await validateManifest(mcpbManifest(denoJson.version, target));
    assert.equal(code, 0, out);
    assert.match(out, /Manifest schema validation passes/, target.triple);
  }
  // The validator can fail: a platform name it does not know is refused.
  const broken = { ...mcpbManifest(denoJson.version, TARGETS[0]), compatibility: { platforms: ["win64"] } };
  assert.match((await validateManifest(broken)).out, /Manifest validation failed/);
});

Deno.test("an unknown target is refused before anything is built", async () => {
  const { code, out } = await run([
    "deno",
    "task",
    "--quiet",
    "compile",
    "--dry-run",
    "--target",
    "riscv64-linux",
  ]);
  assert.equal(code, 1);
  assert.match(out, /unknown target riscv64-linux; targets: x86_64-unknown-linux-gnu/);
});

Deno.test({
  name: "packaging a binary gives a tar.gz or zip, a .mcpb with its manifest, and SHA256SUMS that verify",
  // Checked with GNU tar, Info-ZIP and coreutils' sha256sum, as on the Linux release runner.
  ignore: Deno.build.os !== "linux",
}, async () => {
  const out = await Deno.makeTempDir({ prefix: "janus dist " });
  const version = denoJson.version;
  for (const target of [TARGETS[0], TARGETS[4]]) {
    // A stand-in for the compiled binary (deno compile cannot run here).
    await Deno.writeTextFile(join(out, binaryName(version, target)), `binary for ${target.triple}\n`, {
      mode: 0o755,
    });
    await buildTarget(version, target, out, { dryRun: false, compile: false });
  }
  await Deno.remove(join(out, ".stage"), { recursive: true });
  await Deno.writeTextFile(join(out, "SHA256SUMS"), await checksums(out));

  const linux = `janusmcp-${version}-x86_64-unknown-linux-gnu`;
  assert.deepEqual((await run(["tar", "-tzf", join(out, `${linux}.tar.gz`)])).out.trim().split("\n").sort(), [
    "LICENSE",
    "README.md",
    "janusmcp",
  ]);
  const windows = `janusmcp-${version}-x86_64-pc-windows-msvc`;
  assert.match((await run(["unzip", "-l", join(out, `${windows}.zip`)])).out, /janusmcp\.exe/);
  const mcpb = (await run(["unzip", "-p", join(out, `${windows}.mcpb`), "manifest.json"])).out;
  assert.deepEqual(JSON.parse(mcpb), mcpbManifest(version, TARGETS[4]));
  assert.equal(JSON.parse(mcpb).server.mcp_config.command, "${__dirname}/server/janusmcp.exe");
  assert.equal(
    (await run(["unzip", "-p", join(out, `${linux}.mcpb`), "server/janusmcp"])).out,
    "binary for x86_64-unknown-linux-gnu\n",
  );

  // Claude Desktop runs the bundled binary as it is unpacked: it must stay executable.
  assert.match((await run(["zipinfo", join(out, `${linux}.mcpb`)])).out, /rwxr-xr-x .* server\/janusmcp\n/);

  const sums = await Deno.readTextFile(join(out, "SHA256SUMS"));
  assert.equal(sums.trim().split("\n").length, 6); // two binaries, two archives, two bundles
  const verified = await new Deno.Command("sha256sum", {
    args: ["-c", "SHA256SUMS"],
    cwd: out,
    stdout: "piped",
  })
    .output();
  assert.equal(verified.code, 0, new TextDecoder().decode(verified.stdout));
});
