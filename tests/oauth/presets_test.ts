import assert from "node:assert/strict";
import { PRESETS, resolveProvider } from "../../lib/oauth/presets.ts";

Deno.test("every preset has https authorization and token endpoints", () => {
  assert.deepEqual(Object.keys(PRESETS).sort(), [
    "atlassian",
    "github",
    "gitlab",
    "google",
    "microsoft",
    "slack",
  ]);
  for (const [name, preset] of Object.entries(PRESETS)) {
    for (const url of [preset.issuer, preset.authorizationEndpoint, preset.tokenEndpoint]) {
      assert.equal(new URL(url).protocol, "https:", name);
    }
  }
});

Deno.test("a preset provider gets the preset's endpoints; configured ones win", () => {
  const github = resolveProvider("github", {
    github: { preset: "github", clientId: "Iv1.x", scopes: ["repo"] },
  });
  assert.equal(github.metadata.token_endpoint, "https://github.com/login/oauth/access_token");
  assert.equal(github.deviceAuthorizationEndpoint, "https://github.com/login/device/code");
  assert.deepEqual(github.scopes, ["repo"]);
  const custom = resolveProvider("ghe", {
    ghe: { preset: "github", clientId: "c", tokenEndpoint: "https://ghe.example/login/oauth/access_token" },
  });
  assert.equal(custom.metadata.token_endpoint, "https://ghe.example/login/oauth/access_token");
  assert.equal(custom.metadata.authorization_endpoint, "https://github.com/login/oauth/authorize");
  const atlassian = resolveProvider("a", { a: { preset: "atlassian", clientId: "c" } });
  assert.equal(atlassian.authorizationParams.audience, "api.atlassian.com");
  assert.equal(
    atlassian.deviceAuthorizationEndpoint,
    undefined,
    "no device grant where the provider has none",
  );
});

Deno.test("a provider without a preset takes its issuer from the token endpoint's origin", () => {
  const own = resolveProvider("own", {
    own: { tokenEndpoint: "https://id.example/oauth/token", clientId: "c" },
  });
  assert.equal(own.metadata.issuer, "https://id.example");
});

Deno.test("an unknown provider is a config error listing the known ones", () => {
  assert.throws(
    () => resolveProvider("nope", { github: { preset: "github", clientId: "c" } }),
    /unknown OAuth provider "nope" \(known: github\)/,
  );
  assert.throws(() => resolveProvider("nope", undefined), /known: none configured/);
});
