/**
 * One browser login for a remote account, following the MCP authorization spec through the
 * SDK: protected-resource metadata → authorization-server metadata → registration → PKCE
 * authorization request (with `state`, `resource`, `login_hint`) → loopback callback → `state`
 * and `iss` checks → code exchange. The grant goes to the vault, the identity to remote state.
 * No token, code or verifier is ever printed or put into an error.
 */
import {
  auth,
  type AuthorizationServerMetadata,
  discoverOAuthServerInfo,
  type FetchLike,
  type OAuthProtectedResourceMetadata,
} from "@modelcontextprotocol/client";
import { JanusError } from "../errors.ts";
import { identityFromTokens } from "./identity.ts";
import { LoginProvider } from "./login_provider.ts";
import { callbackPort, type CallbackResult, startCallbackServer } from "./callback_server.ts";
import type { RemoteStateStore } from "./remote_state.ts";
import { grantFromTokens, type TokenStore } from "./token_store.ts";

/** How long a login waits for the browser. */
export const LOGIN_TIMEOUT_MS = 5 * 60 * 1000;
const OIDC_SCOPES = ["openid", "email", "profile"];

/** What a login needs to know about the account (references already resolved). */
export interface LoginTarget {
  accountId: string;
  url: string;
  scopes?: string[];
  loginHint?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Where a login keeps things and how it talks to the person. */
export interface LoginDeps {
  store: TokenStore;
  remoteState: RemoteStateStore;
  env: (name: string) => string | undefined;
  /** Shows the authorization URL (stderr, a tool's elicitation) and opens the browser. */
  showUrl(url: string): void | Promise<void>;
  timeoutMs?: number;
  signal?: AbortSignal;
  fetchFn?: FetchLike;
}

/** The outcome of a login. */
export interface LoginResult {
  accountId: string;
  issuer: string;
  /** Who logged in, when the server told. */
  identity?: string;
}

/** The scope to ask for: configured or advertised scopes, plus OpenID Connect's when offered. */
export function loginScope(
  configured: string[] | undefined,
  resource: OAuthProtectedResourceMetadata | undefined,
  server: AuthorizationServerMetadata,
): string | undefined {
  const scopes = [...(configured ?? resource?.scopes_supported ?? [])];
  const supported = server.scopes_supported;
  const oidc = supported?.includes("openid") ?? "userinfo_endpoint" in server;
  if (oidc) {
    for (const scope of OIDC_SCOPES) {
      if ((!supported || supported.includes(scope)) && !scopes.includes(scope)) scopes.push(scope);
    }
  }
  if (supported?.includes("offline_access") && !scopes.includes("offline_access")) {
    scopes.push("offline_access");
  }
  return scopes.length ? scopes.join(" ") : undefined;
}

/** Runs the browser login for one account and stores its grant. */
export async function runLogin(target: LoginTarget, deps: LoginDeps): Promise<LoginResult> {
  const callback = startCallbackServer(callbackPort(deps.env));
  try {
    return await loginWith(target, deps, callback.redirectUrl, callback.result);
  } finally {
    await callback.close();
  }
}

async function loginWith(
  target: LoginTarget,
  deps: LoginDeps,
  redirectUrl: string,
  callbackResult: Promise<CallbackResult>,
): Promise<LoginResult> {
  const { accountId } = target;
  const info = await discoverOAuthServerInfo(target.url, { fetchFn: deps.fetchFn }).catch((error) => {
    throw new JanusError(
      "auth",
      `account "${accountId}": OAuth discovery at ${target.url} failed: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  });
  const metadata = info.authorizationServerMetadata;
  if (!metadata) {
    throw new JanusError(
      "auth",
      `account "${accountId}": ${info.authorizationServerUrl} publishes no authorization server metadata (RFC 8414 or OpenID discovery)`,
    );
  }
  const scope = loginScope(target.scopes, info.resourceMetadata, metadata);
  const provider = new LoginProvider({
    redirectUrl,
    store: deps.store,
    configuredClient: target.clientId
      ? { clientId: target.clientId, clientSecret: target.clientSecret }
      : undefined,
    loginHint: target.loginHint,
    discovery: { ...info },
    // OpenID providers grant offline_access (a refresh token) only with explicit consent.
    extraParams: scope?.split(" ").includes("offline_access") && scope.split(" ").includes("openid")
      ? { prompt: "consent" }
      : undefined,
    onAuthorizationUrl: (url) => deps.showUrl(url.href),
  });
  const options = { serverUrl: target.url, scope, fetchFn: deps.fetchFn };
  const first = await auth(provider, options).catch((error) => {
    throw new JanusError("auth", `account "${accountId}": could not start the login: ${messageOf(error)}`, {
      cause: error,
    });
  });
  if (first !== "REDIRECT") {
    throw new JanusError("auth", `account "${accountId}": the server did not ask for a login`);
  }

  const result = await waitFor(callbackResult, deps.timeoutMs ?? LOGIN_TIMEOUT_MS, deps.signal, accountId);
  if (result.state !== provider.expectedState) {
    throw new JanusError(
      "auth",
      `account "${accountId}": the login callback carried a state that does not match this login (a forged or stale redirect); nothing was stored — run the login again`,
    );
  }
  if (result.kind === "error") {
    throw new JanusError(
      "auth",
      `account "${accountId}": the authorization server refused the login: ${result.error}${
        result.description ? ` (${result.description.slice(0, 200)})` : ""
      }`,
    );
  }
  await auth(provider, { ...options, authorizationCode: result.code, iss: result.iss }).catch((error) => {
    throw new JanusError(
      "auth",
      `account "${accountId}": the login could not be completed: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  });
  const tokens = provider.tokensReceived;
  if (!tokens || !provider.clientId) {
    throw new JanusError("auth", `account "${accountId}": the authorization server returned no tokens`);
  }
  const issuer = metadata.issuer;
  const grant = grantFromTokens(tokens, {
    issuer,
    authorizationServerUrl: info.authorizationServerUrl,
    ...(info.resourceMetadata?.resource ? { resource: info.resourceMetadata.resource } : {}),
    clientId: provider.clientId,
  });
  const identity = identityFromTokens(tokens, { issuer, clientId: provider.clientId })?.name;
  await deps.store.saveGrant(accountId, grant);
  await deps.remoteState.update(accountId, (state) => {
    const { needsLogin: _cleared, identity: _old, ...rest } = state;
    return { ...rest, issuer, ...(identity ? { identity } : {}) };
  });
  return { accountId, issuer, ...(identity ? { identity } : {}) };
}

/** Waits for the callback, a timeout (JanusError `timeout`) or an abort (JanusError `interrupted`). */
export function waitFor(
  result: Promise<CallbackResult>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  accountId: string,
): Promise<CallbackResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new JanusError(
          "timeout",
          `account "${accountId}": no login arrived within ${
            Math.round(timeoutMs / 1000)
          } s; run the login again when ready`,
        ),
      );
    }, timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new JanusError("interrupted", `account "${accountId}": the login was cancelled`));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    result.then((value) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
