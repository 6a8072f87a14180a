/**
 * Scaffolding for the OAuth end-to-end tests: a real authorization server (oidc-provider) and a
 * protected MCP server in this process, a config of remote OAuth accounts in a temp dir, the
 * environment that makes `janusmcp connect` log in through the scripted browser as a given user,
 * and cleanup of the keychain entries a test created.
 */
import { type AuthServer, startAuthServer } from "../fixtures/oauth/auth_server.ts";
import { type ProtectedMcp, startProtectedMcp } from "../fixtures/oauth/mcp_server.ts";
import { discoverAuthorizationServerMetadata } from "@modelcontextprotocol/client";
import { revokeToken } from "../../lib/oauth/revoke.ts";
import {
  grantSecretName,
  registrationSecretName,
  type StoredGrant,
  TokenStore,
} from "../../lib/oauth/token_store.ts";
import { createKeychainVault } from "../../lib/secrets/keychain_vault.ts";
import { REPO, runCli, writeConfig } from "./harness.ts";

/** A test world: servers, a config, and an environment for the CLI and brokers. */
export interface OAuthWorld {
  as: AuthServer;
  mcp: ProtectedMcp;
  configPath: string;
  stateDir: string;
  /** Environment for every janusmcp process of the test (callback port, browser). */
  env: Record<string, string>;
  /** Unique account ids, by the short names the test asked for. */
  ids: Record<string, string>;
  /** Logs `account` in through the scripted browser as `user`. */
  connect(account: string, user: string, extraEnv?: Record<string, string>): Promise<CliOutput>;
  /** Runs any janusmcp command with the world's config and environment. */
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliOutput>;
  close(): Promise<void>;
}

/** A finished CLI run. */
export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for a world. */
export interface WorldOptions {
  /** Short account names; each becomes a unique id (`<name>-<random>`). */
  accounts: string[];
  accessTokenTtl?: number;
  mode?: "http" | "sse";
  /** Extra account fields, by short name. */
  extra?: Record<string, Record<string, unknown>>;
  /** Leave `transport` out (Streamable HTTP, falling back to SSE). */
  noTransport?: boolean;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Starts the servers and writes the config. */
export async function startOAuthWorld(options: WorldOptions): Promise<OAuthWorld> {
  const as = await startAuthServer({ accessTokenTtl: options.accessTokenTtl });
  const mcp = await startProtectedMcp(as.issuer, options.mode ?? "http");
  const suffix = crypto.randomUUID().slice(0, 6);
  const ids = Object.fromEntries(options.accounts.map((name) => [name, `${name}-${suffix}`]));
  const configPath = await writeConfig({
    accounts: options.accounts.map((name) => ({
      id: ids[name],
      service: "protected",
      url: mcp.url,
      ...(options.noTransport ? {} : { transport: options.mode ?? "http" }),
      auth: "oauth",
      ...(options.extra?.[name] ?? {}),
    })),
    bindingMode: "session",
  });
  const env = {
    JANUS_OAUTH_PORT: String(freePort()),
    BROWSER: `deno run --quiet -A ${REPO}tests/fixtures/oauth/browser.ts`,
  };
  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    runCli([...args, "--config", configPath], { env: { ...env, ...extraEnv } });
  return {
    as,
    mcp,
    configPath,
    stateDir: configPath.replace(/\/config\.json$/, ""),
    env,
    ids,
    cli,
    connect: (account, user, extraEnv = {}) =>
      cli(["connect", ids[account]], { FAKE_BROWSER_USER: user, ...extraEnv }),
    async close() {
      const vault = createKeychainVault();
      for (const id of Object.values(ids)) await vault.delete(await grantSecretName(id)).catch(() => false);
      await vault.delete(await registrationSecretName(as.issuer)).catch(() => false);
      await mcp.close();
      await as.close();
    },
  };
}

/** The grant an account holds in the keychain (the test reads it to expire, revoke or tamper). */
export async function storedGrant(accountId: string): Promise<StoredGrant> {
  const grant = await new TokenStore(createKeychainVault()).grant(accountId);
  if (!grant) throw new Error(`no grant stored for ${accountId}`);
  return grant;
}

/** Replaces an account's grant in the keychain. */
export async function replaceGrant(accountId: string, grant: StoredGrant): Promise<void> {
  await new TokenStore(createKeychainVault()).saveGrant(accountId, grant);
}

/** Waits until the account's stored access token has expired. */
export async function waitUntilExpired(accountId: string): Promise<void> {
  const { expiresAt } = await storedGrant(accountId);
  if (expiresAt === undefined) throw new Error("the test server gave no expiry");
  const wait = expiresAt - Date.now() + 100;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** Revokes an account's refresh token at the authorization server (the user revoking the app there). */
export async function revokeAtServer(world: OAuthWorld, accountId: string): Promise<void> {
  const grant = await storedGrant(accountId);
  const metadata = await discoverAuthorizationServerMetadata(world.as.issuer);
  const registration = await new TokenStore(createKeychainVault()).registration(grant.issuer);
  if (!metadata || !registration || !grant.refreshToken) throw new Error("nothing to revoke");
  const problem = await revokeToken(metadata, registration.client, grant.refreshToken, "refresh_token");
  if (problem) throw new Error(problem);
}
