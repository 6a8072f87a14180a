/**
 * OAuth material in the vault: one client registration per authorization server (bound to its
 * issuer, shared by every account that uses that server) and one grant per account (never
 * shared). Entries are JSON under names derived from the issuer or account id; nothing here is
 * ever logged or written anywhere but the vault.
 */
import { isRecord } from "../values.ts";
import type { OAuthTokens } from "@modelcontextprotocol/client";
import type { OAuthClientInformationFull } from "@modelcontextprotocol/client";
import { JanusError } from "../errors.ts";
import type { Vault } from "../secrets/mod.ts";

/** A dynamic (or configured) client registration at one authorization server. */
export interface StoredRegistration {
  issuer: string;
  client: OAuthClientInformationFull;
}

/** What one account holds after a login: its tokens and where they were obtained. */
export interface StoredGrant {
  /** The authorization server's issuer identifier (from its validated metadata). */
  issuer: string;
  /** The URL its metadata was discovered at (for refresh and revocation). */
  authorizationServerUrl: string;
  /** The RFC 8707 resource indicator the tokens were issued for. */
  resource?: string;
  /** The client id the tokens belong to. */
  clientId: string;
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  scope?: string;
  /** Epoch milliseconds when the access token expires, when the server said. */
  expiresAt?: number;
  /** Epoch milliseconds when the access token was obtained. */
  obtainedAt: number;
  /** Random id of the login that produced this grant (stays the same across refreshes). */
  loginId: string;
  /** For `oauth:NAME` logins: the configured provider the tokens come from. */
  provider?: string;
}

const NAME_LIMIT = 64;

async function shortHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The vault name of an account's grant (readable when it fits, hashed otherwise). */
export async function grantSecretName(accountId: string): Promise<string> {
  const plain = `oauth-token.${accountId}`;
  return plain.length <= NAME_LIMIT ? plain : `oauth-token.${await shortHash(accountId)}`;
}

/** The vault name of an authorization server's registration. */
export async function registrationSecretName(issuer: string): Promise<string> {
  return `oauth-client.${await shortHash(issuer)}`;
}

function parseEntry<T>(
  text: string | undefined,
  what: string,
  check: (value: unknown) => value is T,
): T | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JanusError("auth", `the stored ${what} is damaged (not JSON); log in again`);
  }
  if (!check(value)) {
    throw new JanusError("auth", `the stored ${what} is damaged (unexpected shape); log in again`);
  }
  return value;
}

/** A new login's grant from a token response: what was issued, when, and for which login. */
export function grantFromTokens(
  tokens: OAuthTokens,
  where: Pick<StoredGrant, "issuer" | "authorizationServerUrl" | "clientId" | "resource" | "provider">,
): StoredGrant {
  const now = Date.now();
  return {
    ...where,
    accessToken: tokens.access_token,
    tokenType: tokens.token_type,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(tokens.scope ? { scope: tokens.scope } : {}),
    ...(typeof tokens.expires_in === "number" ? { expiresAt: now + tokens.expires_in * 1000 } : {}),
    obtainedAt: now,
    loginId: crypto.randomUUID(),
  };
}

function isGrant(value: unknown): value is StoredGrant {
  return isRecord(value) && typeof value.issuer === "string" && typeof value.accessToken === "string" &&
    typeof value.authorizationServerUrl === "string" && typeof value.clientId === "string" &&
    typeof value.loginId === "string" && typeof value.obtainedAt === "number";
}

function isRegistration(value: unknown): value is StoredRegistration {
  return isRecord(value) && typeof value.issuer === "string" && isRecord(value.client) &&
    typeof value.client.client_id === "string";
}

/** Reads and writes OAuth entries in a vault. */
export class TokenStore {
  constructor(private readonly vault: Vault) {}

  /** The account's grant, or undefined when it never logged in (or disconnected). */
  async grant(accountId: string): Promise<StoredGrant | undefined> {
    const text = await this.vault.get(await grantSecretName(accountId));
    return parseEntry(text, `login of account "${accountId}"`, isGrant);
  }

  /** Replaces the account's grant. */
  async saveGrant(accountId: string, grant: StoredGrant): Promise<void> {
    await this.vault.set(await grantSecretName(accountId), JSON.stringify(grant));
  }

  /** Removes the account's grant; true when there was one. */
  async deleteGrant(accountId: string): Promise<boolean> {
    return await this.vault.delete(await grantSecretName(accountId));
  }

  /** The registration at the authorization server with this issuer, if any. */
  async registration(issuer: string): Promise<StoredRegistration | undefined> {
    const text = await this.vault.get(await registrationSecretName(issuer));
    const stored = parseEntry(text, `client registration for ${issuer}`, isRegistration);
    // The name is a hash of the issuer; the entry must say the same issuer or it is not ours.
    if (stored && stored.issuer !== issuer) {
      throw new JanusError(
        "auth",
        `the stored client registration was made with authorization server ${stored.issuer}, not ${issuer}; refusing to use it`,
      );
    }
    return stored;
  }

  /** Stores the registration for an issuer. */
  async saveRegistration(registration: StoredRegistration): Promise<void> {
    await this.vault.set(await registrationSecretName(registration.issuer), JSON.stringify(registration));
  }
}
