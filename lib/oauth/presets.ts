/**
 * Built-in endpoints of common OAuth providers for `oauth:NAME` token logins, and turning a
 * configured provider into the authorization-server metadata the SDK helpers take. The user
 * supplies the client id (a client they registered with the provider); nothing here is a secret.
 */
import type { AuthorizationServerMetadata } from "@modelcontextprotocol/client";
import type { OAuthProviderConfig } from "../config/mod.ts";
import { JanusError } from "../errors.ts";

/** A preset's endpoints. */
export interface ProviderPreset {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  deviceAuthorizationEndpoint?: string;
  revocationEndpoint?: string;
  /** Extra authorization-request parameters the provider needs. */
  authorizationParams?: Record<string, string>;
}

/** Endpoints of the providers JanusMCP knows by name. */
export const PRESETS: Record<string, ProviderPreset> = {
  github: {
    issuer: "https://github.com/login/oauth",
    authorizationEndpoint: "https://github.com/login/oauth/authorize",
    tokenEndpoint: "https://github.com/login/oauth/access_token",
    deviceAuthorizationEndpoint: "https://github.com/login/device/code",
  },
  gitlab: {
    issuer: "https://gitlab.com",
    authorizationEndpoint: "https://gitlab.com/oauth/authorize",
    tokenEndpoint: "https://gitlab.com/oauth/token",
    deviceAuthorizationEndpoint: "https://gitlab.com/oauth/authorize_device",
    revocationEndpoint: "https://gitlab.com/oauth/revoke",
  },
  google: {
    issuer: "https://accounts.google.com",
    authorizationEndpoint: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenEndpoint: "https://oauth2.googleapis.com/token",
    deviceAuthorizationEndpoint: "https://oauth2.googleapis.com/device/code",
    revocationEndpoint: "https://oauth2.googleapis.com/revoke",
    authorizationParams: { access_type: "offline", prompt: "consent" },
  },
  microsoft: {
    issuer: "https://login.microsoftonline.com/common/v2.0",
    authorizationEndpoint: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    tokenEndpoint: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    deviceAuthorizationEndpoint: "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
  },
  slack: {
    issuer: "https://slack.com",
    authorizationEndpoint: "https://slack.com/oauth/v2/authorize",
    tokenEndpoint: "https://slack.com/api/oauth.v2.access",
  },
  atlassian: {
    issuer: "https://auth.atlassian.com",
    authorizationEndpoint: "https://auth.atlassian.com/authorize",
    tokenEndpoint: "https://auth.atlassian.com/oauth/token",
    authorizationParams: { audience: "api.atlassian.com", prompt: "consent" },
  },
};

/** A configured provider with its preset applied. */
export interface ResolvedProvider {
  name: string;
  metadata: AuthorizationServerMetadata;
  deviceAuthorizationEndpoint?: string;
  clientId: string;
  /** The client secret's reference, still unresolved. */
  clientSecretRef?: string;
  scopes: string[];
  authorizationParams: Record<string, string>;
}

/** The provider named `name` in the config, with preset endpoints filled in; a config error when unknown. */
export function resolveProvider(
  name: string,
  providers: Record<string, OAuthProviderConfig> | undefined,
): ResolvedProvider {
  const config = providers?.[name];
  if (!config) {
    const known = Object.keys(providers ?? {}).join(", ") || "none configured";
    throw new JanusError(
      "config",
      `unknown OAuth provider "${name}" (known: ${known}); add it under "oauthProviders" in the config, e.g. {"${name}": {"preset": "github", "clientId": "…"}}`,
    );
  }
  const preset = config.preset ? PRESETS[config.preset] : undefined;
  const tokenEndpoint = config.tokenEndpoint ?? preset?.tokenEndpoint;
  const authorizationEndpoint = config.authorizationEndpoint ?? preset?.authorizationEndpoint;
  if (!tokenEndpoint) throw new JanusError("config", `OAuth provider "${name}" has no tokenEndpoint`);
  const issuer = config.issuer ?? preset?.issuer ?? new URL(tokenEndpoint).origin;
  const revocation = config.revocationEndpoint ?? preset?.revocationEndpoint;
  const metadata = {
    issuer,
    authorization_endpoint: authorizationEndpoint ?? tokenEndpoint,
    token_endpoint: tokenEndpoint,
    response_types_supported: ["code"],
    code_challenge_methods_supported: ["S256"],
    ...(revocation ? { revocation_endpoint: revocation } : {}),
  } as AuthorizationServerMetadata;
  const device = config.deviceAuthorizationEndpoint ?? preset?.deviceAuthorizationEndpoint;
  return {
    name,
    metadata,
    ...(device ? { deviceAuthorizationEndpoint: device } : {}),
    clientId: config.clientId,
    ...(config.clientSecret ? { clientSecretRef: config.clientSecret } : {}),
    scopes: config.scopes ?? [],
    authorizationParams: preset?.authorizationParams ?? {},
  };
}
