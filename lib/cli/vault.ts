/**
 * `janusmcp vault set|list|delete`: managing the secrets config references as `vault:NAME`.
 * Values come from a hidden prompt or stdin, never from argv, and no subcommand prints one.
 */
import { dirname } from "node:path";
import { JanusError } from "../errors.ts";
import { type JanusConfig, loadConfig, locateConfigFromEnvironment } from "../config/mod.ts";
import { accountReferences } from "../references.ts";
import {
  assertVaultName,
  chooseVaultBackend,
  fileVaultPath,
  MIN_REDACTABLE_LENGTH,
  openVault,
  type PassphrasePurpose,
  readSecretFromStdin,
  type SecretInput,
  type Vault,
} from "../secrets/mod.ts";
import type { ParsedArgs } from "./args.ts";
import type { CliContext, Command } from "./context.ts";
import { FACES } from "./faces.ts";

const USAGE = `Usage:
  janusmcp vault set NAME      store a secret; the value is typed at a hidden prompt or piped on stdin
  janusmcp vault list          list secret names and the accounts that reference them
  janusmcp vault delete NAME   remove a secret

Config refers to a secret as "vault:NAME" or "\${vault:NAME}". Names use A-Z a-z 0-9 _ . -
(1–64 characters). A value is never taken from the command line (it would stay in shell history)
and no command prints one:
  janusmcp vault set GITHUB_WORK              (hidden prompt)
  printf %s "$TOKEN" | janusmcp vault set GITHUB_WORK

Secrets live in the OS keychain. To keep them in an encrypted file (vault.enc beside the config)
instead, opt in with JANUS_VAULT=file or "vault": {"backend": "file"} in the config; its
passphrase comes from JANUS_VAULT_PASSPHRASE or a prompt.

Options:
  --json     print one JSON document
  -h, --help show this help`;

/** What the vault command reads from its surroundings (the process by default). */
export interface VaultCommandDeps {
  env: (name: string) => string | undefined;
  stdin: SecretInput;
}

interface Invocation {
  json: boolean;
  positionals: string[];
  configPath?: string;
}

interface Opened {
  vault: Vault;
  config: JanusConfig;
  /** Where the secrets are, in words ("the OS keychain"). */
  where: string;
}

/** The single NAME a subcommand takes, validated. */
function nameArgument(subcommand: string, positionals: string[]): string {
  if (positionals.length === 0) throw new JanusError("usage", `vault ${subcommand} needs a NAME\n\n${USAGE}`);
  if (positionals.length > 1) {
    throw new JanusError(
      "usage",
      subcommand === "set"
        ? "vault set takes only NAME: the value is read from a hidden prompt or stdin, never from the command line"
        : `vault ${subcommand} takes one NAME, got ${positionals.length} arguments`,
    );
  }
  assertVaultName(positionals[0]);
  return positionals[0];
}

/** Account ids referencing each vault name (env values, args, url, header values), sorted. */
function referencesByName(config: JanusConfig): Map<string, string[]> {
  const references = new Map<string, string[]>();
  for (const account of config.accounts) {
    for (const name of accountReferences(account).vault) {
      references.set(name, [...references.get(name) ?? [], account.id]);
    }
  }
  return new Map([...references].map(([name, ids]) => [name, ids.sort()]));
}

function printJson(ctx: CliContext, document: unknown): void {
  ctx.out(`${JSON.stringify(document)}\n`);
}

/** The `vault` command bound to the given surroundings (tests pass their own stdin and environment). */
export function createVaultCommand(deps: VaultCommandDeps): Command {
  async function promptPassphrase(path: string, purpose: PassphrasePurpose): Promise<string> {
    if (!deps.stdin.isTerminal()) {
      throw new JanusError(
        "auth",
        `the file vault ${path} needs a passphrase: set JANUS_VAULT_PASSPHRASE (stdin is not a terminal, so ` +
          `JanusMCP cannot ask)`,
      );
    }
    const read = (prompt: string) =>
      readSecretFromStdin({ prompt, what: "vault passphrase", stdin: deps.stdin });
    if (purpose === "unlock") return await read(`Passphrase for ${path}: `);
    const passphrase = await read(`New passphrase for ${path}: `);
    if (await read("Repeat the passphrase: ") !== passphrase) {
      throw new JanusError("usage", "the two passphrases differ; nothing was stored");
    }
    return passphrase;
  }

  async function open(invocation: Invocation): Promise<Opened> {
    const path = invocation.configPath ?? locateConfigFromEnvironment().path;
    const { config } = await loadConfig(path);
    const configDir = dirname(path);
    const backend = chooseVaultBackend(config, deps.env);
    const vaultPath = fileVaultPath(configDir);
    const vault = openVault({
      config,
      configDir,
      env: deps.env,
      promptPassphrase: (purpose) => promptPassphrase(vaultPath, purpose),
    });
    return {
      vault,
      config,
      where: backend === "keychain" ? "the OS keychain" : `the encrypted file ${vaultPath}`,
    };
  }

  async function set(invocation: Invocation, ctx: CliContext): Promise<number> {
    const name = nameArgument("set", invocation.positionals);
    const { vault, config, where } = await open(invocation);
    // Reaching the store before asking for the value means an unavailable keychain or a wrong
    // passphrase is reported before the person types or pastes anything.
    const replaced = (await vault.list()).includes(name);
    const value = await readSecretFromStdin({
      prompt: `Value for ${name} (input hidden): `,
      stdin: deps.stdin,
    });
    await vault.set(name, value);

    const warnings: string[] = [];
    if (value.length < MIN_REDACTABLE_LENGTH) {
      warnings.push(
        `${name} is shorter than ${MIN_REDACTABLE_LENGTH} characters, so it cannot be scrubbed from tool results`,
      );
    }
    const referencedBy = referencesByName(config).get(name) ?? [];
    if (invocation.json) {
      printJson(ctx, { ok: true, name, backend: vault.backend, replaced, referencedBy, warnings });
    } else {
      ctx.out(`${replaced ? "Replaced" : "Stored"} ${name} in ${where}.\n`);
      if (referencedBy.length === 0) ctx.err(`note: no account references vault:${name} yet\n`);
      for (const warning of warnings) ctx.err(`warning: ${warning}\n`);
    }
    return 0;
  }

  async function list(invocation: Invocation, ctx: CliContext): Promise<number> {
    if (invocation.positionals.length > 0) {
      throw new JanusError(
        "usage",
        `vault list takes no arguments, got ${JSON.stringify(invocation.positionals[0])}`,
      );
    }
    const { vault, config, where } = await open(invocation);
    const stored = new Set(await vault.list());
    const references = referencesByName(config);
    const names = [...new Set([...stored, ...references.keys()])].sort();
    const secrets = names.map((name) => ({
      name,
      referencedBy: references.get(name) ?? [],
      missing: !stored.has(name),
    }));
    if (invocation.json) {
      printJson(ctx, { ok: true, backend: vault.backend, secrets });
      return 0;
    }
    if (secrets.length === 0) {
      ctx.out(`No secrets in ${where}, and the config references none.\n`);
      return 0;
    }
    const rows = [
      ["NAME", "STATUS", "REFERENCED BY"],
      ...secrets.map((secret) => [
        secret.name,
        secret.missing ? "missing" : "set",
        secret.referencedBy.length > 0 ? secret.referencedBy.join(", ") : "-",
      ]),
    ];
    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
    for (const row of rows) {
      ctx.out(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}\n`);
    }
    const missing = secrets.filter((secret) => secret.missing).length;
    ctx.out(`\nSecrets are in ${where}.`);
    ctx.out(missing > 0 ? ` ${missing} referenced but missing: add with "janusmcp vault set NAME".\n` : "\n");
    return 0;
  }

  async function remove(invocation: Invocation, ctx: CliContext): Promise<number> {
    const name = nameArgument("delete", invocation.positionals);
    const { vault, config, where } = await open(invocation);
    if (!await vault.delete(name)) {
      throw new JanusError("usage", `no secret named ${name} in ${where} (see "janusmcp vault list")`);
    }
    const referencedBy = referencesByName(config).get(name) ?? [];
    if (invocation.json) {
      printJson(ctx, { ok: true, name, backend: vault.backend, deleted: true, referencedBy });
      return 0;
    }
    ctx.out(`Deleted ${name} from ${where}.\n`);
    if (referencedBy.length > 0) {
      ctx.err(
        `warning: ${
          referencedBy.join(", ")
        } still reference vault:${name} and cannot start until it is set again\n`,
      );
    }
    return 0;
  }

  return {
    ...FACES.vault,
    usage: USAGE,
    async run({ positionals }: ParsedArgs, ctx: CliContext): Promise<number> {
      const [subcommand, ...rest] = positionals;
      if (subcommand === undefined) throw new JanusError("usage", `vault needs a subcommand\n\n${USAGE}`);
      if (subcommand === "help" || subcommand === "--help" || subcommand === "-h") {
        ctx.out(`${USAGE}\n`);
        return 0;
      }
      const run = new Map([["set", set], ["list", list], ["delete", remove]]).get(subcommand);
      if (run === undefined) {
        throw new JanusError("usage", `unknown vault subcommand ${JSON.stringify(subcommand)}\n\n${USAGE}`);
      }
      // --json, --config and --help are parsed with every other flag, once, by main (args.ts).
      return await run({ json: ctx.json, positionals: rest, configPath: ctx.configPath }, ctx);
    },
  };
}

/** `janusmcp vault`, reading the process environment and stdin. */
export const vaultCommand: Command = createVaultCommand({
  env: (name) => Deno.env.get(name),
  stdin: Deno.stdin,
});
