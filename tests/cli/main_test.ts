import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliContext } from "../../lib/cli/context.ts";
import { main } from "../../lib/cli/main.ts";
import { PRODUCT } from "../../lib/version.ts";
import { BROKER_RUN_FLAGS } from "../../lib/run_flags.ts";

/** Output captured from every context `main` creates, plus the flags each was created with. */
interface Captured {
  out: string;
  err: string;
  contexts: { json: boolean; configPath?: string }[];
}

/** Runs `main` with a context factory that records instead of writing to the process streams. */
async function run(...args: string[]): Promise<Captured & { code: number }> {
  const captured: Captured = { out: "", err: "", contexts: [] };
  const makeContext = (flags: { json: boolean; configPath?: string }): CliContext => {
    captured.contexts.push({ ...flags });
    return {
      ...flags,
      out: (text) => {
        captured.out += text;
      },
      err: (text) => {
        captured.err += text;
      },
    };
  };
  const code = await main(args, makeContext);
  return { ...captured, code };
}

// --- main with a capturing context --------------------------------------------------------------

Deno.test("--version prints the name and version on stdout and exits 0", async () => {
  for (const args of [["--version"], ["-V"], ["version"], ["serve", "--version"]]) {
    const result = await run(...args);
    assert.equal(result.code, 0, args.join(" "));
    assert.equal(result.out, `${PRODUCT.name} ${PRODUCT.version}\n`, args.join(" "));
    assert.equal(result.err, "", args.join(" "));
  }
});

Deno.test("--version --json and version --json print one valid JSON document", async () => {
  for (const args of [["--version", "--json"], ["version", "--json"], ["--json", "version"]]) {
    const result = await run(...args);
    assert.equal(result.code, 0);
    assert.equal(result.err, "");
    assert.ok(result.out.endsWith("\n"));
    assert.equal(result.out.trim().split("\n").length, 1);
    const doc: unknown = JSON.parse(result.out);
    assert.deepEqual(doc, {
      ok: true,
      name: PRODUCT.name,
      version: PRODUCT.version,
      deno: Deno.version.deno,
    });
  }
});

Deno.test("help prints the overview listing the visible commands and global options", async () => {
  const result = await run("help");
  assert.equal(result.code, 0);
  assert.equal(result.err, "");
  assert.match(result.out, /^JanusMCP \d+\.\d+\.\d+/);
  for (const word of ["serve", "version", "help", "--config PATH", "--json", "--help, -h", "--version, -V"]) {
    assert.ok(result.out.includes(word), `overview lacks ${word}`);
  }
  assert.equal(result.out.includes("demo-upstream"), false, "hidden commands are not listed");
});

Deno.test("a bare --help prints the overview", async () => {
  for (const flag of ["--help", "-h"]) {
    const result = await run(flag);
    const overview = await run("help");
    assert.equal(result.code, 0);
    assert.equal(result.out, overview.out);
  }
});

Deno.test("help serve and serve --help print serve's usage", async () => {
  const viaHelp = await run("help", "serve");
  assert.equal(viaHelp.code, 0);
  assert.match(viaHelp.out, /^Usage: janusmcp \[serve\]/);
  assert.ok(viaHelp.out.includes("--demo"));
  const viaFlag = await run("serve", "--help");
  assert.equal(viaFlag.code, 0);
  assert.equal(viaFlag.out, viaHelp.out);
});

Deno.test("help for an unknown command exits 2 with a usage message", async () => {
  const result = await run("help", "nosuch");
  assert.equal(result.code, 2);
  assert.equal(result.out, "");
  assert.equal(result.err, 'janusmcp: unknown command "nosuch"; run "janusmcp help" for the list\n');
});

Deno.test("an unknown command exits 2 with the overview and the error on stderr", async () => {
  const result = await run("bogus");
  assert.equal(result.code, 2);
  assert.equal(result.out, "");
  assert.ok(result.err.startsWith("JanusMCP "), "the overview comes first");
  assert.ok(result.err.includes("Commands:"));
  assert.ok(result.err.endsWith('janusmcp: unknown command "bogus"\n'));
});

Deno.test("with --json an unknown command is reported as one usage envelope and nothing else", async () => {
  const result = await run("--json", "bogus");
  assert.equal(result.code, 2);
  assert.equal(result.out, "");
  assert.equal(result.err.split("\n").length, 2, "one line and its newline");
  assert.deepEqual(JSON.parse(result.err), {
    ok: false,
    error: { code: "usage", message: 'unknown command "bogus"' },
  });
});

Deno.test("with --json a bad global flag is a usage envelope and nothing else", async () => {
  const result = await run("--json", "--config");
  assert.equal(result.code, 2);
  assert.equal(result.out, "");
  assert.equal(result.err.endsWith("\n"), true);
  assert.deepEqual(JSON.parse(result.err), {
    ok: false,
    error: { code: "usage", message: "--config needs a file path" },
  });
});

Deno.test("with --json help for an unknown command is a usage envelope", async () => {
  const result = await run("help", "nosuch", "--json");
  assert.equal(result.code, 2);
  assert.deepEqual(JSON.parse(result.err), {
    ok: false,
    error: { code: "usage", message: 'unknown command "nosuch"; run "janusmcp help" for the list' },
  });
});

Deno.test("a bad global flag without --json is one plain line", async () => {
  const result = await run("--config");
  assert.equal(result.code, 2);
  assert.equal(result.err, "janusmcp: --config needs a file path\n");
});

Deno.test("the context a command gets carries --json and --config", async () => {
  const result = await run("version", "--config", "/tmp/janus-x.json", "--json");
  assert.equal(result.code, 0);
  assert.deepEqual(result.contexts.at(-1), { json: true, configPath: "/tmp/janus-x.json" });
});

Deno.test("serve rejects an option it does not know with a usage error", async () => {
  const result = await run("serve", "--nope");
  assert.equal(result.code, 2);
  assert.match(result.err, /^janusmcp: serve: /);
});

// --- the real CLI in a subprocess ---------------------------------------------------------------

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** Runs `deno run BROKER_RUN_FLAGS main.ts ARGS` in the repo, as the shipped permission set allows. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = { ...Deno.env.toObject(), NO_COLOR: "1" };
  delete env.JANUS_CONFIG;
  const output = await new Deno.Command("deno", {
    args: ["run", ...BROKER_RUN_FLAGS, "main.ts", ...args],
    cwd: REPO,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** stderr without Deno's own notice about permissions in deno.json (absent from compiled binaries). */
function ownStderr(stderr: string): string {
  return stderr.split("\n").filter((line) => !/^Warning Permissions in the config file/.test(line)).join(
    "\n",
  );
}

/** The `--json` error envelope, as the CLI contract describes it. */
interface Envelope {
  ok: boolean;
  error: { code: string; message: string };
}

/** A config with two problems: a duplicate id and a stdio account without a command. */
const INVALID_CONFIG = `{
  // written by main_test.ts
  "accounts": [
    { "id": "acme", "service": "github", "command": "gh-mcp" },
    { "id": "acme", "service": "github" },
  ],
}
`;

Deno.test("the real CLI prints its version and exits 0", async () => {
  const result = await cli("--version");
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `${PRODUCT.name} ${PRODUCT.version}\n`);
});

Deno.test("the real CLI exits 2 on an unknown command", async () => {
  const result = await cli("bogus");
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.ok(ownStderr(result.stderr).includes('janusmcp: unknown command "bogus"'), result.stderr);
});

Deno.test("serve with an invalid config exits 3, names every problem path and writes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-main-test-" });
  try {
    const configPath = join(dir, "config.json");
    await Deno.writeTextFile(configPath, INVALID_CONFIG);
    const before = await Deno.readFile(configPath);

    const result = await cli("serve", "--config", configPath);

    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, "", "stdout is reserved for MCP frames");
    const stderr = ownStderr(result.stderr);
    assert.ok(stderr.includes(configPath), stderr);
    assert.ok(stderr.includes("accounts[1].id"), stderr);
    assert.ok(stderr.includes("accounts[1].command"), stderr);
    assert.deepEqual(await Deno.readFile(configPath), before, "the config file is left byte-identical");
    const entries = [];
    for await (const entry of Deno.readDir(dir)) entries.push(entry.name);
    assert.deepEqual(entries, ["config.json"], "no state.json or temp file is created");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve --json with an invalid config prints one config envelope on stderr", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-main-test-" });
  try {
    const configPath = join(dir, "config.json");
    await Deno.writeTextFile(configPath, INVALID_CONFIG);
    const before = await Deno.readFile(configPath);

    const result = await cli("--json", "serve", `--config=${configPath}`);

    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, "");
    const stderr = ownStderr(result.stderr).trim();
    assert.equal(stderr.split("\n").length, 1, `expected one line, got:\n${stderr}`);
    const envelope = JSON.parse(stderr) as Envelope;
    assert.deepEqual(Object.keys(envelope), ["ok", "error"]);
    assert.equal(envelope.ok, false);
    assert.deepEqual(Object.keys(envelope.error), ["code", "message"]);
    assert.equal(envelope.error.code, "config");
    assert.equal(typeof envelope.error.message, "string");
    assert.ok(envelope.error.message.includes("accounts[1].id"), envelope.error.message);
    assert.ok(envelope.error.message.includes("accounts[1].command"), envelope.error.message);
    assert.deepEqual(await Deno.readFile(configPath), before);
    assert.equal(await exists(join(dir, "state.json")), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("vault's --json and --config are reached through main, before or after the subcommand", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-main-test-" });
  try {
    const configPath = join(dir, "config.json");
    await Deno.writeTextFile(configPath, '{"vault": {"backend": "file"}, "accounts": []}');
    for (
      const args of [
        ["vault", "list", "--json", "--config", configPath],
        ["--json", "vault", `--config=${configPath}`, "list"],
      ]
    ) {
      const result = await run(...args);
      assert.equal(result.code, 0, result.err);
      assert.deepEqual(JSON.parse(result.out), { ok: true, backend: "file", secrets: [] });
    }
    const help = await run("vault", "list", "--help");
    assert.equal(help.code, 0);
    assert.match(help.out, /janusmcp vault set NAME/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("help lists the agent and daemon commands", async () => {
  const result = await run("help");
  for (const name of ["tools", "schema", "call", "use", "daemon"]) {
    assert.match(result.out, new RegExp(`\\n  ${name} +\\S`), name);
  }
  assert.match((await run("help", "call")).out, /--args JSON/);
});
