/**
 * Token revocation (RFC 7009) when the authorization server offers it. The SDK has no
 * revocation helper; this is one form POST, authenticated the way the SDK picks for the client
 * (`selectClientAuthMethod`). The token is never part of an error message.
 */
import {
  type AuthorizationServerMetadata,
  type FetchLike,
  type OAuthClientInformationMixed,
  selectClientAuthMethod,
} from "@modelcontextprotocol/client";

/** Revokes one token; resolves with a problem description, or undefined when the server accepted it. */
export async function revokeToken(
  metadata: AuthorizationServerMetadata,
  client: OAuthClientInformationMixed,
  token: string,
  hint: "refresh_token" | "access_token",
  fetchFn: FetchLike = fetch,
): Promise<string | undefined> {
  // Both RFC 8414 fields; the OpenID-shaped variant of the SDK's metadata type omits them.
  const extra = metadata as {
    revocation_endpoint?: unknown;
    revocation_endpoint_auth_methods_supported?: unknown;
  };
  const endpoint = typeof extra.revocation_endpoint === "string" ? extra.revocation_endpoint : undefined;
  const revocationMethods = Array.isArray(extra.revocation_endpoint_auth_methods_supported)
    ? extra.revocation_endpoint_auth_methods_supported.filter((m): m is string => typeof m === "string")
    : undefined;
  if (!endpoint) return "the authorization server offers no revocation endpoint";
  const body = new URLSearchParams({ token, token_type_hint: hint });
  const headers = new Headers({
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  });
  const method = selectClientAuthMethod(
    client,
    revocationMethods ?? metadata.token_endpoint_auth_methods_supported ?? [],
  );
  if (method === "client_secret_basic" && client.client_secret) {
    const credentials = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`;
    headers.set("authorization", `Basic ${btoa(credentials)}`);
  } else {
    body.set("client_id", client.client_id);
    if (method === "client_secret_post" && client.client_secret) {
      body.set("client_secret", client.client_secret);
    }
  }
  try {
    const response = await fetchFn(endpoint, { method: "POST", headers, body });
    await response.body?.cancel();
    return response.ok ? undefined : `the revocation endpoint answered HTTP ${response.status}`;
  } catch (error) {
    return `the revocation endpoint could not be reached (${
      error instanceof Error ? error.message : String(error)
    })`;
  }
}
