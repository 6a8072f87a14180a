/**
 * The 2025 HTTP transport hands on only messages the SDK schema accepted, so its requests go to
 * the server's request dispatch directly (`requestsDirectly`): the same answers as through the
 * `Protocol`'s sorting, which no request reaches any more.
 */
import assert from "node:assert/strict";
import { type JSONRPCMessage, Server } from "@modelcontextprotocol/server";
import { BoundedEventStore } from "../../lib/transport/event_store.ts";
import { LegacyHttpTransport } from "../../lib/transport/legacy_http_transport.ts";
import { requestsDirectly } from "../../lib/transport/direct_dispatch.ts";

const ACCEPT = "application/json, text/event-stream";

const BODIES: Record<string, unknown>[] = [
  {
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  },
  { method: "notifications/initialized" },
  { id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "hi" } } },
  { id: 3, method: "tools/call", params: { arguments: {} } }, // no name: the SDK's "invalid params"
  { id: 4, method: "no/such/method" },
  { id: 5, method: "ping" },
  { id: 6, method: "tools/call", params: { name: "fails" } },
];

/** Posts `BODIES` to a real SDK server behind the transport; its answers, and what was sorted. */
async function exchange(direct: boolean): Promise<{ answers: unknown[]; sorted: string[] }> {
  const server = new Server({ name: "t", version: "1" }, { capabilities: { tools: {} } });
  server.setRequestHandler("tools/call", (request) => {
    if (request.params.name === "fails") throw new Error("it failed");
    return { content: [{ type: "text", text: `called ${request.params.name}` }] };
  });
  const transport = new LegacyHttpTransport({
    onsessioninitialized: () => {},
    eventStore: new BoundedEventStore(),
    retryMs: 1000,
  });
  await server.connect(transport);
  // Counts what reaches the Protocol's own handler (which sorts by zod schemas).
  const sorted: string[] = [];
  const protocol = transport.onmessage;
  assert.ok(protocol);
  transport.onmessage = (message: JSONRPCMessage, extra) => {
    sorted.push("method" in message ? message.method : "response");
    protocol(message, extra);
  };
  if (direct) requestsDirectly(server, transport);
  const answers: unknown[] = [];
  try {
    for (const body of BODIES) {
      const message = { jsonrpc: "2.0", ...body } as JSONRPCMessage;
      const response = await transport.handleRequest(
        new Request("http://127.0.0.1/mcp", {
          method: "POST",
          headers: {
            accept: ACCEPT,
            "content-type": "application/json",
            ...(transport.sessionId
              ? { "mcp-session-id": transport.sessionId, "mcp-protocol-version": "2025-11-25" }
              : {}),
          },
          body: JSON.stringify(message),
        }),
        { message, parsedBody: message },
      );
      answers.push(response.status === 202 ? 202 : await response.json());
    }
  } finally {
    await server.close();
  }
  return { answers, sorted };
}

Deno.test("a 2025 HTTP session's requests reach the server's dispatch directly, with the same answers", async () => {
  const viaProtocol = await exchange(false);
  const viaDirect = await exchange(true);
  assert.deepEqual(viaDirect.answers, viaProtocol.answers);
  const errors = viaDirect.answers.map((answer) => (answer as { error?: { code: number } }).error?.code);
  assert.deepEqual(errors, [undefined, undefined, undefined, -32602, -32601, undefined, -32603]);
  assert.deepEqual(viaProtocol.sorted.length, BODIES.length);
  // Only the notification was sorted by the Protocol.
  assert.deepEqual(viaDirect.sorted, ["notifications/initialized"]);
});
