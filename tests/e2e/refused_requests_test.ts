/**
 * Requests the SDK refuses get the same JSON-RPC error from the broker (stdio, and HTTP 2025) as
 * from a plain SDK server: the broker hands requests to its server directly and, over stdio,
 * sends its responses straight to the wire (lib/transport/direct_dispatch.ts); neither may change
 * what a client sees.
 */
import assert from "node:assert/strict";
import { Server } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { StdioWire } from "../../lib/transport/stdio_wire.ts";
import { RejectLog } from "../../lib/wire/mod.ts";
import { fixtureAccount, INITIALIZE, post, REVISIONS, startHttpBroker, writeConfig } from "./harness.ts";
import { type Frame, RawStdioBroker } from "./raw_stdio.ts";

const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

/** tools/call params the SDK's schema refuses, by request id. */
const REFUSED: Record<string, Record<string, unknown>> = {
  "no-name": { arguments: {} },
  "name-not-text": { name: 5 },
  "arguments-not-object": { name: "whoami", arguments: "x" },
};

/** The frames of one session: the opening exchange (2025), then the refused calls. */
function frames(revision: string): Frame[] {
  const modern = revision === "2026-07-28";
  const opening: Frame[] = modern ? [] : [
    {
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: { protocolVersion: revision, capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    },
    { jsonrpc: "2.0", method: "notifications/initialized" },
  ];
  // A 2026 session is opened by its first request: a valid one, so the refused ones come after.
  const first: Frame = {
    jsonrpc: "2.0",
    id: "list",
    method: "tools/list",
    params: modern ? { _meta: ENVELOPE } : {},
  };
  const refused = Object.entries(REFUSED).map(([id, params]): Frame => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: modern ? { ...params, _meta: ENVELOPE } : params,
  }));
  return [...opening, first, ...refused];
}

/** What a plain SDK server, served by serveStdio, answers to `messages`, by id. */
async function plainServer(messages: Frame[]): Promise<Map<unknown, Frame>> {
  const pending = messages.map((message) => new TextEncoder().encode(JSON.stringify(message) + "\n"));
  let text = "";
  const wire = new StdioWire(1 << 20, new RejectLog(() => {}), {
    stdin: {
      async read(buffer) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const next = pending.shift();
        if (next === undefined) return null;
        buffer.set(next);
        return next.length;
      },
    },
    stdout: {
      writeSync(bytes: Uint8Array) {
        text += new TextDecoder().decode(bytes);
        return bytes.length;
      },
    },
  });
  const handle = serveStdio(() => {
    const server = new Server({ name: "plain", version: "1" }, { capabilities: { tools: {} } });
    server.setRequestHandler("tools/list", () => ({ tools: [] }));
    server.setRequestHandler("tools/call", () => ({ content: [] }));
    return server;
  }, { transport: wire });
  await wire.ended;
  await new Promise((resolve) => setTimeout(resolve, 50));
  await handle.close();
  const out = text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Frame);
  return new Map(out.map((frame) => [frame.id, frame]));
}

for (const revision of REVISIONS) {
  Deno.test(`${revision}: tools/call params the SDK refuses get the SDK's own error through the broker`, async () => {
    const messages = frames(revision);
    const expected = await plainServer(messages);
    const broker = RawStdioBroker.start(await writeConfig({ accounts: [fixtureAccount("one")] }));
    try {
      for (const message of messages) await broker.send(message);
      for (const id of Object.keys(REFUSED)) {
        const answer = await broker.response(id);
        const reference = expected.get(id);
        assert.ok(reference?.error, `the plain server refused ${id}`);
        assert.deepEqual(answer, reference, id);
        assert.equal((answer.error as { code: number }).code, -32602);
      }
    } finally {
      await broker.end();
    }
  });
}

Deno.test("2025-11-25 over HTTP: tools/call params the SDK refuses get the SDK's own error through the broker", async () => {
  const expected = await plainServer(frames("2025-11-25"));
  const broker = await startHttpBroker(await writeConfig({ accounts: [fixtureAccount("one")] }));
  try {
    const init = await post(broker.origin, INITIALIZE);
    const session = init.headers.get("mcp-session-id") ?? "";
    await init.body?.cancel();
    const headers = { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" };
    const initialized = await post(
      broker.origin,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      headers,
    );
    await initialized.body?.cancel();
    for (const [id, params] of Object.entries(REFUSED)) {
      const response = await post(
        broker.origin,
        { jsonrpc: "2.0", id, method: "tools/call", params },
        headers,
      );
      const answer: Frame = await response.json();
      assert.deepEqual(answer, expected.get(id), id);
      assert.equal((answer.error as { code: number }).code, -32602);
    }
  } finally {
    await broker.stop();
  }
});
