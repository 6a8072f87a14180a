/**
 * The compatibility matrix: client revision × upstream kind (2025-only, 2026-only, both) ×
 * upstream transport (stdio, Streamable HTTP) × feature. One broker (over HTTP) serves every
 * cell, with the six upstreams as one profile; each cell's outcome is compared with the same
 * client reaching the same upstream directly. A cell either works as directly or is a documented
 * impossibility whose reason the client receives. Set MATRIX_TABLE_OUT to write the table
 * (scripts/matrix_table.ts puts it in the README).
 */
import assert from "node:assert/strict";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { REVISIONS, startHttpBroker, writeConfig } from "./harness.ts";
import {
  connectMatrixClient,
  EXPECTED,
  type Feature,
  FEATURES,
  type MatrixClient,
  runFeature,
} from "./matrix/features.ts";
import { renderMatrix, type Row, type Verdict } from "./matrix/table.ts";
import {
  accountOf,
  directTransport,
  KIND_LABEL,
  KINDS,
  startHttpFixture,
  TRANSPORTS,
  type Upstream,
} from "./matrix/upstreams.ts";
import { IMPOSSIBLE } from "./matrix/impossible.ts";

Deno.test("compatibility matrix: every cell works as directly, or is impossible for a reason the client receives", async () => {
  const fixtures = await Promise.all(KINDS.map((kind) => startHttpFixture(kind)));
  const upstreams: Upstream[] = TRANSPORTS.flatMap((transport) =>
    KINDS.map((kind, i) => ({
      kind,
      transport,
      id: `${kind}_${transport}`,
      ...(transport === "http" ? { url: `${fixtures[i].url}` } : {}),
    }))
  );
  const configPath = await writeConfig({
    accounts: upstreams.map(accountOf),
    profiles: { matrix: upstreams.map((u) => u.id) },
    // The matrix is about protocol features, each tool called by name: every tool is listed
    // (with six accounts the default "auto" would offer tool search instead).
    exposure: "all",
  });
  await Deno.writeTextFile(
    configPath.replace(/config\.json$/, "state.json"),
    JSON.stringify({ globalSelector: { kind: "profile", name: "matrix" } }),
  );
  const broker = await startHttpBroker(configPath);
  const rows: Row[] = [];
  const problems: string[] = [];
  try {
    for (const revision of REVISIONS) {
      const viaBroker = await connectMatrixClient(
        new StreamableHTTPClientTransport(new URL(`${broker.origin}/mcp`)),
        revision,
      );
      try {
        const listed = (await viaBroker.client.listResources()).resources.map((r) => r.uri);
        const listedTools = (await viaBroker.client.listTools()).tools;
        const tools = new Set(listedTools.map((t) => t.name));
        // The six accounts list the same tools: the broker lists each once (folded), and a call
        // names its account in janus_account. Every feature below runs through folded tools.
        const folded = new Set(
          listedTools.filter((t) => t.inputSchema.properties?.janus_account).map((t) => t.name),
        );
        assert.ok(folded.has("region") && folded.has("sample"), `not folded: ${[...tools].join(", ")}`);
        for (const upstream of upstreams) {
          // Resources clash: the first account keeps its URIs, the others' are prefixed with their id.
          const resource = listed.find((uri) => uri.includes(`/${upstream.id}/`)) ?? "matrix://watched";
          const tool = (name: string) =>
            tools.has(`${upstream.id}_${name}`) ? `${upstream.id}_${name}` : name;
          const brokerOutcomes = await runAll(viaBroker, tool, resource, { janus_account: upstream.id });
          const directOutcomes = await runDirect(upstream, revision);
          const cells = {} as Record<Feature, Verdict>;
          for (const feature of FEATURES) {
            const [direct, through] = [directOutcomes[feature], brokerOutcomes[feature]];
            const cell = `${revision} client, ${
              KIND_LABEL[upstream.kind]
            } upstream over ${upstream.transport}, ${feature}`;
            if (through === EXPECTED[feature]) {
              cells[feature] = { kind: direct === EXPECTED[feature] ? "same" : "bridged" };
              continue;
            }
            const documented = IMPOSSIBLE.find((entry) =>
              entry.client === revision && entry.upstream.includes(upstream.kind) &&
              entry.features.includes(feature)
            );
            if (direct === EXPECTED[feature]) {
              problems.push(`${cell}: works directly, not through the broker: ${through}`);
            } else if (!documented) {
              problems.push(`${cell}: undocumented failure: ${through} (directly: ${direct})`);
            } else if (!documented.received.test(through)) {
              problems.push(`${cell}: the client got "${through}", not the documented reason`);
            }
            cells[feature] = { kind: "impossible", reason: documented?.reason ?? through };
          }
          rows.push({
            client: revision,
            upstream: KIND_LABEL[upstream.kind],
            transport: upstream.transport,
            cells,
          });
        }
      } finally {
        await viaBroker.close();
      }
    }
  } finally {
    await broker.stop();
    await Promise.all(fixtures.map((fixture) => fixture.stop()));
  }
  const table = renderMatrix(rows);
  // deno-lint-ignore no-console -- the matrix is printed for the person running the tests
  console.log(`\n${table}\n`);
  const out = Deno.env.get("MATRIX_TABLE_OUT");
  if (out) await Deno.writeTextFile(out, `${table}\n`);
  assert.deepEqual(
    problems,
    [],
    `${problems.join("\n")}\nbroker log:\n${broker.stderr.slice(-40).join("\n")}`,
  );
});

async function runAll(
  client: MatrixClient,
  tool: (name: string) => string,
  resource: string,
  extra: Record<string, unknown> = {},
) {
  const outcomes = {} as Record<Feature, string>;
  for (const feature of FEATURES) {
    outcomes[feature] = await runFeature(client, feature, tool, resource, extra);
  }
  return outcomes;
}

/** The same client revision reaching the upstream without the broker. */
async function runDirect(upstream: Upstream, revision: typeof REVISIONS[number]) {
  let client: MatrixClient;
  try {
    client = await connectMatrixClient(directTransport(upstream), revision);
  } catch (error) {
    const reason = `cannot connect: ${error instanceof Error ? error.message : String(error)}`;
    return Object.fromEntries(FEATURES.map((feature) => [feature, reason])) as Record<Feature, string>;
  }
  try {
    return await runAll(client, (name) => name, "matrix://watched");
  } finally {
    await client.close();
  }
}
