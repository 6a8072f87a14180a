// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Runs the official MCP conformance suite twice against a dual-revision Streamable HTTP upstream
 * (tests/fixtures/conformance_http.ts: a stateless 2026-07-28 handler plus 2025-11-25 sessions
 * on one endpoint, as the SDK's examples serve): once directly, once through `janusmcp --http`
 * with that upstream as its only account. Every check that passes directly must pass through the
 * broker; checks that fail both ways are reported but are the fixture's, not the broker's.
 *
 *   deno run -A scripts/conformance_compare.ts [--spec-version V]...
 *
 * Exits 1 when a check passes directly but not through the broker.
 */
import { parseArgs } from "node:util";
import { freePort, type RunResult, runSuite, startBroker, verdict } from "./conformance.ts";

const REPO = new URL("../", import.meta.url).pathname;
const REVISIONS = ["2025-11-25", "2026-07-28"];

/** Checks passed, as `scenario:check` ids. */
function passedChecks(result: RunResult): Set<string> {
  return new Set(result.scenarios.flatMap((s) => s.passedIds.map((id) => `${s.scenario}:${id}`)));
}

/** Starts the dual-revision HTTP fixture on a free port; resolves once it accepts connections. */
async function startFixture(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = freePort();
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--quiet",
      `--config=${REPO}deno.json`,
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      `${REPO}tests/fixtures/conformance_http.ts`,
      String(port),
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { "spec-version": { type: "string", multiple: true } },
  });
  const revisions = values["spec-version"] ?? REVISIONS;
  const workDir = await Deno.makeTempDir({ prefix: "janus-conformance-compare-" });
  const fixture = await startFixture();
  let lost = 0;
  try {
    const broker = await startBroker(`${workDir}`, {
      id: "dual",
      service: "conformance",
      label: "dual-revision conformance fixture over HTTP",
      transport: "http",
      url: fixture.url,
    });
    try {
      for (const revision of revisions) {
        const options = { verbose: false };
        await Deno.mkdir(`${workDir}/direct`, { recursive: true });
        await Deno.mkdir(`${workDir}/broker`, { recursive: true });
        const direct = await runSuite(fixture.url, revision, `${workDir}/direct`, options);
        const through = await runSuite(broker.url, revision, `${workDir}/broker`, options);
        const [passedDirect, passedThrough] = [passedChecks(direct), passedChecks(through)];
        const missing = [...passedDirect].filter((id) => !passedThrough.has(id)).sort();
        lost += missing.length;
        console.log(`\n${revision} directly:        ${verdict(direct)}`);
        console.log(`${revision} through broker: ${verdict(through)}`);
        for (const id of missing) console.log(`  ✗ passes directly, not through the broker: ${id}`);
        console.log(
          `compare ${revision}: ${passedDirect.size} checks pass directly, ${
            passedDirect.size - missing.length
          } of them through the broker, ${missing.length} lost`,
        );
      }
    } finally {
      await broker.stop();
    }
  } finally {
    await fixture.stop();
  }
  console.log(lost === 0 ? "conformance compare: OK" : `conformance compare: FAILED (logs in ${workDir})`);
  if (lost === 0) await Deno.remove(workDir, { recursive: true }).catch(() => {});
  return lost === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
