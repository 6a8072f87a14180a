/**
 * Who logged in, from what the authorization server handed back: the ID token's `email`,
 * `preferred_username` or `sub`; else the `sub` of a JWT access token; else unknown. Pure.
 * The ID token comes straight from the token endpoint over TLS (OpenID Connect Core §3.1.3.7
 * allows trusting its signature then), but its issuer and audience are still checked.
 */

/** The identity shown as "connected as …", and where it came from. */
export interface Identity {
  name: string;
  source: "id_token" | "access_token";
}

/** The payload of a compact JWS, or undefined when the value is not one. Never throws. */
export function jwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - base64.length % 4) % 4);
    const json = new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)));
    const payload: unknown = JSON.parse(json);
    return typeof payload === "object" && payload !== null && !Array.isArray(payload)
      ? payload as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

function sameIssuer(a: unknown, b: string): boolean {
  return typeof a === "string" && (a === b || a.replace(/\/$/, "") === b.replace(/\/$/, ""));
}

function audienceIncludes(aud: unknown, clientId: string): boolean {
  return aud === clientId || (Array.isArray(aud) && aud.includes(clientId));
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" && value.length <= 256 ? value : undefined;
}

/** The identity a token response names, checking the ID token was issued by `issuer` for `clientId`. */
export function identityFromTokens(
  tokens: { id_token?: string; access_token: string },
  expected: { issuer: string; clientId: string },
): Identity | undefined {
  if (tokens.id_token) {
    const claims = jwtPayload(tokens.id_token);
    if (
      claims && sameIssuer(claims.iss, expected.issuer) && audienceIncludes(claims.aud, expected.clientId)
    ) {
      const name = text(claims.email) ?? text(claims.preferred_username) ?? text(claims.sub);
      if (name) return { name, source: "id_token" };
    }
  }
  const access = jwtPayload(tokens.access_token);
  const sub = access && sameIssuer(access.iss, expected.issuer) ? text(access.sub) : undefined;
  return sub ? { name: sub, source: "access_token" } : undefined;
}
