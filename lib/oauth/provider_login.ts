/**
 * `janusmcp login PROVIDER NAME`: a token login at a configured provider (not an MCP server),
 * whose access token `oauth:NAME` references hand to stdio servers. In a browser (PKCE through
 * the SDK's `startAuthorization`/`exchangeAuthorization`, loopback callback, `state` checked) or
 * with the device grant. The grant is stored like an account's, under the login id `login.NAME`,
 * and refreshed by the same rules.
 */
import {
  exchangeAuthorization,
  type OAuthClientInformationMixed,
  type OAuthTokens,
  startAuthorization,
} from "@modelcontextprotocol/client";
import { JanusError } from "../errors.ts";
import { callbackPort, startCallbackServer } from "./callback_server.ts";
import { runDeviceGrant } from "./device_grant.ts";
import { identityFromTokens } from "./identity.ts";
import { waitFor } from "./login.ts";
import type { ResolvedProvider } from "./presets.ts";
import type { RemoteStateStore } from "./remote_state.ts";
import { grantFromTokens, type TokenStore } from "./token_store.ts";

/** The id under which login NAME's grant and state are kept. */
export function loginKey(name: string): string {
  return `login.${name}`;
}

/** How a provider login talks to the person and where it keeps things. */
export interface ProviderLoginDeps {
  store: TokenStore;
  remoteState: RemoteStateStore;
  env: (name: string) => string | undefined;
  /** Shows a URL to open (and opens it); for the device grant also the code to enter. */
  show(url: string, userCode?: string): void | Promise<void>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Logs login NAME in at a provider; returns who logged in when the provider said. */
export async function runProviderLogin(
  provider: ResolvedProvider,
  name: string,
  clientSecret: string | undefined,
  mode: "browser" | "device",
  deps: ProviderLoginDeps,
): Promise<{ identity?: string }> {
  const client: OAuthClientInformationMixed = {
    client_id: provider.clientId,
    ...(clientSecret ? { client_secret: clientSecret } : {}),
  };
  const scope = provider.scopes.length ? provider.scopes.join(" ") : undefined;
  let tokens: OAuthTokens;
  if (mode === "device") {
    if (!provider.deviceAuthorizationEndpoint) {
      throw new JanusError(
        "usage",
        `provider "${provider.name}" has no device authorization endpoint; log in with a browser (drop --device)`,
      );
    }
    tokens = await runDeviceGrant({
      deviceAuthorizationEndpoint: provider.deviceAuthorizationEndpoint,
      metadata: provider.metadata,
      client,
      scope,
      timeoutMs: deps.timeoutMs,
      signal: deps.signal,
      show: (prompt) => deps.show(prompt.verificationUriComplete ?? prompt.verificationUri, prompt.userCode),
    });
  } else {
    tokens = await browserLogin(provider, client, scope, deps);
  }
  const issuer = provider.metadata.issuer;
  const grant = grantFromTokens(tokens, {
    issuer,
    authorizationServerUrl: issuer,
    clientId: provider.clientId,
    provider: provider.name,
  });
  const identity = identityFromTokens(tokens, { issuer, clientId: provider.clientId })?.name;
  const key = loginKey(name);
  await deps.store.saveGrant(key, grant);
  await deps.remoteState.update(key, (state) => {
    const { needsLogin: _cleared, identity: _old, ...rest } = state;
    return { ...rest, issuer, ...(identity ? { identity } : {}) };
  });
  return identity ? { identity } : {};
}

async function browserLogin(
  provider: ResolvedProvider,
  client: OAuthClientInformationMixed,
  scope: string | undefined,
  deps: ProviderLoginDeps,
): Promise<OAuthTokens> {
  const callback = startCallbackServer(callbackPort(deps.env));
  try {
    const state = crypto.randomUUID();
    const { authorizationUrl, codeVerifier } = await startAuthorization(provider.metadata.issuer, {
      metadata: provider.metadata,
      clientInformation: client,
      redirectUrl: callback.redirectUrl,
      scope,
      state,
    });
    for (const [key, value] of Object.entries(provider.authorizationParams)) {
      authorizationUrl.searchParams.set(key, value);
    }
    await deps.show(authorizationUrl.href);
    const result = await waitFor(callback.result, deps.timeoutMs, deps.signal, provider.name);
    if (result.state !== state) {
      throw new JanusError(
        "auth",
        "the login callback carried a state that does not match this login (a forged or stale redirect); nothing was stored",
      );
    }
    if (result.kind === "error") {
      throw new JanusError("auth", `the provider refused the login: ${result.error}`);
    }
    return await exchangeAuthorization(provider.metadata.issuer, {
      metadata: provider.metadata,
      clientInformation: client,
      authorizationCode: result.code,
      iss: result.iss,
      codeVerifier,
      redirectUri: callback.redirectUrl,
    }).catch((error) => {
      throw new JanusError(
        "auth",
        `the login could not be completed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    });
  } finally {
    await callback.close();
  }
}
