/**
 * What `connect` and `disconnect` share: finding a remote OAuth account in the config, opening
 * the vault and the OAuth runtime beside it, and resolving the account's url and client secret.
 */
import { dirname } from "node:path";
import { loadConfig } from "../config/mod.ts";
import { locateConfigFromEnvironment } from "../config/mod.ts";
import type { AccountConfig } from "../config/mod.ts";
import { JanusError } from "../errors.ts";
import { OAuthRuntime } from "../oauth/mod.ts";
import { openVault } from "../secrets/mod.ts";
import { resolveLaunch } from "../upstream/mod.ts";
import type { CliContext } from "./context.ts";

/** An OAuth account ready for a login or a disconnect. */
export interface OpenedOAuthAccount {
  account: AccountConfig;
  runtime: OAuthRuntime;
  url: string;
  clientSecret?: string;
}

/** Loads the config and opens the named account's OAuth runtime; a usage error when it is not an OAuth account. */
export async function openOAuthAccount(
  accountId: string,
  ctx: CliContext,
  env: (name: string) => string | undefined,
): Promise<OpenedOAuthAccount> {
  const configPath = ctx.configPath ?? locateConfigFromEnvironment().path;
  const loaded = await loadConfig(configPath);
  const account = loaded.config.accounts.find((a) => a.id === accountId);
  if (!account) {
    const known = loaded.config.accounts.filter((a) => a.auth === "oauth").map((a) => a.id).join(", ") ||
      "none";
    throw new JanusError(
      "selector",
      `unknown account "${accountId}" in ${configPath} (OAuth accounts: ${known})`,
    );
  }
  if (account.auth !== "oauth") {
    throw new JanusError(
      "usage",
      `account "${accountId}" does not use OAuth; give it "auth": "oauth" (with a "url") to log in with a browser`,
    );
  }
  const configDir = dirname(configPath);
  const vault = openVault({ config: loaded.config, configDir, env });
  const runtime = new OAuthRuntime({
    vault,
    stateDir: configDir,
    env,
    log: (id, line) => ctx.err(`janusmcp: [${id}] ${line}\n`),
  });
  const launch = await resolveLaunch(account, { env, vault, remote: runtime });
  if (launch.spec.transport === "stdio") {
    throw new JanusError("usage", `account "${accountId}" is not remote`);
  }
  const { url, clientSecret } = launch.spec;
  return { account, runtime, url, ...(clientSecret === undefined ? {} : { clientSecret }) };
}
