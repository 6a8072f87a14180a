import assert from "node:assert/strict";
import { accountReferences, parseReferences } from "../lib/references.ts";
import type { AccountConfig } from "../lib/config/types.ts";

Deno.test("a plain string is one text part", () => {
  assert.deepEqual(parseReferences("hello"), { ok: true, parts: [{ kind: "text", text: "hello" }] });
});

Deno.test("an empty string is one empty text part", () => {
  assert.deepEqual(parseReferences(""), { ok: true, parts: [{ kind: "text", text: "" }] });
});

Deno.test("a whole-value vault: reference names one secret", () => {
  assert.deepEqual(parseReferences("vault:github-token"), {
    ok: true,
    parts: [{ kind: "vault", name: "github-token" }],
  });
  assert.deepEqual(parseReferences("vault:a.b_C-9"), {
    ok: true,
    parts: [{ kind: "vault", name: "a.b_C-9" }],
  });
});

Deno.test("vault: only counts as a reference at the start of the value", () => {
  assert.deepEqual(parseReferences("x vault:a"), { ok: true, parts: [{ kind: "text", text: "x vault:a" }] });
});

Deno.test("an embedded environment reference splits the text around it", () => {
  assert.deepEqual(parseReferences("${HOME}/bin:${PATH}"), {
    ok: true,
    parts: [
      { kind: "env", name: "HOME" },
      { kind: "text", text: "/bin:" },
      { kind: "env", name: "PATH" },
    ],
  });
});

Deno.test("an embedded vault reference sits among text", () => {
  assert.deepEqual(parseReferences("Bearer ${vault:api_key}!"), {
    ok: true,
    parts: [
      { kind: "text", text: "Bearer " },
      { kind: "vault", name: "api_key" },
      { kind: "text", text: "!" },
    ],
  });
});

Deno.test("$${ is a literal ${ and starts no reference", () => {
  assert.deepEqual(parseReferences("cost: $${HOME}"), {
    ok: true,
    parts: [{ kind: "text", text: "cost: ${HOME}" }],
  });
  assert.deepEqual(parseReferences("$${A}${B}"), {
    ok: true,
    parts: [{ kind: "text", text: "${A}" }, { kind: "env", name: "B" }],
  });
});

Deno.test("a lone $ or } is plain text", () => {
  assert.deepEqual(parseReferences("$HOME } $"), { ok: true, parts: [{ kind: "text", text: "$HOME } $" }] });
});

Deno.test("an unclosed ${ names its position", () => {
  assert.deepEqual(parseReferences("${HOME"), { ok: false, problem: 'unclosed "${" at character 1' });
  assert.deepEqual(parseReferences("ab${X"), { ok: false, problem: 'unclosed "${" at character 3' });
});

Deno.test("a bad environment variable name is reported", () => {
  for (const inner of ["", "1A", "A-B", "A B", "a.b"]) {
    assert.deepEqual(parseReferences(`x\${${inner}}`), {
      ok: false,
      problem: `"\${${inner}}" is not a valid environment variable reference`,
    });
  }
});

Deno.test("a bad embedded vault name is reported", () => {
  for (const name of ["", "a b", "a/b", "x".repeat(65)]) {
    assert.deepEqual(parseReferences(`\${vault:${name}}`), {
      ok: false,
      problem: `"\${vault:${name}}" is not a valid vault reference`,
    });
  }
});

Deno.test("a bad whole-value vault name is reported with the naming rule", () => {
  for (const name of ["", "a b", "a/b", "x".repeat(65)]) {
    assert.deepEqual(parseReferences(`vault:${name}`), {
      ok: false,
      problem:
        `"vault:${name}" is not a valid vault reference (names use A-Z a-z 0-9 _ . -, 1–64 characters)`,
    });
  }
});

Deno.test("oauth: references name a login, whole or inside a string; bad names are refused", () => {
  assert.deepEqual(parseReferences("oauth:github-work"), {
    ok: true,
    parts: [{ kind: "oauth", name: "github-work" }],
  });
  assert.deepEqual(parseReferences("Bearer ${oauth:gh}"), {
    ok: true,
    parts: [{ kind: "text", text: "Bearer " }, { kind: "oauth", name: "gh" }],
  });
  assert.equal(parseReferences("oauth:bad name").ok, false);
  assert.equal(parseReferences("${oauth:}").ok, false);
});

Deno.test("a malformed oauth: reference says what is wrong", () => {
  assert.deepEqual(parseReferences("oauth:git hub"), {
    ok: false,
    problem:
      '"oauth:git hub" is not a valid oauth reference (login names use A-Z a-z 0-9 _ . -, 1–64 characters)',
  });
});

Deno.test("accountReferences lists each env and vault name an account's launch fields use, once", () => {
  const account: AccountConfig = {
    id: "a",
    service: "s",
    label: "a",
    transport: "stdio",
    command: "run ${NOT_COUNTED}",
    args: ["--token=${vault:a}", "${HOME}", "${"],
    env: { ONE: "vault:b", TWO: "${vault:a}-${USER}" },
    headers: { X: "${vault:c}" },
    url: "https://${HOST}/mcp",
  };
  assert.deepEqual(accountReferences(account), {
    env: ["HOME", "USER", "HOST"],
    vault: ["a", "b", "c"],
    oauth: [],
  });
});
