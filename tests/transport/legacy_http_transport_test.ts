/**
 * The 2025-11-25 session transport with a real SDK server behind it (no HTTP listener: requests
 * are handed to it as the Hono route does): JSON for a quick call, SSE for a long quiet one.
 */
import assert from "node:assert/strict";
import { Server } from "@modelcontextprotocol/server";
import { BoundedEventStore } from "../../lib/transport/event_store.ts";
import { LegacyHttpTransport } from "../../lib/transport/legacy_http_transport.ts";

const ACCEPT = "application/json, text/event-stream";

async function connected(keepAliveMs: number) {
  const server = new Server({ name: "t", version: "1" }, { capabilities: { tools: {} } });
  server.setRequestHandler("tools/call", async (request, ctx) => {
    if (request.params.name === "slow") await new Promise((resolve) => setTimeout(resolve, keepAliveMs * 4));
    if (request.params.name === "polled") {
      // SEP-1699 polling: the stream ends mid-call and the answer comes while none is open.
      ctx.http?.closeSSE?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { content: [{ type: "text", text: `done ${request.params.name}` }] };
  });
  const transport = new LegacyHttpTransport({
    onsessioninitialized: () => {},
    eventStore: new BoundedEventStore(),
    retryMs: 1000,
    keepAliveMs,
  });
  await server.connect(transport);
  const post = (body: Record<string, unknown>) =>
    transport.handleRequest(
      new Request("http://127.0.0.1/mcp", {
        method: "POST",
        headers: {
          accept: ACCEPT,
          "content-type": "application/json",
          ...(transport.sessionId
            ? { "mcp-session-id": transport.sessionId, "mcp-protocol-version": "2025-11-25" }
            : {}),
        },
        body: JSON.stringify(body),
      }),
      { parsedBody: body },
    );
  const init = await post({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  });
  assert.equal(init.status, 200);
  await init.body?.cancel();
  const call = (id: number, name: string) =>
    post({ jsonrpc: "2.0", id, method: "tools/call", params: { name } });
  const resume = (lastEventId: string) =>
    transport.handleRequest(
      new Request("http://127.0.0.1/mcp", {
        method: "GET",
        headers: {
          accept: "text/event-stream",
          "mcp-session-id": transport.sessionId ?? "",
          "mcp-protocol-version": "2025-11-25",
          "last-event-id": lastEventId,
        },
      }),
    );
  return { server, call, resume };
}

Deno.test("a quick call is one JSON body; a call quiet past the keep-alive interval turns into SSE with keep-alives", async () => {
  const { server, call } = await connected(50);
  try {
    const quick = await call(2, "quick");
    assert.equal(quick.headers.get("content-type"), "application/json");
    assert.equal((await quick.json()).result.content[0].text, "done quick");

    const slow = await call(3, "slow");
    assert.equal(slow.headers.get("content-type"), "text/event-stream");
    const text = await slow.text();
    assert.match(text, /^id: \S+\nretry: /); // the priming event, resumable
    assert.match(text, /: keepalive/);
    const last = text.trim().split("\n").at(-1) ?? "";
    assert.deepEqual(JSON.parse(last.replace(/^data: /, "")), {
      jsonrpc: "2.0",
      id: 3,
      result: { content: [{ type: "text", text: "done slow" }] },
    });
  } finally {
    await server.close();
  }
});

Deno.test("an answer sent while its stream is closed (polling) is kept and replayed when the client resumes", async () => {
  const { server, call, resume } = await connected(5_000);
  try {
    const polled = await call(2, "polled");
    assert.equal(polled.headers.get("content-type"), "text/event-stream");
    const first = await polled.text(); // the priming event only: the stream ended mid-call
    const primingId = /^id: (\S+)$/m.exec(first)?.[1];
    assert.ok(primingId, first);
    assert.doesNotMatch(first, /done polled/);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the answer is sent meanwhile

    const replayed = await resume(primingId);
    assert.equal(replayed.status, 200);
    const text = await replayed.text();
    const data = /^data: (\{.*\})$/m.exec(text)?.[1];
    assert.ok(data, `the answer was not replayed: ${JSON.stringify(text)}`);
    assert.deepEqual(JSON.parse(data), {
      jsonrpc: "2.0",
      id: 2,
      result: { content: [{ type: "text", text: "done polled" }] },
    });
  } finally {
    await server.close();
  }
});
