/**
 * The official MCP conformance suite, run against `janusmcp --http` fronting the conformance
 * fixture (scripts/conformance.ts does the work; `deno task conformance` runs it by hand).
 * Every server scenario of each revision must pass with no failed check and no warning.
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
