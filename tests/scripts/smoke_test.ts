/**
 * The release smoke test (scripts/smoke.ts), run here against this checkout started the way the
 * e2e tests start it: the same checks the release workflow runs against each compiled binary.
 */
import assert from "node:assert/strict";
import { janusmcpArgs, REPO } from "../e2e/harness.ts";
import { keychainTest } from "../secrets/secret_service.ts";

keychainTest(
  "the smoke test passes against the checkout: version, tools/list, vault round trip",
  async () => {
    const output = await new Deno.Command("deno", {
      args: ["task", "--quiet", "smoke", "--", "deno", ...janusmcpArgs()],
      cwd: REPO,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, said);
    assert.match(said, /ok {2}serve answers tools\/list over stdio/);
    assert.match(said, /ok {2}vault delete removes it/);
    assert.match(said, /smoke test passed/);
  },
);

Deno.test("the smoke test fails, naming the check, when the executable is not janusmcp", async () => {
  const output = await new Deno.Command("deno", {
    args: ["task", "--quiet", "smoke", "--", "deno", "--version"],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 1);
  assert.match(new TextDecoder().decode(output.stderr), /smoke test FAILED: --version prints janusmcp/);
});
