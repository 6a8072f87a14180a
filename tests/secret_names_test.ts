import assert from "node:assert/strict";
import { isSecretEnv, looksLikeCredential } from "../lib/secret_names.ts";

Deno.test("credential-like variable names are secrets", () => {
  for (
    const name of [
      "GITHUB_TOKEN",
      "gh_token",
      "API_KEY",
      "OPENAI_APIKEY",
      "AWS_SECRET_ACCESS_KEY",
      "DB_PASSWORD",
      "DB_PASS",
      "GITHUB_PAT",
      "AUTH",
      "X_AUTH",
      "SESSION_ID",
      "COOKIE",
      "GOOGLE_CREDENTIALS",
      "JANUS_VAULT_PASSPHRASE",
      "SSH_PRIVATE_KEY_FILE",
    ]
  ) assert.ok(looksLikeCredential(name), name);
});

Deno.test("ordinary variable names are not secrets, even when they contain a short credential word", () => {
  for (
    const name of [
      "HOME",
      "PATH",
      "YEAR",
      "ORG",
      "USER",
      "LANG",
      "KEYBOARD_LAYOUT",
      "PATTERN",
      "PASSAGE",
      "AUTHOR",
    ]
  ) {
    assert.equal(looksLikeCredential(name), false, name);
  }
});

Deno.test("secretEnv makes any name a secret for that account only", () => {
  assert.ok(isSecretEnv({ secretEnv: ["DATABASE_URL"] }, "DATABASE_URL"));
  assert.equal(isSecretEnv({ secretEnv: ["DATABASE_URL"] }, "HOME"), false);
  assert.equal(isSecretEnv({}, "DATABASE_URL"), false);
});
