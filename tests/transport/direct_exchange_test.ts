/**
 * 2026-07-28 HTTP exchanges through the SDK's own `createMcpHandler` and real SDK servers, with and
 * without `directExchanges`: the same status, headers and bytes for results, errors, ladder
 * rejections, notifications and mid-call progress (SSE), while requests no longer reach the
 * `Protocol`'s sorting and results no longer reach the SDK transport's `send`. The SDK functions
 * mirrored are pinned by their source's SHA-256, so a new SDK fails here instead of being mirrored
 * silently.
 */
import assert from "node:assert/strict";
import {
  createMcpHandler,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  PerRequestHTTPServerTransport,
  Server,
  type Transport,
} from "@modelcontextprotocol/server";
import { directExchanges, isExchange, isResultResponse } from "../../lib/transport/direct_exchange.ts";
import { StatelessServers } from "../../lib/transport/stateless_servers.ts";
import { sourceDigest } from "../sdk_source.ts";

const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "t", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

/** Request bodies (the envelope is added), with the tool name for `Mcp-Name` where there is one. */
const BODIES: Record<string, unknown>[] = [
  { id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "hi" } } },
  { id: "two", method: "tools/call", params: { name: "fails", arguments: {} } },
  { id: 3, method: "tools/call", params: { name: "progress", arguments: {}, _meta: { progressToken: 7 } } },
  { id: 4, method: "tools/list", params: {} },
  { id: 5, method: "ping", params: {} },
  { id: 6, method: "no/such/method", params: {} },
  { id: 7, method: "server/discover", params: {} },
  { id: 8, method: "resources/read", params: { uri: "x:/nothing" } },
  { method: "notifications/cancelled", params: { requestId: 99 } },
];

function serverFor(counts: { sorted: number }): Server {
  const server = new Server({ name: "t", version: "1" }, { capabilities: { tools: {} } });
  server.setRequestHandler("tools/list", () => ({ tools: [] }));
  server.setRequestHandler("tools/call", async (request, ctx) => {
    const name = request.params.name;
    if (name === "fails") throw new Error("it failed");
    if (name === "progress") {
      await ctx.mcpReq.notify({
        method: "notifications/progress",
        params: { progressToken: 7, progress: 1, total: 2 },
      });
    }
    return { content: [{ type: "text", text: `called ${name}` }] };
  });
  // Counts what reaches the Protocol's own handler (which sorts by zod schemas).
  const connect = server.connect.bind(server);
  server.connect = async (transport: Transport) => {
    await connect(transport);
    const sort = transport.onmessage;
    transport.onmessage = (message, extra) => {
      counts.sorted++;
      sort?.(message, extra);
    };
  };
  return server;
}

/** Posts `BODIES` to a handler; what came back, byte for byte, and how often the SDK sorted. */
async function exchange(
  factory: "sdk" | "direct" | "pooled",
): Promise<{ answers: string[]; sorted: number; sdkSends: string[] }> {
  const counts = { sorted: 0 };
  const pool = new StatelessServers(() => ({ server: serverFor(counts), running: () => 0 }));
  const handler = createMcpHandler(
    factory === "pooled" ? pool.take : () => {
      const server = serverFor(counts);
      if (factory === "direct") directExchanges(server);
      return server;
    },
    { legacy: "reject", onerror: () => {} },
  );
  // Which messages reach the SDK transport's own `send`.
  const sdkSends: string[] = [];
  const prototype = PerRequestHTTPServerTransport.prototype;
  const send = prototype.send;
  prototype.send = function (this: PerRequestHTTPServerTransport, message: JSONRPCMessage, options) {
    sdkSends.push("method" in message ? message.method : "error" in message ? "error" : "result");
    return send.call(this, message, options);
  };
  const answers: string[] = [];
  try {
    for (const body of BODIES) {
      const params = { ...(body.params as Record<string, unknown>) };
      params._meta = { ...ENVELOPE, ...(params._meta as Record<string, unknown> | undefined) };
      const message = { jsonrpc: "2.0", ...body, params };
      const named = params.name ?? params.uri;
      const name: Record<string, string> = typeof named === "string" ? { "mcp-name": named } : {};
      const response = await handler.fetch(
        new Request("http://127.0.0.1/mcp", {
          method: "POST",
          headers: {
            accept: "application/json, text/event-stream",
            "content-type": "application/json",
            "mcp-protocol-version": "2026-07-28",
            "mcp-method": String(body.method),
            ...name,
          },
          body: JSON.stringify(message),
        }),
        { parsedBody: message },
      );
      answers.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
    }
  } finally {
    prototype.send = send;
    await handler.close();
  }
  return { answers, sorted: counts.sorted, sdkSends };
}

Deno.test("2026 HTTP exchanges answer byte for byte alike with direct exchanges, without the SDK's re-sorting", async () => {
  const viaSdk = await exchange("sdk");
  const viaDirect = await exchange("direct");
  assert.deepEqual(viaDirect.answers, viaSdk.answers);
  assert.match(viaSdk.answers[0], /^200 .*"called echo"/);
  assert.match(viaSdk.answers[2], /^200 .*text\/event-stream.*notifications\/progress.*"called progress"/s);
  assert.match(viaSdk.answers[5], /^404 .*-32601/);
  assert.match(viaSdk.answers[7], /^[24]0\d .*"id":8/);
  assert.match(viaSdk.answers[8], /^202 /);
  // Through the SDK: every message sorted, every answer through its send.
  assert.equal(viaSdk.sorted, BODIES.length);
  assert.deepEqual(viaSdk.sdkSends.filter((kind) => kind === "result").length, 4);
  // Direct: only the notification is sorted, and only what is no result reaches the SDK's send.
  assert.equal(viaDirect.sorted, 1);
  assert.deepEqual(viaDirect.sdkSends, viaSdk.sdkSends.filter((kind) => kind !== "result"));
});

Deno.test("the broker's pooled stateless servers take the direct exchanges", async () => {
  const pooled = await exchange("pooled");
  assert.deepEqual(pooled.answers, (await exchange("sdk")).answers);
  assert.equal(pooled.sorted, 1);
});

Deno.test("isResultResponse accepts only what the SDK's result response schema accepts", () => {
  const samples: unknown[] = [
    { jsonrpc: "2.0", id: 1, result: {} },
    { jsonrpc: "2.0", id: "a", result: { content: [], _meta: { x: 1 } } },
    { jsonrpc: "2.0", id: 1, result: { _meta: null } },
    { jsonrpc: "2.0", id: 1, result: { _meta: [] } },
    { jsonrpc: "2.0", id: 1, result: [] },
    { jsonrpc: "2.0", id: 1, result: null },
    { jsonrpc: "2.0", id: 1.5, result: {} },
    { jsonrpc: "2.0", id: null, result: {} },
    { jsonrpc: "2.0", result: {} },
    { jsonrpc: "1.0", id: 1, result: {} },
    { jsonrpc: "2.0", id: 1, result: {}, extra: true },
    { jsonrpc: "2.0", id: 1, error: { code: 1, message: "m" } },
    { jsonrpc: "2.0", id: 1, method: "ping" },
    { jsonrpc: "2.0", method: "notifications/progress", params: {} },
  ];
  for (const sample of samples) {
    const message = sample as JSONRPCMessage;
    if (isResultResponse(message)) assert.ok(isJSONRPCResultResponse(message), JSON.stringify(sample));
  }
  assert.deepEqual(samples.map((sample) => isResultResponse(sample as JSONRPCMessage)), [
    true,
    true,
    ...Array(12).fill(false),
  ]);
});

Deno.test("the SDK's per-request transport still has the members direct exchanges rely on", () => {
  const transport = new PerRequestHTTPServerTransport({
    classification: { era: "modern", revision: "2026-07-28" },
  });
  assert.ok(isExchange(transport), "PerRequestHTTPServerTransport changed: direct exchanges fall back");
  const fields = transport as unknown as Record<string, unknown>;
  fields.finalizeStream = undefined;
  assert.ok(!isExchange(transport));
});

Deno.test("a server without the SDK's request dispatch keeps its own connect", () => {
  const server = new Server({ name: "t", version: "1" }, { capabilities: {} });
  const connect = server.connect;
  (server as unknown as Record<string, unknown>)._onrequest = undefined;
  directExchanges(server);
  assert.equal(server.connect, connect);
});

Deno.test("the SDK functions direct exchanges mirror are unchanged (SDK 2.4.0)", async () => {
  const transport = PerRequestHTTPServerTransport.prototype as unknown as Record<string, unknown>;
  // sendResult mirrors send's branch for a result response; the direct request dispatch relies on
  // handleMessage setting _requestId only for a message the request schema accepted.
  assert.equal(
    await sourceDigest(transport.send),
    "d052316493f0ecc351afd806e303a67d1175967b5a2a6b897d0351c7a2e43505",
    "PerRequestHTTPServerTransport.send changed: compare it with sendResult in lib/transport/direct_exchange.ts",
  );
  assert.equal(
    await sourceDigest(transport.handleMessage),
    "93f8f0729441d874a04eaf1e5b31990439c6327ff4ded847d29f7a8c197ef7fa",
    "PerRequestHTTPServerTransport.handleMessage changed: compare it with directExchange in lib/transport/direct_exchange.ts",
  );
});
