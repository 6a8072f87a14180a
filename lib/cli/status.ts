/**
 * `janusmcp status`: per account, what it needs (env variables, vault secrets) and whether each
 * is there — never a value — summed up in one word. Starts no upstream.
 */
import { dirname } from "node:path";
import { accountReferences } from "../references.ts";
import { loadConfig } from "../config/mod.ts";
import { locateConfigFromEnvironment } from "../config/mod.ts";
import type { AccountConfig } from "../config/mod.ts";
import { openVault } from "../secrets/mod.ts";
import type { Vault } from "../secrets/mod.ts";
import { assertPositionals } from "./args.ts";
import type { Command } from "./context.ts";
import type { AccountState, AccountStatus } from "./account_status.ts";
import { withOAuthStanding } from "./oauth_status.ts";
import { FACES } from "./faces.ts";

/** Checks one account's references against the environment and the vault. */
export async function accountStatus(
  account: AccountConfig,
  env: (name: string) => string | undefined,
  vault: Vault,
): Promise<AccountStatus> {
  const references = accountReferences(account);
  const needs = references.env.map((name) => ({
    reference: `\${${name}}`,
    present: env(name) !== undefined,
  }));
  let error: string | undefined;
  for (const name of references.vault) {
    try {
      needs.push({ reference: `vault:${name}`, present: (await vault.get(name)) !== undefined });
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
      needs.push({ reference: `vault:${name}`, present: false });
    }
  }
  const state: AccountState = error ? "error" : needs.every((n) => n.present) ? "ready" : "needs-secret";
  return {
    id: account.id,
    service: account.service,
    transport: account.transport,
    state,
    needs,
    ...(error ? { error } : {}),
  };
}

export const statusCommand: Command = {
  ...FACES.status,
  usage: `Usage: janusmcp status [--json] [--config PATH]

For every account: its transport, the references it needs (\${ENV} variables and vault:NAME
secrets) and whether each is present, and one word: ready, needs-secret, needs-login or error;
for OAuth accounts: connected (as who, when known), expired-refreshing, needs-login or error.
Values are never printed. No upstream is started. Exits 4 when an account needs a secret or a
login, so scripts can check readiness.`,
  async run(args, ctx) {
    assertPositionals(args, "status", 0);
    const configPath = ctx.configPath ?? locateConfigFromEnvironment().path;
    const loaded = await loadConfig(configPath);
    const env = (name: string) => Deno.env.get(name);
    const vault = openVault({ config: loaded.config, configDir: dirname(configPath), env });
    let accounts: AccountStatus[] = [];
    for (const account of loaded.config.accounts) accounts.push(await accountStatus(account, env, vault));
    accounts = await withOAuthStanding(accounts, loaded.config.accounts, vault, dirname(configPath));

    const exitCode = accounts.some((a) => a.state === "needs-secret" || a.state === "needs-login") ? 4 : 0;
    if (ctx.json) {
      ctx.out(`${JSON.stringify({ ok: true, config: configPath, exists: loaded.exists, accounts })}\n`);
      return exitCode;
    }
    if (!loaded.exists) {
      ctx.out(`No config file at ${configPath}: no accounts.\n`);
      return exitCode;
    }
    ctx.out(`Config: ${configPath}\n`);
    if (accounts.length === 0) ctx.out("No accounts configured.\n");
    const width = Math.max(2, ...accounts.map((a) => a.id.length));
    for (const a of accounts) {
      const needs = a.needs.map((n) => `${n.reference} ${n.present ? "ok" : "MISSING"}`).join(", ") ||
        "nothing";
      const state = a.identity ? `${a.state} as ${a.identity}` : a.state;
      ctx.out(`${a.id.padEnd(width)}  ${a.transport.padEnd(5)}  ${state.padEnd(12)}  needs: ${needs}\n`);
      if (a.error) ctx.out(`${"".padEnd(width)}  ${a.error}\n`);
    }
    return exitCode;
  },
};
