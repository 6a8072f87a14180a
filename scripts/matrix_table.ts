// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Runs the compatibility-matrix test (tests/e2e/matrix_test.ts) and writes its table into
 * README.md between the `<!-- matrix:start -->` and `<!-- matrix:end -->` markers:
 *
 *   deno run -A scripts/matrix_table.ts            # or: deno task matrix
 *
 * Exits 1 (README untouched) when the matrix test fails.
 */
const REPO = new URL("../", import.meta.url).pathname;
const START = "<!-- matrix:start -->";
const END = "<!-- matrix:end -->";

const out = await Deno.makeTempFile({ prefix: "janus-matrix-", suffix: ".md" });
const run = await new Deno.Command("bash", {
  args: ["scripts/with_secret_service.sh", "deno", "test", "-A", "tests/e2e/matrix_test.ts"],
  cwd: REPO,
  env: { MATRIX_TABLE_OUT: out },
  stdin: "null",
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!run.success) {
  console.error("matrix_table: the matrix test failed; README.md left as it was");
  Deno.exit(1);
}
const table = (await Deno.readTextFile(out)).trim();
await Deno.remove(out);
const readme = await Deno.readTextFile(`${REPO}README.md`);
const [from, to] = [readme.indexOf(START), readme.indexOf(END)];
if (from < 0 || to < from) {
  console.error(`matrix_table: README.md has no ${START} … ${END} section`);
  Deno.exit(1);
}
await Deno.writeTextFile(
  `${REPO}README.md`,
  `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`,
);
// The table as `deno fmt` would align it, so `deno fmt --check` stays clean.
await new Deno.Command("deno", { args: ["fmt", "--quiet", "README.md"], cwd: REPO }).output();
console.log("matrix_table: README.md updated");
