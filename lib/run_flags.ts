/**
 * The one place that says how `deno run` starts the broker from source. Every launch line built
 * in TypeScript (daemon spawn, client launcher, install, bench, conformance, e2e harness) spreads
 * these, and tests/scripts/run_flags_test.ts checks deno.json's tasks and every other launch line
 * against them, so what users run is what the tests run.
 */

/** The shipped permission set (deno.json "permissions.janusmcp"); never -A. */
export const PERMISSION_SET_FLAG = "-P=janusmcp";

/**
 * Flags for the `deno run` forms only, never `deno compile`: with lazy dynamic imports Deno
 * builds a dynamic import's module graph when it runs instead of at start (main.ts imports every
 * command, and through them both MCP SDKs, dynamically: ~3 MiB of idle RSS). `deno compile`
 * given it would leave the dynamically imported commands out of the binary, which is also why it
 * is a flag here and not `"unstable"` in deno.json (which `deno compile` reads too).
 */
export const RUN_ONLY_FLAGS: readonly string[] = ["--unstable-lazy-dynamic-imports"];

/** The `deno run` flags of the broker, before the entry module: `deno run [--quiet] ...these main.ts`. */
export const BROKER_RUN_FLAGS: readonly string[] = [PERMISSION_SET_FLAG, ...RUN_ONLY_FLAGS];
