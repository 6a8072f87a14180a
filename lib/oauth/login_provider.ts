/**
 * The SDK `OAuthClientProvider` for one interactive login: it hands the SDK's `auth()` what it
 * asks for (client metadata, the registration for the issuer, the PKCE verifier, `state`) and
 * captures what it produces (the authorization URL, the tokens). The SDK does discovery, dynamic
 * registration, PKCE, the `iss` check and the code exchange; nothing here is hand-rolled.
 * Tokens are not written by the provider: the login flow stores them once the identity is known.
 */
import type {
  OAuthClientInformationFull,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from "@modelcontextprotocol/client";
import { JanusError } from "../errors.ts";
import type { TokenStore } from "./token_store.ts";

/** The client name shown on consent screens and in dynamic registrations. */
export const CLIENT_NAME = "JanusMCP";

/** How one login is set up. */
export interface LoginProviderOptions {
  redirectUrl: string;
  store: TokenStore;
  /** A pre-registered client (config `oauth.clientId`/`clientSecret`); else dynamic registration. */
  configuredClient?: { clientId: string; clientSecret?: string };
  /** Sent as `login_hint`. */
  loginHint?: string;
  /** Discovery already done by the caller (so the SDK does not repeat it). */
  discovery: OAuthDiscoveryState;
  /** Extra authorization-request parameters (e.g. `prompt=consent` for offline_access). */
  extraParams?: Record<string, string>;
  /** Called with the authorization URL to show and open. */
  onAuthorizationUrl(url: URL): void | Promise<void>;
}

function randomToken(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The provider for one login; create a new one per login. */
export class LoginProvider implements OAuthClientProvider {
  /** The `state` sent with the authorization request; the callback must echo it. */
  readonly expectedState = randomToken();
  #verifier?: string;
  #discovery: OAuthDiscoveryState;
  /** The tokens of the completed exchange. */
  tokensReceived?: StoredOAuthTokens;
  /** The client the tokens were issued to. */
  clientId?: string;

  constructor(private readonly options: LoginProviderOptions) {
    this.#discovery = options.discovery;
  }

  get redirectUrl(): string {
    return this.options.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: CLIENT_NAME,
      redirect_uris: [this.options.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: this.options.configuredClient?.clientSecret
        ? "client_secret_basic"
        : "none",
      application_type: "native",
    };
  }

  state(): string {
    return this.expectedState;
  }

  async clientInformation(ctx?: { issuer: string }): Promise<StoredOAuthClientInformation | undefined> {
    const configured = this.options.configuredClient;
    if (configured) {
      const info: OAuthClientInformationMixed = {
        client_id: configured.clientId,
        ...(configured.clientSecret ? { client_secret: configured.clientSecret } : {}),
      };
      this.clientId = configured.clientId;
      return ctx ? { ...info, issuer: ctx.issuer } : info;
    }
    if (!ctx) return undefined;
    const stored = await this.options.store.registration(ctx.issuer);
    if (!stored) return undefined;
    // A registration made for another redirect URI cannot be used by this login.
    if (!stored.client.redirect_uris?.some((uri) => sameLoopbackTarget(String(uri), this.redirectUrl))) {
      return undefined;
    }
    this.clientId = stored.client.client_id;
    return { ...stored.client, issuer: stored.issuer };
  }

  async saveClientInformation(info: StoredOAuthClientInformation, ctx?: { issuer: string }): Promise<void> {
    if (this.options.configuredClient) return;
    const issuer = ctx?.issuer ?? info.issuer;
    if (!issuer) {
      throw new JanusError(
        "auth",
        "the authorization server's issuer is unknown; cannot store the registration",
      );
    }
    const { issuer: _stamp, ...client } = info as StoredOAuthClientInformation & { issuer?: string };
    this.clientId = client.client_id;
    await this.options.store.saveRegistration({ issuer, client: client as OAuthClientInformationFull });
  }

  /** A login always starts afresh: old tokens are not offered for refresh. */
  tokens(): undefined {
    return undefined;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.tokensReceived = tokens;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    if (this.options.loginHint) url.searchParams.set("login_hint", this.options.loginHint);
    for (const [key, value] of Object.entries(this.options.extraParams ?? {})) {
      url.searchParams.set(key, value);
    }
    await this.options.onAuthorizationUrl(url);
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.#verifier) throw new JanusError("auth", "no login is in progress (no PKCE verifier)");
    return this.#verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discovery = state;
  }

  discoveryState(): OAuthDiscoveryState {
    return this.#discovery;
  }
}

/** Loopback redirect URIs name the same target whatever their port (RFC 8252 §7.3). */
function sameLoopbackTarget(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.hostname === "127.0.0.1" && y.hostname === "127.0.0.1" && x.pathname === y.pathname &&
      x.protocol === y.protocol;
  } catch {
    return false;
  }
}
