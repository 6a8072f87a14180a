/** The config fields of tool search (`exposure`, `searchThreshold`) and profiles written as objects (`fold` too). */
import assert from "node:assert/strict";
import { formatProblem, validateConfig } from "../../lib/config/validate.ts";
import type { JanusConfig } from "../../lib/config/types.ts";

const accounts = ["a", "b"].map((id) => ({ id, service: "github", command: "gh-mcp" }));

function configOf(raw: Record<string, unknown>): JanusConfig {
  const result = validateConfig({ accounts, ...raw });
  if (!result.ok) assert.fail(result.problems.map(formatProblem).join("\n"));
  return result.config;
}

function problemsOf(raw: Record<string, unknown>): string[] {
  const result = validateConfig({ accounts, ...raw });
  assert.equal(result.ok, false, "expected the document to be invalid");
  return result.ok ? [] : result.problems.map(formatProblem);
}

Deno.test("exposure defaults to auto with a threshold of 40, and takes what is written", () => {
  const defaults = configOf({});
  assert.equal(defaults.exposure, "auto");
  assert.equal(defaults.searchThreshold, 40);
  assert.deepEqual(defaults.profileExposure, {});
  const written = configOf({ exposure: "search", searchThreshold: 0 });
  assert.equal(written.exposure, "search");
  assert.equal(written.searchThreshold, 0);
});

Deno.test("a bad exposure or threshold is named by its path", () => {
  assert.deepEqual(problemsOf({ exposure: "some" }), [
    'exposure: expected "all", "search" or "auto", got "some"',
  ]);
  assert.deepEqual(problemsOf({ searchThreshold: -1 }), ["searchThreshold: must be 0 or more"]);
  assert.deepEqual(problemsOf({ searchThreshold: 2.5 }), ["searchThreshold: expected a whole number"]);
  assert.deepEqual(problemsOf({ searchThreshold: "40" }), ["searchThreshold: expected a number"]);
});

Deno.test("a profile may be an object with its own exposure; array profiles stay as they were", () => {
  const config = configOf({
    profiles: {
      plain: ["a", "b"],
      big: { accounts: ["b", "a"], exposure: "search" },
      same: { accounts: ["a"] },
    },
  });
  assert.deepEqual(config.profiles, { plain: ["a", "b"], big: ["b", "a"], same: ["a"] });
  assert.deepEqual(config.profileExposure, { big: "search" });
});

Deno.test("an object profile's problems are named inside it, its accounts checked like a list's", () => {
  assert.deepEqual(
    problemsOf({ profiles: { p: { accounts: ["a", "x", "a"], exposure: "none", extra: 1 } } }),
    [
      'profiles.p.accounts[1]: unknown account "x"',
      'profiles.p.accounts[2]: "a" is already listed at profiles.p.accounts[0]',
      'profiles.p.exposure: expected "all", "search" or "auto", got "none"',
      "profiles.p.extra: unknown key (expected one of: accounts, exposure, fold)",
    ],
  );
  assert.deepEqual(problemsOf({ profiles: { p: { exposre: "all", accounts: ["a"] } } }), [
    'profiles.p.exposre: unknown key (did you mean "exposure"?)',
  ]);
  assert.deepEqual(problemsOf({ profiles: { p: { exposure: "all" } } }), ["profiles.p.accounts: required"]);
  assert.deepEqual(problemsOf({ profiles: { p: { accounts: [] } } }), [
    "profiles.p.accounts: must list at least one account",
  ]);
  assert.deepEqual(problemsOf({ profiles: { p: 3 } }), [
    'profiles.p: expected an array of account ids (or an object like {"accounts": [...], "exposure": "search"})',
  ]);
});

Deno.test("a bad profile leaves the good ones' problems unreported and their values as written", () => {
  const problems = problemsOf({
    profiles: { good: { accounts: ["a"], exposure: "all" }, bad: { accounts: [7] } },
  });
  assert.deepEqual(problems, ["profiles.bad.accounts[0]: expected a string (an account id)"]);
  assert.deepEqual(configOf({ profiles: { good: { accounts: ["a"], exposure: "all" } } }).profileExposure, {
    good: "all",
  });
});

Deno.test("profiles fold by default; an object profile may say fold: false (or true)", () => {
  const config = configOf({
    profiles: {
      plain: ["a", "b"],
      apart: { accounts: ["a", "b"], fold: false },
      kept: { accounts: ["a"], fold: true },
    },
  });
  assert.deepEqual(config.profileFold, { apart: false, kept: true });
  assert.deepEqual(config.profiles.apart, ["a", "b"]);
  assert.deepEqual(configOf({}).profileFold, {});
  assert.deepEqual(problemsOf({ profiles: { p: { accounts: ["a"], fold: "no" } } }), [
    "profiles.p.fold: expected true or false",
  ]);
});
