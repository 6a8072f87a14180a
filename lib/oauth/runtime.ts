/**
 * The OAuth side of one JanusMCP process: one AccountAuth per remote OAuth account (so every
 * connection of an account shares its token and its refreshes), logins, disconnects, and the
 * remembered transport of URLs given without one. Used by the upstream pool (through
 * `ReferenceSources.remote`), the CLI and the `janus_login` tool.
 */
import { discoverAuthorizationServerMetadata, type FetchLike } from "@modelcontextprotocol/client";
import type { AccountConfig, OAuthProviderConfig } from "../config/mod.ts";
import { JanusError } from "../errors.ts";
import { resolveProvider } from "./presets.ts";
import { loginKey, runProviderLogin } from "./provider_login.ts";
import { resolveSecretReference } from "./secret_reference.ts";
import type { Vault } from "../secrets/mod.ts";
import { AccountAuth } from "./account_auth.ts";
import { openBrowser } from "./browser.ts";
import { type LoginResult, runLogin } from "./login.ts";
import { dueForRefresh } from "./refresh_policy.ts";
import { RemoteStateStore } from "./remote_state.ts";
import { revokeToken } from "./revoke.ts";
import { TokenStore } from "./token_store.ts";

/** What the runtime needs. */
export interface OAuthRuntimeOptions {
  vault: Vault;
  /** The directory of the config file: remote-state.json and locks/ live there. */
  stateDir: string;
  env: (name: string) => string | undefined;
  /** One human line about an account (stderr). */
  log(accountId: string, line: string): void;
  /** Told every token value an account uses (for redaction). */
  tokenSeen?(accountId: string, value: string): void;
  fetchFn?: FetchLike;
  /** Token providers for `oauth:NAME` logins (config `oauthProviders`). */
  providers?: Record<string, OAuthProviderConfig>;
}

/** An OAuth account's standing, for `status` and `janus_whoami`; never a value. */
export type OAuthStanding =
  | { state: "connected"; identity?: string; issuer: string }
  | { state: "expired-refreshing"; identity?: string; issuer: string }
  | { state: "needs-login"; reason: string }
  | { state: "error"; reason: string };

/** The outcome of a disconnect. */
export interface DisconnectResult {
  hadLogin: boolean;
  /** True when the server confirmed the revocation. */
  revoked: boolean;
  /** Why nothing was revoked at the server, when it was not. */
  revokeProblem?: string;
}

/** OAuth for one process. */
export class OAuthRuntime {
  readonly store: TokenStore;
  readonly remoteState: RemoteStateStore;
  readonly #auths = new Map<string, AccountAuth>();

  constructor(private readonly options: OAuthRuntimeOptions) {
    this.store = new TokenStore(options.vault);
    this.remoteState = new RemoteStateStore(options.stateDir);
  }

  /** The token source of an account, shared by all its connections in this process. */
  authProvider(account: AccountConfig, clientSecret?: string): AccountAuth {
    let existing = this.#auths.get(account.id);
    if (!existing) {
      existing = new AccountAuth(account.id, {
        store: this.store,
        remoteState: this.remoteState,
        stateDir: this.options.stateDir,
        configuredClient: account.oauth?.clientId
          ? { clientId: account.oauth.clientId, clientSecret }
          : undefined,
        log: (line) => this.options.log(account.id, line),
        tokenSeen: (value) => this.options.tokenSeen?.(account.id, value),
        fetchFn: this.options.fetchFn,
      });
      this.#auths.set(account.id, existing);
    }
    return existing;
  }

  /** The access token of login NAME (`oauth:NAME`), refreshed when due under the same lock rules. */
  async loginToken(name: string): Promise<{ token: string; renewAt?: number }> {
    const key = loginKey(name);
    let auth = this.#auths.get(key);
    if (!auth) {
      const grant = await this.store.grant(key);
      const howToLogin = grant?.provider
        ? `run \`janusmcp login ${grant.provider} ${name}\``
        : `run \`janusmcp login PROVIDER ${name}\` with a provider from "oauthProviders"`;
      if (!grant?.provider) {
        throw new JanusError("auth", `oauth:${name} needs a login (none is stored): ${howToLogin}`);
      }
      const provider = resolveProvider(grant.provider, this.options.providers);
      const clientSecret = await this.#providerSecret(provider.name, provider.clientSecretRef);
      auth = new AccountAuth(key, {
        store: this.store,
        remoteState: this.remoteState,
        stateDir: this.options.stateDir,
        configuredClient: { clientId: provider.clientId, ...(clientSecret ? { clientSecret } : {}) },
        staticMetadata: provider.metadata,
        howToLogin,
        log: (line) => this.options.log(`oauth:${name}`, line),
        tokenSeen: (value) => this.options.tokenSeen?.(key, value),
        fetchFn: this.options.fetchFn,
      });
      this.#auths.set(key, auth);
    }
    return await auth.tokenUntil();
  }

  /** `janusmcp login PROVIDER NAME`: a token login for `oauth:NAME` references. */
  async loginWithProvider(
    providerName: string,
    name: string,
    mode: "browser" | "device",
    io: {
      show(url: string, userCode?: string): void | Promise<void>;
      timeoutMs: number;
      signal?: AbortSignal;
    },
  ): Promise<{ identity?: string }> {
    const provider = resolveProvider(providerName, this.options.providers);
    const clientSecret = await this.#providerSecret(provider.name, provider.clientSecretRef);
    const result = await runProviderLogin(provider, name, clientSecret, mode, {
      store: this.store,
      remoteState: this.remoteState,
      env: this.options.env,
      ...io,
    });
    this.#auths.get(loginKey(name))?.reset();
    this.#auths.delete(loginKey(name));
    return result;
  }

  #providerSecret(provider: string, reference: string | undefined): Promise<string | undefined> {
    if (reference === undefined) return Promise.resolve(undefined);
    return resolveSecretReference(reference, `oauthProviders.${provider}.clientSecret`, {
      env: this.options.env,
      vault: this.options.vault,
    });
  }

  /** The transport a URL without one answered on last time. */
  async rememberedTransport(accountId: string, url: string): Promise<"http" | "sse" | undefined> {
    const remembered = (await this.remoteState.get(accountId)).transport;
    return remembered?.url === url ? remembered.kind : undefined;
  }

  /** Remembers the transport that worked for a URL without one. */
  async rememberTransport(accountId: string, url: string, kind: "http" | "sse"): Promise<void> {
    await this.remoteState.update(accountId, (state) => ({ ...state, transport: { url, kind } }));
  }

  /** Opens a URL in the browser of this machine; the reason when it could not. */
  openBrowser(url: string): Promise<string | undefined> {
    return openBrowser(url, this.options.env);
  }

  /** Runs a browser login for an account whose url (and client secret) are already resolved. */
  async login(
    account: AccountConfig,
    resolved: { url: string; clientSecret?: string },
    io: { showUrl(url: string): void | Promise<void>; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<LoginResult> {
    const result = await runLogin({
      accountId: account.id,
      url: resolved.url,
      scopes: account.oauth?.scopes,
      loginHint: account.oauth?.loginHint,
      clientId: account.oauth?.clientId,
      clientSecret: resolved.clientSecret,
    }, {
      store: this.store,
      remoteState: this.remoteState,
      env: this.options.env,
      showUrl: io.showUrl,
      signal: io.signal,
      timeoutMs: io.timeoutMs,
      fetchFn: this.options.fetchFn,
    });
    this.#auths.get(account.id)?.reset();
    return result;
  }

  /** Deletes an account's tokens, revoking them at the server first when it offers revocation. */
  async disconnect(account: AccountConfig, clientSecret?: string): Promise<DisconnectResult> {
    const grant = await this.store.grant(account.id);
    this.#auths.get(account.id)?.reset();
    if (!grant) return { hadLogin: false, revoked: false };
    let revokeProblem: string | undefined;
    try {
      const metadata = await discoverAuthorizationServerMetadata(grant.authorizationServerUrl, {
        fetchFn: this.options.fetchFn,
      });
      const client = account.oauth?.clientId
        ? { client_id: account.oauth.clientId, ...(clientSecret ? { client_secret: clientSecret } : {}) }
        : (await this.store.registration(grant.issuer))?.client;
      if (!metadata || metadata.issuer !== grant.issuer) {
        revokeProblem = "the authorization server's metadata is missing or names another issuer";
      } else if (!client) {
        revokeProblem = "the client registration is missing";
      } else {
        // Revoking the refresh token ends the grant and its access tokens (RFC 7009 §2.1); a
        // self-contained JWT access token often cannot be revoked on its own.
        revokeProblem = grant.refreshToken
          ? await revokeToken(metadata, client, grant.refreshToken, "refresh_token", this.options.fetchFn)
          : await revokeToken(metadata, client, grant.accessToken, "access_token", this.options.fetchFn);
      }
    } catch (error) {
      revokeProblem = `the authorization server could not be reached (${
        error instanceof Error ? error.message : String(error)
      })`;
    }
    await this.store.deleteGrant(account.id);
    await this.remoteState.update(account.id, (state) => {
      const { identity: _i, needsLogin: _n, ...rest } = state;
      return rest;
    });
    return {
      hadLogin: true,
      revoked: revokeProblem === undefined,
      ...(revokeProblem ? { revokeProblem } : {}),
    };
  }

  /** "connected as …" / "needs login: …" from remote state alone (no vault, no network). */
  async loginStatus(accountId: string): Promise<string | undefined> {
    const state = await this.remoteState.get(accountId);
    if (state.needsLogin) return `needs login: ${state.needsLogin.reason}`;
    return state.identity ? `connected as ${state.identity}` : undefined;
  }

  /** Where an OAuth account stands, from the vault and remote state alone (no network). */
  async standing(account: AccountConfig, now = Date.now()): Promise<OAuthStanding> {
    let grant;
    try {
      grant = await this.store.grant(account.id);
    } catch (error) {
      return { state: "error", reason: error instanceof Error ? error.message : String(error) };
    }
    if (!grant) return { state: "needs-login", reason: "not connected yet" };
    const state = await this.remoteState.get(account.id);
    if (state.needsLogin && state.needsLogin.loginId === grant.loginId) {
      return { state: "needs-login", reason: state.needsLogin.reason };
    }
    const identity = state.identity;
    const base = { issuer: grant.issuer, ...(identity ? { identity } : {}) };
    return dueForRefresh(grant, now)
      ? { state: "expired-refreshing", ...base }
      : { state: "connected", ...base };
  }
}
