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
