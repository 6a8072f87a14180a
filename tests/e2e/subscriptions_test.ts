/**
 * Resource subscriptions under concurrency, through the broker: sessions subscribing to one
 * resource at the same moment all hear its updates, and a 2026 upstream's listen stream is
 * swapped one at a time (the upstream never holds a stream the broker forgot).
 */
import assert from "node:assert/strict";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { callText, eventually, startHttpBroker, writeConfig } from "./harness.ts";
import { connectMatrixClient, type MatrixClient } from "./matrix/features.ts";
import { accountOf, startHttpFixture } from "./matrix/upstreams.ts";
import type { FixtureKind } from "../fixtures/matrix_server.ts";

async function withBroker(
  kind: FixtureKind,
  test: (connect: (revision: "2025-11-25" | "2026-07-28") => Promise<MatrixClient>) => Promise<void>,
) {
  const fixture = await startHttpFixture(kind);
  const broker = await startHttpBroker(
    await writeConfig({ accounts: [accountOf({ kind, transport: "http", id: kind, url: fixture.url })] }),
  );
  const clients: MatrixClient[] = [];
  try {
    await test(async (revision) => {
      const client = await connectMatrixClient(
        new StreamableHTTPClientTransport(new URL(`${broker.origin}/mcp`)),
        revision,
      );
      clients.push(client);
      return client;
    });
  } finally {
    await Promise.allSettled(clients.map((client) => client.close()));
    await broker.stop();
    await fixture.stop();
  }
}

const heardUpdate = (client: MatrixClient, uri: string) =>
  client.heard.some((note) => note.method === "notifications/resources/updated" && note.params?.uri === uri);

for (const kind of ["legacy", "modern"] as const) {
  Deno.test(`[${kind === "legacy" ? "2025" : "2026"} upstream] three sessions subscribing at the same moment all hear the update`, async () => {
    await withBroker(kind, async (connect) => {
      const clients = await Promise.all([
        connect("2025-11-25"),
        connect("2025-11-25"),
        connect("2025-11-25"),
      ]);
      await Promise.all(
        clients.map((client) => client.client.subscribeResource({ uri: "matrix://watched" })),
      );
      await callText(clients[0].client, "touch");
      assert.ok(await eventually(() => clients.every((client) => heardUpdate(client, "matrix://watched"))));
      // One leaves: the others still hear.
      await clients[0].client.unsubscribeResource({ uri: "matrix://watched" });
      const before = clients[1].heard.length;
      await callText(clients[2].client, "touch");
      assert.ok(
        await eventually(() =>
          clients[1].heard.slice(before).some((n) => n.method === "notifications/resources/updated")
        ),
      );
    });
  });
}

Deno.test("[2026 upstream] concurrent subscriptions swap the upstream's listen stream one at a time: none leaks", async () => {
  await withBroker("modern", async (connect) => {
    const clients = await Promise.all(["a", "b", "c", "d", "e"].map(() => connect("2025-11-25")));
    await Promise.all(clients.map((client, i) => client.client.subscribeResource({ uri: `matrix://r${i}` })));
    assert.equal((await callText(clients[0].client, "listeners")).text, "listeners: 1");
    await Promise.all(
      clients.map((client, i) => client.client.unsubscribeResource({ uri: `matrix://r${i}` })),
    );
    assert.equal(
      (await callText(clients[0].client, "listeners")).text,
      "listeners: 1",
      "the list-change stream stays",
    );
    // And 2026 clients naming resources on their own listen streams reach the upstream the same way.
    const modern = await connect("2026-07-28");
    const subscription = await modern.client.listen({ resourceSubscriptions: ["matrix://watched"] });
    await callText(modern.client, "touch");
    assert.ok(await eventually(() => heardUpdate(modern, "matrix://watched")));
    await subscription.close();
  });
});
