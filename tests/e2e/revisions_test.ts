/**
 * Per-need upstream revisions: an upstream that speaks both revisions is spoken to in each
 * client's own (a second stdio process only when a client of the other revision needs it, said in
 * the log), and what each upstream speaks is remembered across restarts instead of probed again.
 */
import assert from "node:assert/strict";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { callText, startHttpBroker, writeConfig } from "./harness.ts";
import { connectMatrixClient } from "./matrix/features.ts";
import { accountOf, startHttpFixture } from "./matrix/upstreams.ts";

const connect = (origin: string, revision: "2025-11-25" | "2026-07-28") =>
  connectMatrixClient(new StreamableHTTPClientTransport(new URL(`${origin}/mcp`)), revision);

Deno.test("a dual-revision stdio upstream serves each client in its revision, remembered across a restart", async () => {
  const configPath = await writeConfig({
    accounts: [accountOf({ kind: "dual", transport: "stdio", id: "dual" })],
  });
  const memory = configPath.replace(/config\.json$/, "upstream-revisions.json");
  let broker = await startHttpBroker(configPath);
  try {
    const old = await connect(broker.origin, "2025-11-25");
    assert.equal((await callText(old.client, "era")).text, "era: 2025-11-25");
    assert.ok(!broker.stderr.some((line) => /second process/.test(line)), "one client, one process");
    const modern = await connect(broker.origin, "2026-07-28");
    assert.equal((await callText(modern.client, "era")).text, "era: 2026-07-28");
    assert.equal((await callText(old.client, "era")).text, "era: 2025-11-25", "each keeps its own");
    assert.ok(
      broker.stderr.some((line) =>
        /\[dual\] starting a second process at 2026-07-28 for a 2026-07-28 client/.test(line)
      ),
    );
    await old.close();
    await modern.close();
  } finally {
    await broker.stop();
  }
  const remembered = JSON.parse(await Deno.readTextFile(memory));
  const verdict = Object.values(remembered)[0] as {
    legacy: boolean;
    modern: { supportedVersions: string[] };
  };
  assert.equal(verdict.legacy, true);
  assert.ok(verdict.modern.supportedVersions.includes("2026-07-28"));

  // After a restart the verdict is adopted: no attempt to learn what the upstream speaks.
  broker = await startHttpBroker(configPath);
  try {
    const modern = await connect(broker.origin, "2026-07-28");
    const old = await connect(broker.origin, "2025-11-25");
    assert.equal((await callText(modern.client, "era")).text, "era: 2026-07-28");
    assert.equal((await callText(old.client, "era")).text, "era: 2025-11-25");
    assert.ok(
      broker.stderr.some((line) =>
        /starting a second process at 2025-11-25 for a 2025-11-25 client \(the upstream speaks both\)/.test(
          line,
        )
      ),
      broker.stderr.join("\n"),
    );
    await old.close();
    await modern.close();
  } finally {
    await broker.stop();
  }
});

Deno.test("a 2026-only upstream is tried once at 2025, then serves 2025 clients over 2026 (and says so)", async () => {
  const configPath = await writeConfig({
    accounts: [accountOf({ kind: "modern", transport: "stdio", id: "new" })],
  });
  const broker = await startHttpBroker(configPath);
  try {
    const old = await connect(broker.origin, "2025-11-25");
    assert.equal((await callText(old.client, "era")).text, "era: 2026-07-28");
    assert.equal((await callText(old.client, "sample")).text, "sampled: banana");
    assert.ok(
      broker.stderr.some((line) =>
        /\[new\] its upstream does not speak 2025-11-25; 2025-11-25 clients are served over 2026-07-28/.test(
          line,
        )
      ),
    );
    await old.close();
  } finally {
    await broker.stop();
  }
});

for (const transport of ["stdio", "http"] as const) {
  Deno.test(`[${transport} upstream] one invalid tool does not hide an account: the rest are listed, the bad one logged once`, async () => {
    const fixture = transport === "http"
      ? await startHttpFixture("dual", { MATRIX_BAD_TOOL: "1" })
      : undefined;
    const configPath = await writeConfig({
      accounts: [{
        ...accountOf({ kind: "dual", transport, id: "odd", url: fixture?.url }),
        ...(transport === "stdio" ? { env: { MATRIX_BAD_TOOL: "1" } } : {}),
      }],
    });
    const broker = await startHttpBroker(configPath);
    try {
      for (const revision of ["2025-11-25", "2026-07-28"] as const) {
        const client = await connect(broker.origin, revision);
        const names = (await client.client.listTools()).tools.map((tool) => tool.name);
        assert.ok(
          names.includes("sample") && names.includes("region"),
          `${names.join(",")}\n${broker.stderr.join("\n")}`,
        );
        assert.equal((await callText(client.client, "era")).text, `era: ${revision}`);
        await client.close();
      }
      const logged = broker.stderr.filter((line) => /dropped 1 invalid item of its tools list/.test(line));
      assert.equal(logged.length, 1, broker.stderr.join("\n"));
      assert.match(logged[0], /\[odd\] .*#1: name: /);
    } finally {
      await broker.stop();
      await fixture?.stop();
    }
  });
}
