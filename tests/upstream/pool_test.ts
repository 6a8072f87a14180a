/**
 * The pool against real fixture upstreams: one start shared by concurrent callers of one need,
 * one failed attempt reported to all of them, and a second process only for the other revision.
 */
import assert from "node:assert/strict";
import type { AccountConfig } from "../../lib/config/types.ts";
import { UpstreamPool } from "../../lib/upstream/pool.ts";
import { InMemoryRevisions, type RevisionMemory } from "../../lib/upstream/revision_memory.ts";
import { REPO } from "../e2e/harness.ts";

function account(id: string, script: string, env: Record<string, string> = {}): AccountConfig {
  return {
    id,
    service: "fixture",
    label: id,
    transport: "stdio",
    command: "deno",
    args: ["run", "--quiet", `--config=${REPO}deno.json`, "--allow-env", `${REPO}${script}`],
    env,
    headers: {},
  };
}

function pool(accounts: AccountConfig[], memory: RevisionMemory = new InMemoryRevisions()) {
  const opens: string[] = [];
  const lines: string[] = [];
  const upstreams = new UpstreamPool(accounts, { env: () => undefined }, {
    log: (id, line) => lines.push(`[${id}] ${line}`),
    listChanged: () => {},
    resourceUpdated: () => {},
    message: () => {},
    secretsResolved: (id) => opens.push(id), // once per start attempt
  }, memory);
  return { upstreams, opens, lines };
}

const pidOf = async (connection: Awaited<ReturnType<UpstreamPool["get"]>>) => {
  const result = await connection.request("tools/call", { name: "pid", arguments: {} });
  return (result.content as { text: string }[])[0].text;
};

Deno.test("concurrent callers of one need share one start; the other revision gets its own process", async () => {
  const { upstreams, opens, lines } = pool([account("dual", "tests/fixtures/account_upstream.ts")]);
  try {
    const legacy = await Promise.all([1, 2, 3, 4].map(() => upstreams.get("dual", "legacy")));
    assert.ok(legacy.every((connection) => connection === legacy[0]));
    assert.equal(legacy[0].era, "legacy");
    assert.deepEqual(opens, ["dual"]);
    const modern = await Promise.all([1, 2].map(() => upstreams.get("dual", "modern")));
    assert.equal(modern[0], modern[1]);
    assert.equal(modern[0].era, "modern");
    assert.notEqual(await pidOf(modern[0]), await pidOf(legacy[0]), "one process per revision");
    assert.ok(
      lines.some((line) => /\[dual\] starting a second process at 2026-07-28/.test(line)),
      lines.join("\n"),
    );
    // Without a client's need, whatever is live serves.
    assert.ok([legacy[0], modern[0]].includes(await upstreams.get("dual")));
  } finally {
    await upstreams.closeAll();
  }
});

Deno.test("a start that fails is attempted once for all concurrent callers, and again after the backoff", async () => {
  const { upstreams, opens } = pool([account("broken", "tests/fixtures/no_such_fixture.ts")]);
  try {
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => upstreams.get("broken", "modern")));
    assert.ok(outcomes.every((outcome) => outcome.status === "rejected"));
    const reasons = new Set(
      outcomes.map((outcome) => outcome.status === "rejected" && String(outcome.reason)),
    );
    assert.equal(reasons.size, 1, "every caller gets the same failure");
    assert.match([...reasons][0] as string, /account "broken": could not connect/);
    assert.deepEqual(opens, ["broken"]);
    assert.equal(upstreams.state("broken").state, "failed");
    // One failed start is one failure, however its process ended: the next call tries again at
    // once (lifecycle.ts), as a fixed command or secret should work without waiting.
    await assert.rejects(upstreams.get("broken", "modern"), /could not connect/);
    assert.deepEqual(opens, ["broken", "broken"]);
    // A second failure in a row backs off before the next attempt; meanwhile calls are told so.
    await assert.rejects(upstreams.get("broken", "modern"), /its upstream is restarting, retry in 1 s/);
    assert.deepEqual(opens, ["broken", "broken"]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await assert.rejects(upstreams.get("broken", "modern"), /could not connect/);
    assert.deepEqual(opens, ["broken", "broken", "broken"]);
  } finally {
    await upstreams.closeAll();
  }
});

Deno.test("a remembered verdict that no longer holds is forgotten and the upstream probed again", async () => {
  const legacyOnly = account("moved", "tests/fixtures/account_upstream.ts", { FIXTURE_ERA: "legacy" });
  const memory = new InMemoryRevisions();
  // Remembered from an earlier version of this upstream that spoke only 2026-07-28.
  memory.set(legacyOnly, {
    legacy: false,
    modern: {
      supportedVersions: ["2026-07-28"],
      capabilities: {},
      serverInfo: { name: "old", version: "1" },
    },
  } as never);
  const { upstreams, lines } = pool([legacyOnly], memory);
  try {
    const connection = await upstreams.get("moved", "legacy");
    assert.equal(connection.era, "legacy");
    assert.ok(
      lines.some((line) =>
        /\[moved\] its remembered protocol revisions no longer work; probing again/.test(line)
      ),
    );
    assert.deepEqual(
      memory.get(legacyOnly),
      { legacy: true },
      "what 2026 needs is learnt when a 2026 client comes",
    );
  } finally {
    await upstreams.closeAll();
  }
});
