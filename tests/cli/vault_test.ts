/**
 * `janusmcp vault`. main.ts does not dispatch `vault` yet, so these run the command object
 * (`createVaultCommand(...).run`) with a context that captures stdout/stderr, real config files
 * and a real vault (the encrypted file; the OS keychain where one answers). Stdin is an in-memory
 * pipe; the real-stdin prompt paths are covered by tests/secrets/prompt_test.ts in subprocesses.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exitCodeFor, JanusError } from "../../lib/errors.ts";
import { GLOBAL_OPTIONS, type ParsedArgs, parseOptions } from "../../lib/cli/args.ts";
import type { CliContext } from "../../lib/cli/context.ts";
import { createVaultCommand, vaultCommand } from "../../lib/cli/vault.ts";
import type { SecretInput } from "../../lib/secrets/prompt.ts";
import { createKeychainVault } from "../../lib/secrets/keychain_vault.ts";
import { keychainTest } from "../secrets/secret_service.ts";

const PASSPHRASE = "cli test passphrase";
const GH_VALUE = "ghp_cli_test_value_0123456789";

/** Piped stdin holding `text` (not a terminal). */
function pipedStdin(text: string): SecretInput {
  let rest = new TextEncoder().encode(text);
  return {
    isTerminal: () => false,
    setRaw: () => {
      throw new Error("stdin is a pipe");
    },
    read(buffer) {
      if (rest.length === 0) return Promise.resolve(null);
      const count = Math.min(buffer.length, rest.length);
      buffer.set(rest.subarray(0, count));
      rest = rest.subarray(count);
      return Promise.resolve(count);
    },
  };
}

interface Outcome {
  code: number;
  out: string;
  err: string;
  error?: JanusError;
}

interface Fixture {
  dir: string;
  configPath: string;
  env: Record<string, string>;
  run(args: string[], options?: { stdin?: string; json?: boolean }): Promise<Outcome>;
}

const CONFIG = `{
  // JSONC, as users write it
  "accounts": [
    {
      "id": "gh-work", "service": "github", "command": "gh-mcp",
      "args": ["--token", "\${vault:GH_WORK}"],
      "env": { "GITHUB_TOKEN": "vault:GH_WORK", "OTHER": "\${vault:SHARED}" }
    },
    {
      "id": "sb-prod", "service": "supabase", "transport": "http",
      "url": "https://db.example.test/mcp?key=\${vault:SB_URL_KEY}",
      "headers": { "Authorization": "Bearer \${vault:SHARED}" }
    }
  ]
}`;

async function fixture(env: Record<string, string>): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "janus-cli-vault-" });
  const configPath = join(dir, "config.json");
  await Deno.writeTextFile(configPath, CONFIG);
  return {
    dir,
    configPath,
    env,
    async run(args, options = {}) {
      const out: string[] = [];
      const err: string[] = [];
      const command = createVaultCommand({
        env: (name) => env[name],
        stdin: pipedStdin(options.stdin ?? ""),
      });
      // The flags are parsed as main parses them: the global ones with the command's own.
      let parsed: ParsedArgs;
      try {
        parsed = parseOptions(args, { ...GLOBAL_OPTIONS, ...command.options }, "vault");
      } catch (error) {
        assert.ok(error instanceof JanusError);
        return { code: exitCodeFor(error.code), out: "", err: "", error };
      }
      const ctx: CliContext = {
        json: options.json === true || parsed.values.json === true,
        configPath,
        out: (text) => out.push(text),
        err: (text) => err.push(text),
      };
      try {
        const code = await command.run(parsed, ctx);
        return { code, out: out.join(""), err: err.join("") };
      } catch (error) {
        assert.ok(error instanceof JanusError, `commands throw JanusError only, got ${error}`);
        return { code: exitCodeFor(error.code), out: out.join(""), err: err.join(""), error };
      }
    },
  };
}

function fileFixture(): Promise<Fixture> {
  return fixture({ JANUS_VAULT: "file", JANUS_VAULT_PASSPHRASE: PASSPHRASE });
}

function assertNoValue(outcome: Outcome, ...values: string[]): void {
  const everything = `${outcome.out}${outcome.err}${outcome.error?.message ?? ""}`;
  for (const value of values) {
    assert.ok(!everything.includes(value), `a secret value was printed: ${everything}`);
  }
}

Deno.test("vault set stores the piped value (one trailing newline dropped) and never prints it", async () => {
  const f = await fileFixture();
  try {
    const stored = await f.run(["set", "GH_WORK"], { stdin: `${GH_VALUE}\n` });
    assert.equal(stored.code, 0, stored.error?.message);
    assert.equal(stored.out, `Stored GH_WORK in the encrypted file ${join(f.dir, "vault.enc")}.\n`);
    assertNoValue(stored, GH_VALUE);

    const replaced = await f.run(["set", "GH_WORK"], { stdin: "ghp_second_value_xyz", json: true });
    assert.equal(replaced.code, 0);
    assert.deepEqual(JSON.parse(replaced.out), {
      ok: true,
      name: "GH_WORK",
      backend: "file",
      replaced: true,
      referencedBy: ["gh-work"],
      warnings: [],
    });
    assertNoValue(replaced, "ghp_second_value_xyz");

    const { createFileVault } = await import("../../lib/secrets/file_vault.ts");
    const vault = createFileVault({
      path: join(f.dir, "vault.enc"),
      passphrase: () => Promise.resolve(PASSPHRASE),
    });
    assert.equal(await vault.get("GH_WORK"), "ghp_second_value_xyz");
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("vault set never takes the value from argv: usage error, nothing stored", async () => {
  const f = await fileFixture();
  try {
    const outcome = await f.run(["set", "GH_WORK", GH_VALUE], { stdin: "from-stdin-value" });
    assert.equal(outcome.code, 2);
    assert.match(outcome.error?.message ?? "", /never from the command line/);
    assertNoValue(outcome, GH_VALUE);
    await assert.rejects(Deno.stat(join(f.dir, "vault.enc")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("vault set warns about a value too short to be scrubbed from results", async () => {
  const f = await fileFixture();
  try {
    const outcome = await f.run(["set", "PIN"], { stdin: "123\n" });
    assert.equal(outcome.code, 0);
    assert.match(outcome.err, /warning: PIN is shorter than 8 characters/);
    assert.match(outcome.err, /note: no account references vault:PIN yet/);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("vault set with empty stdin is a usage error", async () => {
  const f = await fileFixture();
  try {
    const outcome = await f.run(["set", "GH_WORK"], { stdin: "\n" });
    assert.equal(outcome.code, 2);
    assert.match(outcome.error?.message ?? "", /empty secret value on stdin/);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("vault list --json: names, the accounts referencing each, and referenced-but-missing names", async () => {
  const f = await fileFixture();
  try {
    await f.run(["set", "GH_WORK"], { stdin: GH_VALUE });
    await f.run(["set", "UNUSED"], { stdin: "unused-value-1" });
    const outcome = await f.run(["list"], { json: true });
    assert.equal(outcome.code, 0, outcome.error?.message);
    assert.deepEqual(JSON.parse(outcome.out), {
      ok: true,
      backend: "file",
      secrets: [
        { name: "GH_WORK", referencedBy: ["gh-work"], missing: false },
        { name: "SB_URL_KEY", referencedBy: ["sb-prod"], missing: true },
        { name: "SHARED", referencedBy: ["gh-work", "sb-prod"], missing: true },
        { name: "UNUSED", referencedBy: [], missing: false },
      ],
    });
    assert.equal(outcome.out.split("\n").filter(Boolean).length, 1, "one JSON document");
    assertNoValue(outcome, GH_VALUE, "unused-value-1");

    const text = await f.run(["list"]);
    assert.equal(text.code, 0);
    assert.match(text.out, /^NAME\s+STATUS\s+REFERENCED BY\n/);
    assert.match(text.out, /\nSHARED\s+missing\s+gh-work, sb-prod\n/);
    assert.match(text.out, /\nUNUSED\s+set\s+-\n/);
    assert.match(text.out, /2 referenced but missing/);
    assertNoValue(text, GH_VALUE, "unused-value-1");
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("vault list --json also works when the config file does not exist", async () => {
  const f = await fileFixture();
  try {
    await Deno.remove(f.configPath);
    const outcome = await f.run(["list"], { json: true });
    assert.equal(outcome.code, 0, outcome.error?.message);
    assert.deepEqual(JSON.parse(outcome.out), { ok: true, backend: "file", secrets: [] });
    const text = await f.run(["list"]);
    assert.match(
      text.out,
      /^No secrets in the encrypted file .*vault\.enc, and the config references none\.\n$/,
    );
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("vault delete removes a secret (exit 0) and warns when accounts still reference it", async () => {
  const f = await fileFixture();
  try {
    await f.run(["set", "GH_WORK"], { stdin: GH_VALUE });
    const deleted = await f.run(["delete", "GH_WORK"]);
    assert.equal(deleted.code, 0);
    assert.match(deleted.out, /^Deleted GH_WORK from the encrypted file/);
    assert.match(deleted.err, /warning: gh-work still reference vault:GH_WORK/);
    const listed = await f.run(["list", "--json"]);
    assert.deepEqual(
      JSON.parse(listed.out).secrets.find((secret: { name: string }) => secret.name === "GH_WORK"),
      { name: "GH_WORK", referencedBy: ["gh-work"], missing: true },
    );
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("vault delete of a name that does not exist is a clear error", async () => {
  const f = await fileFixture();
  try {
    const outcome = await f.run(["delete", "NOPE"], { json: true });
    assert.equal(outcome.code, 2);
    assert.equal(outcome.out, "");
    assert.match(outcome.error?.message ?? "", /^no secret named NOPE in the encrypted file .*vault list/);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("bad names, unknown subcommands and unknown flags are usage errors (exit 2)", async () => {
  const f = await fileFixture();
  try {
    const cases: [string[], RegExp][] = [
      [["set", "has space"], /invalid secret name "has space"/],
      [["set", "vault:GH"], /invalid secret name/],
      [["delete", "x".repeat(65)], /invalid secret name/],
      [["set"], /vault set needs a NAME/],
      [["delete"], /vault delete needs a NAME/],
      [["list", "extra"], /vault list takes no arguments/],
      [["rotate", "GH"], /unknown vault subcommand "rotate"/],
      [["toString"], /unknown vault subcommand "toString"/],
      [[], /vault needs a subcommand/],
      [["list", "--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [args, pattern] of cases) {
      const outcome = await f.run(args, { stdin: "value-1234" });
      assert.equal(outcome.code, 2, `${args.join(" ")}: ${outcome.error?.message}`);
      assert.equal(outcome.error?.code, "usage");
      assert.match(outcome.error?.message ?? "", pattern);
    }
    await assert.rejects(Deno.stat(join(f.dir, "vault.enc")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("a wrong vault passphrase is an auth error (exit 4) and leaves the vault as it was", async () => {
  const f = await fileFixture();
  try {
    await f.run(["set", "GH_WORK"], { stdin: GH_VALUE });
    const before = await Deno.readFile(join(f.dir, "vault.enc"));
    f.env.JANUS_VAULT_PASSPHRASE = "not the passphrase";
    for (const args of [["list"], ["set", "GH_WORK"], ["delete", "GH_WORK"]]) {
      const outcome = await f.run(args, { stdin: "new-value-1234" });
      assert.equal(outcome.code, 4, `${args.join(" ")}: ${outcome.error?.message}`);
      assert.match(outcome.error?.message ?? "", /^wrong vault passphrase for .*vault\.enc$/);
    }
    assert.deepEqual(await Deno.readFile(join(f.dir, "vault.enc")), before);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("a file vault without JANUS_VAULT_PASSPHRASE and no terminal says how to unlock it", async () => {
  const f = await fixture({ JANUS_VAULT: "file" });
  try {
    const outcome = await f.run(["set", "GH_WORK"], { stdin: GH_VALUE });
    assert.equal(outcome.code, 4);
    assert.match(outcome.error?.message ?? "", /needs a passphrase: set JANUS_VAULT_PASSPHRASE/);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("an invalid config is reported (exit 3) before any secret is read", async () => {
  const f = await fileFixture();
  try {
    await Deno.writeTextFile(f.configPath, '{"accounts": [{"id": "x"}]}');
    const outcome = await f.run(["set", "GH_WORK"], { stdin: GH_VALUE });
    assert.equal(outcome.code, 3);
    assert.ok(outcome.error?.message.includes(f.configPath));
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

Deno.test("vault help prints the usage; the exported command is named vault", async () => {
  const f = await fileFixture();
  try {
    const outcome = await f.run(["help"]);
    assert.equal(outcome.code, 0);
    assert.match(outcome.out, /janusmcp vault set NAME/);
    assert.equal(vaultCommand.name, "vault");
    assert.ok(vaultCommand.summary.length > 0);
    assert.match(vaultCommand.usage, /never taken from the command line/);
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
});

keychainTest("vault set, list and delete against the real OS keychain", async () => {
  // The command uses the real `janusmcp` service; a unique name keeps a developer's own secrets apart.
  const name = `janus-cli-test-${crypto.randomUUID().slice(0, 8)}`;
  const f = await fixture({});
  try {
    const stored = await f.run(["set", name], { stdin: "keychain-cli-value-1" });
    assert.equal(stored.code, 0, stored.error?.message);
    assert.equal(stored.out, `Stored ${name} in the OS keychain.\n`);
    const listed = await f.run(["list"], { json: true });
    assert.equal(listed.code, 0);
    const document = JSON.parse(listed.out);
    assert.equal(document.backend, "keychain");
    assert.ok(document.secrets.some((secret: { name: string }) => secret.name === name));
    assertNoValue(listed, "keychain-cli-value-1");
    assert.equal((await f.run(["delete", name])).code, 0);
    assert.equal((await f.run(["delete", name])).code, 2);
  } finally {
    await createKeychainVault().delete(name).catch(() => false);
    await Deno.remove(f.dir, { recursive: true });
  }
});
