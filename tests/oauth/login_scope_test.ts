import assert from "node:assert/strict";
import type { AuthorizationServerMetadata } from "@modelcontextprotocol/client";
import { loginScope } from "../../lib/oauth/login.ts";

const server = (scopes?: string[]) =>
  ({
    issuer: "https://as",
    authorization_endpoint: "https://as/auth",
    token_endpoint: "https://as/token",
    response_types_supported: ["code"],
    ...(scopes ? { scopes_supported: scopes } : {}),
  }) as AuthorizationServerMetadata;

Deno.test("the login asks for the resource's scopes plus OpenID Connect's and offline_access when offered", () => {
  const resource = { resource: "https://mcp", scopes_supported: ["repo"] };
  assert.equal(
    loginScope(undefined, resource, server(["openid", "email", "profile", "offline_access", "repo"])),
    "repo openid email profile offline_access",
  );
});

Deno.test("configured scopes replace the advertised ones; OIDC scopes the server lacks are not added", () => {
  const resource = { resource: "https://mcp", scopes_supported: ["repo"] };
  assert.equal(loginScope(["read"], resource, server(["openid", "read"])), "read openid");
  assert.equal(loginScope(undefined, resource, server(["repo"])), "repo");
  assert.equal(loginScope(undefined, undefined, server()), undefined);
});
