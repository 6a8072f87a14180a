/**
 * The bearer-token source of one remote OAuth account while it is in use, handed to the SDK's
 * HTTP transports as their `authProvider` (the SDK's minimal `token()`/`onUnauthorized()`
 * shape). The SDK's own adapter for an OAuthClientProvider refreshes without a cross-process lock
 * and falls back to a browser redirect on `invalid_grant`; a broker must do neither. So:
 *
 * - a token due for refresh (see refresh_policy.ts) is refreshed before use;
 * - a 401 triggers one refresh, and the transport retries once;
 * - every refresh runs under the account's file lock, re-reads the vault first (another process
 *   may already have rotated the token: then theirs is used), and writes the rotated refresh
 *   token before the new access token is handed out;
 * - `invalid_grant` marks the account needs-login once (remote state); later calls fail fast
 *   without asking the server again until a new login appears in the vault.
 *
 * The refresh itself is the SDK's `refreshAuthorization`.
 */
import {
  type AuthorizationServerMetadata,
  type AuthProvider,
  discoverAuthorizationServerMetadata,
  type FetchLike,
  OAuthError,
  OAuthErrorCode,
  refreshAuthorization,
} from "@modelcontextprotocol/client";
import { join } from "node:path";
import { JanusError } from "../errors.ts";
import { withFileLock } from "./file_lock.ts";
import { needsLoginError } from "./needs_login.ts";
import { dueForRefresh, refreshAt } from "./refresh_policy.ts";
import type { RemoteStateStore } from "./remote_state.ts";
import type { StoredGrant, TokenStore } from "./token_store.ts";

/** What an AccountAuth works with. */
export interface AccountAuthDeps {
  store: TokenStore;
  remoteState: RemoteStateStore;
  /** The state directory (locks live in its `locks/`). */
  stateDir: string;
  /** A pre-registered client from the config (its secret resolved), if any. */
  configuredClient?: { clientId: string; clientSecret?: string };
  /** One human line about the account (stderr). */
  log(line: string): void;
  /** Told every token value handed out (for redaction of everything leaving the broker). */
  tokenSeen?(value: string): void;
  fetchFn?: FetchLike;
  now?: () => number;
  /** Provider logins: the endpoints from the config (no discovery). */
  staticMetadata?: AuthorizationServerMetadata;
  /** Provider logins: what to say instead of "janusmcp connect" when a login is needed. */
  howToLogin?: string;
}

/** The lock file that serialises refreshes of one account across processes. */
export function refreshLockPath(stateDir: string, accountId: string): string {
  return join(stateDir, "locks", `oauth-${encodeURIComponent(accountId)}.lock`);
}

/** Tokens for one account, refreshed safely. */
export class AccountAuth implements AuthProvider {
  #grant?: StoredGrant;
  /** The login id that the server refused; nothing is sent to the server for it again. */
  #deadLogin?: string;
  #refreshing?: Promise<StoredGrant>;
  #metadata?: { url: string; metadata: AuthorizationServerMetadata };
  /** The remote-state stamp the cached grant was read under. */
  #stamp?: number;
  /** The login whose tokens the live connection was given. */
  #servedLogin?: string;

  constructor(readonly accountId: string, private readonly deps: AccountAuthDeps) {}

  /** The token and when it will be due for refresh, for values that cannot be swapped later (a child's env). */
  async tokenUntil(): Promise<{ token: string; renewAt?: number }> {
    const token = await this.token();
    const renewAt = this.#grant ? refreshAt(this.#grant) : undefined;
    return renewAt === undefined ? { token } : { token, renewAt };
  }

  /** The bearer token for the next request (refreshed first when due). */
  async token(): Promise<string> {
    let grant = await this.#current();
    if (dueForRefresh(grant, this.#now())) grant = await this.#refresh(grant.accessToken);
    this.#seen(grant);
    this.#servedLogin = grant.loginId;
    return grant.accessToken;
  }

  /**
   * True when the account was logged in again (possibly as someone else) since the live
   * connection got its tokens: that connection's server-side session belongs to the old login.
   */
  async loginChanged(): Promise<boolean> {
    if (this.#servedLogin === undefined) return false;
    try {
      return (await this.#current()).loginId !== this.#servedLogin;
    } catch {
      return false; // a needs-login is reported by the call itself
    }
  }

  /** The server answered 401: refresh once (unless another process already did); the SDK retries once. */
  async onUnauthorized(): Promise<void> {
    const grant = await this.#current();
    await this.#refresh(grant.accessToken, true);
  }

  /** Forgets what is cached (after a disconnect or a new login in this process). */
  reset(): void {
    this.#grant = undefined;
    this.#deadLogin = undefined;
  }

  #seenToken?: string;
  #seen(grant: StoredGrant): void {
    if (this.#seenToken === grant.accessToken) return;
    this.#seenToken = grant.accessToken;
    this.deps.tokenSeen?.(grant.accessToken);
    if (grant.refreshToken) this.deps.tokenSeen?.(grant.refreshToken);
  }

  #now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async #current(): Promise<StoredGrant> {
    // A login (or a needs-login mark) by another process changes remote state: read the vault again.
    const stamp = await this.deps.remoteState.stamp();
    if (stamp !== this.#stamp) this.#grant = undefined;
    if (this.#grant) return this.#grant;
    this.#stamp = stamp;
    const grant = await this.deps.store.grant(this.accountId);
    if (!grant) throw needsLoginError(this.accountId, "it is not connected yet", this.deps.howToLogin);
    const state = await this.deps.remoteState.get(this.accountId);
    if (
      grant.loginId === this.#deadLogin || (state.needsLogin && state.needsLogin.loginId === grant.loginId)
    ) {
      throw needsLoginError(
        this.accountId,
        state.needsLogin?.reason ?? "its login stopped working",
        this.deps.howToLogin,
      );
    }
    this.#deadLogin = undefined;
    this.#grant = grant;
    return grant;
  }

  /** One refresh at a time in this process; the file lock makes it one across processes. */
  #refresh(staleAccessToken: string, rejected = false): Promise<StoredGrant> {
    this.#refreshing ??= withFileLock(
      refreshLockPath(this.deps.stateDir, this.accountId),
      () => this.#refreshLocked(staleAccessToken, rejected),
    ).finally(() => this.#refreshing = undefined);
    return this.#refreshing;
  }

  async #refreshLocked(staleAccessToken: string, rejected: boolean): Promise<StoredGrant> {
    // Re-read under the lock: another process may have refreshed (or logged in) meanwhile.
    this.#grant = undefined;
    const grant = await this.#current();
    const rotatedElsewhere = grant.accessToken !== staleAccessToken;
    if (rotatedElsewhere && !dueForRefresh(grant, this.#now())) return grant;
    if (!rotatedElsewhere && !rejected && !dueForRefresh(grant, this.#now())) return grant;
    if (!grant.refreshToken) {
      return await this.#giveUp(grant, "its access token expired and the server gave no refresh token");
    }
    const metadata = await this.#serverMetadata(grant);
    if (metadata.issuer !== grant.issuer) {
      return await this.#giveUp(
        grant,
        `its authorization server now says it is ${metadata.issuer}, not ${grant.issuer}; refusing to send the refresh token there`,
      );
    }
    const clientInformation = this.deps.configuredClient
      ? {
        client_id: this.deps.configuredClient.clientId,
        ...(this.deps.configuredClient.clientSecret
          ? { client_secret: this.deps.configuredClient.clientSecret }
          : {}),
      }
      : (await this.deps.store.registration(grant.issuer))?.client;
    if (!clientInformation || clientInformation.client_id !== grant.clientId) {
      return await this.#giveUp(grant, "its client registration is missing or changed");
    }
    let tokens;
    try {
      tokens = await refreshAuthorization(grant.authorizationServerUrl, {
        metadata,
        clientInformation,
        refreshToken: grant.refreshToken,
        ...(grant.resource ? { resource: new URL(grant.resource) } : {}),
        fetchFn: this.deps.fetchFn,
      });
    } catch (error) {
      if (error instanceof OAuthError && error.code === OAuthErrorCode.InvalidGrant) {
        return await this.#giveUp(
          grant,
          "the authorization server refused its stored login (invalid_grant: revoked, expired or already used)",
        );
      }
      throw new JanusError(
        "upstream",
        `account "${this.accountId}": could not refresh its access token: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
    const now = this.#now();
    const next: StoredGrant = {
      ...grant,
      accessToken: tokens.access_token,
      tokenType: tokens.token_type,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      ...(tokens.scope ? { scope: tokens.scope } : {}),
      obtainedAt: now,
    };
    if (typeof tokens.expires_in === "number") next.expiresAt = now + tokens.expires_in * 1000;
    else delete next.expiresAt;
    // The rotated refresh token is stored before the new access token is used anywhere.
    await this.deps.store.saveGrant(this.accountId, next);
    this.#grant = next;
    return next;
  }

  async #giveUp(grant: StoredGrant, reason: string): Promise<never> {
    this.#grant = undefined;
    this.#deadLogin = grant.loginId;
    await this.deps.remoteState.update(this.accountId, (state) => ({
      ...state,
      needsLogin: { reason, loginId: grant.loginId },
    }));
    this.deps.log(`needs a login: ${reason}`);
    throw needsLoginError(this.accountId, reason, this.deps.howToLogin);
  }

  async #serverMetadata(grant: StoredGrant): Promise<AuthorizationServerMetadata> {
    if (this.deps.staticMetadata) return this.deps.staticMetadata;
    if (this.#metadata?.url === grant.authorizationServerUrl) return this.#metadata.metadata;
    let metadata: AuthorizationServerMetadata | undefined;
    try {
      metadata = await discoverAuthorizationServerMetadata(grant.authorizationServerUrl, {
        fetchFn: this.deps.fetchFn,
      });
    } catch (error) {
      // The SDK refuses metadata whose issuer does not echo the URL (RFC 8414 §3.3).
      if (error instanceof Error && error.name === "IssuerMismatchError") {
        return await this.#giveUp(
          grant,
          `its authorization server's metadata names another issuer (${error.message})`,
        );
      }
      throw new JanusError(
        "upstream",
        `account "${this.accountId}": cannot reach its authorization server ${grant.authorizationServerUrl}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
    if (!metadata) {
      throw new JanusError(
        "upstream",
        `account "${this.accountId}": ${grant.authorizationServerUrl} no longer publishes authorization server metadata`,
      );
    }
    this.#metadata = { url: grant.authorizationServerUrl, metadata };
    return metadata;
  }
}
