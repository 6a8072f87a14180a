/**
 * The device authorization grant (RFC 8628), for machines without a browser: ask the provider
 * for a user code, show where to enter it, and poll the token endpoint until the person has
 * approved. The polling token request is the SDK's (`fetchToken` with a provider whose
 * `prepareTokenRequest` names the device_code grant); only the device request is written here.
 */
import {
  type AuthorizationServerMetadata,
  fetchToken,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  OAuthError,
  type OAuthTokens,
} from "@modelcontextprotocol/client";
import { JanusError } from "../errors.ts";

/** What the person is shown. */
export interface DevicePrompt {
  verificationUri: string;
  /** The URL with the code already filled in, when the provider gives one. */
  verificationUriComplete?: string;
  userCode: string;
}

/** The grant's inputs. */
export interface DeviceGrantOptions {
  deviceAuthorizationEndpoint: string;
  metadata: AuthorizationServerMetadata;
  client: OAuthClientInformationMixed;
  scope?: string;
  show(prompt: DevicePrompt): void | Promise<void>;
  /** Stops waiting before the provider's own expiry. */
  timeoutMs: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs the device grant and returns the tokens. */
export async function runDeviceGrant(options: DeviceGrantOptions): Promise<OAuthTokens> {
  const body = new URLSearchParams({ client_id: options.client.client_id });
  if (options.scope) body.set("scope", options.scope);
  const response = await fetch(options.deviceAuthorizationEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body,
  });
  const answer: Record<string, unknown> = await response.json().catch(() => ({}));
  if (!response.ok || typeof answer.device_code !== "string" || typeof answer.user_code !== "string") {
    const reason = typeof answer.error === "string" ? answer.error : `HTTP ${response.status}`;
    throw new JanusError("auth", `the provider refused the device login request (${reason})`);
  }
  // Google calls it verification_url.
  const verificationUri = String(answer.verification_uri ?? answer.verification_url ?? "");
  await options.show({
    verificationUri,
    ...(typeof answer.verification_uri_complete === "string"
      ? { verificationUriComplete: answer.verification_uri_complete }
      : {}),
    userCode: answer.user_code,
  });
  const provider = deviceCodeProvider(options.client, answer.device_code);
  const expiresIn = typeof answer.expires_in === "number" ? answer.expires_in * 1000 : options.timeoutMs;
  const deadline = Date.now() + Math.min(expiresIn, options.timeoutMs);
  let interval = typeof answer.interval === "number" ? answer.interval * 1000 : 5000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  while (Date.now() < deadline) {
    await sleep(interval);
    if (options.signal?.aborted) throw new JanusError("interrupted", "the device login was cancelled");
    try {
      return await fetchToken(provider, options.metadata.issuer, { metadata: options.metadata });
    } catch (error) {
      const code = error instanceof OAuthError ? String(error.code) : undefined;
      if (code === "authorization_pending") continue;
      if (code === "slow_down") {
        interval += 5000;
        continue;
      }
      const reason = code === "access_denied"
        ? "the login was declined"
        : code === "expired_token"
        ? "the code expired before it was entered"
        : error instanceof Error
        ? error.message
        : String(error);
      throw new JanusError("auth", `the device login failed: ${reason}`, { cause: error });
    }
  }
  throw new JanusError("timeout", `no one entered the code within ${Math.round(options.timeoutMs / 1000)} s`);
}

/** The SDK provider shape for one device_code token request (non-interactive: no redirect). */
function deviceCodeProvider(client: OAuthClientInformationMixed, deviceCode: string): OAuthClientProvider {
  const metadata: OAuthClientMetadata = { redirect_uris: [], client_name: "JanusMCP" };
  return {
    redirectUrl: undefined,
    clientMetadata: metadata,
    clientInformation: () => client,
    tokens: () => undefined,
    saveTokens: () => {},
    redirectToAuthorization: () => {
      throw new JanusError("auth", "a device login never redirects");
    },
    saveCodeVerifier: () => {},
    codeVerifier: () => "",
    prepareTokenRequest: () =>
      new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: deviceCode,
      }),
  };
}
