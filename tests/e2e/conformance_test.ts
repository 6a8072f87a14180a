/**
 * The official MCP conformance suite, run against `janusmcp --http` fronting the conformance
 * fixture (scripts/conformance.ts does the work; `deno task conformance` runs it by hand).
 * Every server scenario of each revision must pass with no failed check and no warning; with the
 * fixture speaking only the other revision, every check but the ones listed with their reasons in
 * scripts/conformance-expected-failures-legacy.yml (the suite's own baseline check decides).
 */
import assert from "node:assert/strict";
import { REPO, REVISIONS } from "./harness.ts";

for (const revision of REVISIONS) {
  Deno.test(`[${revision}] the official conformance suite passes through the broker`, async () => {
    const output = await new Deno.Command("deno", {
      args: ["run", "-A", `${REPO}scripts/conformance.ts`, "--spec-version", revision],
      cwd: REPO,
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    const summary = new RegExp(
      `${revision}: (\\d+)/(\\d+) scenarios clean, (\\d+) checks passed, (\\d+) failed, (\\d+) warnings`,
    )
      .exec(text);
    assert.ok(summary, `no summary in:\n${text}`);
    const [, clean, total, passed, failed, warnings] = summary.map(Number);
    assert.equal(failed, 0, text);
    assert.equal(warnings, 0, text);
    assert.equal(clean, total, text);
    assert.ok(passed > 50, `only ${passed} checks ran`);
    assert.equal(output.code, 0, text);
  });
}

/** A client at `revision` in front of the fixture speaking only the other revision. */
const PAIRINGS = [
  { upstream: "legacy", revision: "2026-07-28" },
  { upstream: "modern", revision: "2025-11-25" },
] as const;

for (const { upstream, revision } of PAIRINGS) {
  Deno.test(`[${revision}] the official suite passes through the broker in front of a ${upstream}-only upstream`, async () => {
    const output = await new Deno.Command("deno", {
      args: [
        "run",
        "-A",
        `${REPO}scripts/conformance.ts`,
        "--upstream",
        upstream,
        "--spec-version",
        revision,
      ],
      cwd: REPO,
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    const summary = new RegExp(`${revision}: (\\d+)/(\\d+) scenarios clean, (\\d+) checks passed`).exec(text);
    assert.ok(summary, `no summary in:\n${text}`);
    assert.ok(Number(summary[3]) > 50, `only ${summary[3]} checks ran`);
    // Exit 0 is the suite's baseline verdict: nothing failed beyond the listed checks.
    assert.equal(output.code, 0, text);
  });
}

Deno.test("every conformance check a dual-revision HTTP upstream passes directly also passes through the broker", async () => {
  const output = await new Deno.Command("deno", {
    args: ["run", "-A", `${REPO}scripts/conformance_compare.ts`],
    cwd: REPO,
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  for (const revision of REVISIONS) {
    const compared = new RegExp(
      `compare ${revision}: (\\d+) checks pass directly, (\\d+) of them through the broker, (\\d+) lost`,
    )
      .exec(text);
    assert.ok(compared, `no comparison for ${revision} in:\n${text}`);
    const [, direct, through, lost] = compared.map(Number);
    assert.ok(direct > 50, `only ${direct} checks passed directly`);
    assert.equal(through, direct, text);
    assert.equal(lost, 0, text);
  }
  assert.equal(output.code, 0, text);
});
