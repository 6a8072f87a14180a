import assert from "node:assert/strict";
import { identityFromTokens, jwtPayload } from "../../lib/oauth/identity.ts";

const ISSUER = "https://as.example";
const jwt = (payload: Record<string, unknown>) => {
  const part = (value: unknown) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "RS256" })}.${part(payload)}.signature`;
};
const expected = { issuer: ISSUER, clientId: "client-1" };

Deno.test("identity prefers the ID token's email, then preferred_username, then sub", () => {
  const base = { iss: ISSUER, aud: "client-1", sub: "u1" };
  const access = "opaque";
  assert.deepEqual(
    identityFromTokens({
      id_token: jwt({ ...base, email: "a@x", preferred_username: "al" }),
      access_token: access,
    }, expected),
    { name: "a@x", source: "id_token" },
  );
  assert.equal(
    identityFromTokens(
      { id_token: jwt({ ...base, preferred_username: "al" }), access_token: access },
      expected,
    )?.name,
    "al",
  );
  assert.equal(identityFromTokens({ id_token: jwt(base), access_token: access }, expected)?.name, "u1");
});

Deno.test("an ID token from another issuer or for another client is not believed", () => {
  const access = jwt({ iss: ISSUER, sub: "from-access" });
  for (const claims of [{ iss: "https://evil", aud: "client-1" }, { iss: ISSUER, aud: "other" }]) {
    const identity = identityFromTokens({
      id_token: jwt({ ...claims, email: "mallory@x" }),
      access_token: access,
    }, expected);
    assert.deepEqual(identity, { name: "from-access", source: "access_token" });
  }
});

Deno.test("without an ID token a JWT access token's sub is used; an opaque one leaves the identity unknown", () => {
  assert.equal(identityFromTokens({ access_token: jwt({ iss: ISSUER, sub: "s" }) }, expected)?.name, "s");
  assert.equal(
    identityFromTokens({ access_token: jwt({ iss: "https://other", sub: "s" }) }, expected),
    undefined,
  );
  assert.equal(identityFromTokens({ access_token: "not-a-jwt" }, expected), undefined);
});

Deno.test("jwtPayload returns undefined for malformed tokens instead of throwing", () => {
  for (const token of ["", "a.b", "a.!!!.c", `x.${btoa("[1]")}.y`, `x.${btoa("not json")}.y`]) {
    assert.equal(jwtPayload(token), undefined, token);
  }
  assert.deepEqual(jwtPayload(jwt({ sub: "é" })), { sub: "é" });
});
