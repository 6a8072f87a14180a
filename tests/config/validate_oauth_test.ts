import assert from "node:assert/strict";
import { formatProblem, validateConfig } from "../../lib/config/validate.ts";
import { RawConfigSchema } from "../../lib/config/schema.ts";

function problemsOf(raw: unknown): string[] {
  const result = validateConfig(raw);
  assert.equal(result.ok, false, "expected the document to be invalid");
  return result.ok ? [] : result.problems.map(formatProblem);
}

const remote = (extra: Record<string, unknown> = {}) => ({
  id: "r",
  service: "github",
  url: "https://mcp.example.com/mcp",
  ...extra,
});

Deno.test("a url without transport means Streamable HTTP falling back to SSE", () => {
  const result = validateConfig({ accounts: [remote()] });
  assert.ok(result.ok);
  assert.equal(result.config.accounts[0].transport, "auto");
  assert.ok(RawConfigSchema.safeParse({ accounts: [remote()] }).success, "the zod schema agrees");
  // With a command and no transport the account stays stdio (and the url is misplaced).
  assert.deepEqual(problemsOf({ accounts: [remote({ command: "x" })] }), [
    "accounts[0].url: only used by http/sse accounts",
  ]);
});

Deno.test("auth oauth with every oauth field is accepted and kept as written", () => {
  const oauth = {
    clientId: "janus-client",
    clientSecret: "vault:gh_client_secret",
    scopes: ["repo", "read:org"],
    loginHint: "alice@acme.example",
  };
  const raw = { accounts: [remote({ transport: "http", auth: "oauth", oauth })] };
  const result = validateConfig(raw);
  assert.ok(result.ok);
  assert.deepEqual(result.config.accounts[0].auth, "oauth");
  assert.deepEqual(result.config.accounts[0].oauth, oauth);
  assert.ok(RawConfigSchema.safeParse(raw).success);
  const bare = validateConfig({ accounts: [remote({ auth: "oauth" })] });
  assert.ok(bare.ok);
  assert.equal(bare.config.accounts[0].oauth, undefined);
});

Deno.test("oauth settings are checked field by field with their paths", () => {
  assert.deepEqual(problemsOf({ accounts: [remote({ auth: "basic" })] }), [
    'accounts[0].auth: expected "oauth", got "basic"',
  ]);
  assert.deepEqual(problemsOf({ accounts: [remote({ oauth: { clientId: "x" } })] }), [
    'accounts[0].oauth: only used with "auth": "oauth"',
  ]);
  assert.deepEqual(
    problemsOf({
      accounts: [remote({
        auth: "oauth",
        oauth: { clientSecret: "plain-secret", scopes: ["ok", "two words", 3], loginHint: "", clientID: "x" },
      })],
    }),
    [
      'accounts[0].oauth.clientID: unknown key (did you mean "clientId"?)',
      'accounts[0].oauth.clientSecret: must be a reference ("vault:NAME" or "${ENV_VAR}"), not the secret itself',
      "accounts[0].oauth.clientSecret: needs clientId (a secret without its client id cannot be used)",
      "accounts[0].oauth.loginHint: must not be empty",
      "accounts[0].oauth.scopes[1]: expected a scope name (no spaces or quotes)",
      "accounts[0].oauth.scopes[2]: expected a scope name (no spaces or quotes)",
    ],
  );
  assert.deepEqual(problemsOf({ accounts: [remote({ auth: "oauth", oauth: [] })] }), [
    'accounts[0].oauth: expected an object like {"clientId": "…", "scopes": ["…"]}',
  ]);
});

Deno.test("auth and oauth on a stdio account are reported as misplaced", () => {
  assert.deepEqual(
    problemsOf({ accounts: [{ id: "s", service: "x", command: "c", auth: "oauth", oauth: {} }] }),
    ["accounts[0].auth: only used by http/sse accounts", "accounts[0].oauth: only used by http/sse accounts"],
  );
});

Deno.test("oauthProviders: a preset by name or explicit endpoints, a client id, a referenced secret", () => {
  const raw = {
    accounts: [],
    oauthProviders: {
      github: { clientId: "Iv1.x", scopes: ["repo"] },
      "github-work": { preset: "github", clientId: "Iv1.y", clientSecret: "vault:gh_secret" },
      own: {
        tokenEndpoint: "https://id.example/token",
        authorizationEndpoint: "https://id.example/auth",
        clientId: "c",
      },
    },
  };
  const result = validateConfig(raw);
  assert.ok(result.ok, result.ok ? "" : result.problems.map(formatProblem).join("\n"));
  assert.deepEqual(result.config.oauthProviders, {
    github: { preset: "github", clientId: "Iv1.x", scopes: ["repo"] },
    "github-work": { preset: "github", clientId: "Iv1.y", clientSecret: "vault:gh_secret" },
    own: {
      tokenEndpoint: "https://id.example/token",
      authorizationEndpoint: "https://id.example/auth",
      clientId: "c",
    },
  });
  assert.ok(RawConfigSchema.safeParse(raw).success, "the zod schema agrees");
});

Deno.test("oauthProviders problems are named by path", () => {
  assert.deepEqual(
    problemsOf({
      accounts: [],
      oauthProviders: {
        mine: { clientSecret: "plain", tokenUrl: "x" },
        other: { preset: "gitbucket", clientId: "c" },
        bad: { tokenEndpoint: "ftp://x", clientId: "c" },
      },
    }),
    [
      // The provider's own problem first, then its fields' (the validator's reading order).
      'oauthProviders.mine: needs "tokenEndpoint" (or a "preset": "github", "gitlab", "google", "microsoft", "slack" or "atlassian")',
      "oauthProviders.mine.tokenUrl: unknown key (expected one of: preset, issuer, authorizationEndpoint, tokenEndpoint, deviceAuthorizationEndpoint, revocationEndpoint, clientId, clientSecret, scopes)",
      "oauthProviders.mine.clientId: required (the client id you registered with the provider)",
      'oauthProviders.mine.clientSecret: must be a reference ("vault:NAME" or "${ENV_VAR}"), not the secret itself',
      'oauthProviders.other.preset: expected "github", "gitlab", "google", "microsoft", "slack" or "atlassian", got "gitbucket"',
      "oauthProviders.bad.tokenEndpoint: expected an http:// or https:// URL",
    ],
  );
});
