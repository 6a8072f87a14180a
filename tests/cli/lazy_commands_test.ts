/**
 * Commands are loaded only when they run (issue 13): the CLI's entry imports no npm package, so
 * `version` and `help` start without the SDK, and every listed face matches the command it loads.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { COMMANDS, main } from "../../lib/cli/main.ts";
import type { CliContext } from "../../lib/cli/context.ts";
import { BROKER_RUN_FLAGS } from "../../lib/run_flags.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** Runs `main` in-process with output captured. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const makeContext = (flags: { json: boolean; configPath?: string }): CliContext => ({
    ...flags,
    out: (text) => void (out += text),
    err: (text) => void (err += text),
  });
  const code = await main(args, makeContext);
  return { code, out, err };
}

interface InfoModule {
  specifier: string;
  dependencies?: { specifier: string; code?: { specifier?: string }; isDynamic?: boolean }[];
}

/** The modules main.ts loads before any command runs: its graph without dynamic imports. */
async function staticGraph(): Promise<Set<string>> {
  const output = await new Deno.Command("deno", { args: ["info", "--json", MAIN], stderr: "null" }).output();
  assert.ok(output.success, "deno info failed");
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: InfoModule[];
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      const target = dependency.code?.specifier;
      if (target && !dependency.isDynamic) visit(target);
    }
  };
  for (const root of info.roots) visit(root);
  return seen;
}

Deno.test("the CLI's entry statically imports no npm package and none of the layers under the CLI", async () => {
  const loaded = [...await staticGraph()];
  assert.deepEqual(loaded.filter((s) => s.startsWith("npm:")), [], "npm packages load before any command");
  const layers = loaded.filter((s) =>
    /\/lib\/(broker|transport|upstream|config|secrets|oauth|daemon)\//.test(s)
  );
  assert.deepEqual(layers, [], "broker, transport, config… load before any command");
});

Deno.test("every listed command loads the command its face describes", async () => {
  const names = new Set<string>();
  for (const listed of COMMANDS) {
    assert.ok(!names.has(listed.name), `${listed.name} is listed twice`);
    names.add(listed.name);
    const command = await listed.load();
    assert.equal(command.name, listed.name);
    assert.equal(command.summary, listed.summary, listed.name);
    assert.equal(command.hidden, listed.hidden, listed.name);
    assert.deepEqual(command.options, listed.options, listed.name);
    assert.match(command.usage, /Usage/, listed.name);
  }
});

Deno.test("every command's --help and help COMMAND print its usage and exit 0", async () => {
  for (const listed of COMMANDS) {
    const usage = `${(await listed.load()).usage}\n`;
    const viaFlag = await run(listed.name, "--help");
    assert.equal(viaFlag.code, 0, `${listed.name} --help: ${viaFlag.err}`);
    assert.equal(viaFlag.out, usage, `${listed.name} --help`);
    const viaHelp = await run("help", listed.name);
    assert.equal(viaHelp.code, 0, `help ${listed.name}: ${viaHelp.err}`);
    assert.equal(viaHelp.out, usage, `help ${listed.name}`);
  }
});

Deno.test("the real CLI answers version, help and an unknown command's usage error", async () => {
  const cli = async (...args: string[]) => {
    const output = await new Deno.Command("deno", {
      args: ["run", "--quiet", ...BROKER_RUN_FLAGS, MAIN, ...args],
      stdin: "null",
    }).output();
    return { code: output.code, out: new TextDecoder().decode(output.stdout) };
  };
  const version = await cli("version");
  assert.equal(version.code, 0);
  assert.match(version.out, /^janusmcp \d+\.\d+\.\d+/);
  const help = await cli("help");
  assert.equal(help.code, 0);
  assert.match(help.out, /Commands:\n {2}serve/);
  const help2 = await cli("help", "tools");
  assert.equal(help2.code, 0);
  assert.match(help2.out, /^Usage: janusmcp tools/);
  assert.equal((await cli("tools", "--bogus")).code, 2);
});
