import assert from "node:assert/strict";
import { type JSONRPCMessage, Server } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { DirectDispatch } from "../../lib/transport/direct_dispatch.ts";
import { StdioWire, type WireStreams } from "../../lib/transport/stdio_wire.ts";
import { RejectLog } from "../../lib/wire/mod.ts";
import { sourceDigest } from "../sdk_source.ts";

const frame = (message: Record<string, unknown>) => JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n";

const INITIALIZE = frame({
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "test", version: "1" } },
});
const INITIALIZED = frame({ method: "notifications/initialized" });
const call = (id: number, params: Record<string, unknown>) => frame({ id, method: "tools/call", params });

/** A stdin handing out one chunk per read, each after a turn of the event loop, then end of file. */
function stdinOf(chunks: string[]): WireStreams["stdin"] {
  const pending = chunks.map((chunk) => new TextEncoder().encode(chunk));
  return {
    async read(buffer) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const next = pending.shift();
      if (next === undefined) return null;
      buffer.set(next);
      return next.length;
    },
  };
}

/** Serves `chunks` to a real SDK server through serveStdio; returns what it wrote and what the entry saw. */
async function serve(
  chunks: string[],
  direct: boolean,
): Promise<{ out: Record<string, unknown>[]; entered: number; channelSorted: number }> {
  let text = "";
  const decoder = new TextDecoder();
  const stdout = {
    writeSync(bytes: Uint8Array) {
      text += decoder.decode(bytes);
      return bytes.length;
    },
  };
  const wire = new StdioWire(1 << 20, new RejectLog(() => {}), { stdin: stdinOf(chunks), stdout });
  const dispatch = new DirectDispatch();
  let channelSorted = 0;
  const handle = serveStdio(({ era }) => {
    const server = new Server({ name: "direct-test", version: "1" }, { capabilities: { tools: {} } });
    // Counts what the instance sends through the channel's own `send` (which sorts by zod schemas).
    const connect = server.connect.bind(server);
    server.connect = async (channel) => {
      await connect(channel);
      const send = channel.send.bind(channel);
      channel.send = (message, options) => {
        channelSorted++;
        return send(message, options);
      };
    };
    server.setRequestHandler("tools/call", async (request, ctx) => {
      if (request.params.name === "slow") {
        await new Promise((resolve) => ctx.mcpReq.signal.addEventListener("abort", resolve));
        throw new Error("cancelled");
      }
      const progressToken = request.params._meta?.progressToken;
      if (progressToken !== undefined) {
        await ctx.mcpReq.notify({ method: "notifications/progress", params: { progressToken, progress: 1 } });
      }
      return { content: [{ type: "text", text: `called ${request.params.name}` }] };
    });
    if (direct) dispatch.adopt(server, era);
    return server;
  }, { transport: wire });
  let entered = 0;
  const entry = wire.onmessage;
  assert.ok(entry);
  const counted = (message: JSONRPCMessage) => {
    entered++;
    entry(message);
  };
  wire.onmessage = direct ? dispatch.wrap(counted) : counted;
  await wire.ended;
  await handle.close();
  const out = text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
  return { out, entered, channelSorted };
}

Deno.test("a pinned 2025 session's messages reach its server directly, with the same answers as through serveStdio", async () => {
  const chunks = [
    INITIALIZE,
    INITIALIZED,
    call(2, { name: "echo", arguments: { text: "hi" }, _meta: { progressToken: "p" } }),
    call(3, { arguments: {} }), // no name: the SDK's own "invalid params" answer
    frame({ id: 4, method: "no/such/method" }),
    call(5, { name: "slow" }) + frame({ method: "notifications/cancelled", params: { requestId: 5 } }),
    frame({ id: 6, method: "ping" }),
    frame({ id: 7, result: {} }), // a response nobody asked for: reported and dropped by both
  ];
  const viaEntry = await serve(chunks, false);
  const viaDirect = await serve(chunks, true);
  assert.deepEqual(viaDirect.out, viaEntry.out);
  assert.deepEqual(viaDirect.out.map((message) => message.id ?? message.method), [
    1,
    "notifications/progress",
    2,
    3,
    4,
    6,
  ]);
  // Only the opening message went through serveStdio's entry; everything after it, directly.
  assert.equal(viaEntry.entered, 9);
  assert.equal(viaDirect.entered, 1);
  // Of what the server sent, only the notification went through the channel's sorting send.
  assert.equal(viaEntry.channelSorted, 6);
  assert.equal(viaDirect.channelSorted, 1);
});

Deno.test("messages that arrive before the opening one is delivered go through the entry, in order", async () => {
  // One chunk: the later frames arrive while serveStdio still connects the instance.
  const chunks = [INITIALIZE + INITIALIZED + call(2, { name: "first" }) + call(3, { name: "second" })];
  const { out, entered } = await serve(chunks, true);
  assert.deepEqual(out.map((message) => message.id).filter((id) => id !== undefined), [
    1,
    2,
    3,
  ]);
  assert.equal(entered, 4);
});

Deno.test("the SDK server still has the request dispatch direct delivery calls (else the entry is used)", () => {
  const server = new Server({ name: "direct-test", version: "1" }, { capabilities: {} });
  assert.equal(typeof (server as unknown as { _onrequest?: unknown })._onrequest, "function");
});

Deno.test("serveStdio's channel still has what sending responses directly uses", async () => {
  let channel: Record<string, unknown> | undefined;
  const wire = new StdioWire(1 << 20, new RejectLog(() => {}), {
    stdin: stdinOf([call(1, { name: "opening", _meta: ENVELOPE })]),
    stdout: { writeSync: (bytes: Uint8Array) => bytes.length },
  });
  const handle = serveStdio(() => {
    const server = new Server({ name: "direct-test", version: "1" }, { capabilities: { tools: {} } });
    server.setRequestHandler("tools/call", () => ({ content: [] }));
    const connect = server.connect.bind(server);
    server.connect = async (connected) => {
      channel = connected as unknown as Record<string, unknown>;
      await connect(connected);
    };
    return server;
  }, { transport: wire });
  await wire.ended;
  try {
    assert.ok(channel);
    assert.equal(channel._wire, wire);
    assert.equal(typeof channel._settle, "function");
    assert.equal(typeof channel._closed, "boolean");
    // A 2026 channel rewrites notifications onto listen streams; a response it leaves alone.
    const intercept = channel._outboundIntercept as (message: unknown) => unknown;
    assert.equal(typeof intercept, "function");
    assert.equal(intercept({ jsonrpc: "2.0", id: 1, result: {} }), undefined);
    assert.equal(intercept({ jsonrpc: "2.0", id: 1, error: { code: -1, message: "x" } }), undefined);
    // sendResponsesDirectly repeats what the channel's send does with a response: a changed body
    // (a new SDK) may do more, so this digest of its source fails and the copy must be checked.
    assert.equal(
      await sourceDigest((Object.getPrototypeOf(channel) as { send: () => void }).send),
      "54ea2312457fa64f670a3ea65a991c10a5555a45e295e4e99b0318ddba80665d",
      "the stdio channel's send changed: compare it with sendResponsesDirectly in lib/transport/direct_dispatch.ts",
    );
  } finally {
    await handle.close();
  }
});

/** A 2026-07-28 request's `_meta` envelope. */
const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "test", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

Deno.test("a pinned 2026 session's requests reach its server directly; listen and cancel still go through serveStdio", async () => {
  const chunks = [
    call(1, { name: "opening", _meta: ENVELOPE }),
    call(2, { name: "echo", arguments: { text: "hi" }, _meta: { ...ENVELOPE, progressToken: "p" } }),
    call(3, { arguments: {}, _meta: ENVELOPE }),
    frame({ id: 4, method: "no/such/method", params: { _meta: ENVELOPE } }),
    frame({
      id: 8,
      method: "subscriptions/listen",
      params: { notifications: { toolsListChanged: true }, _meta: ENVELOPE },
    }),
    call(5, { name: "slow", _meta: ENVELOPE }) +
    frame({ method: "notifications/cancelled", params: { requestId: 5 } }),
  ];
  const viaEntry = await serve(chunks, false);
  const viaDirect = await serve(chunks, true);
  assert.deepEqual(viaDirect.out, viaEntry.out);
  const ids = viaDirect.out.map((message) => message.id).filter((id) => id !== undefined);
  assert.deepEqual(ids.filter((id) => id !== 8), [1, 2, 3, 4]);
  // The opening request, the listen and the cancellation went through the entry; the rest directly.
  assert.equal(viaEntry.entered, 7);
  assert.equal(viaDirect.entered, 3);
  assert.equal(viaDirect.channelSorted, 1); // the progress notification (listen-stream rewriting)
});

Deno.test("a 2026 connection opened by a listen stream gets direct delivery after its first call", async () => {
  const listen = frame({
    id: 9,
    method: "subscriptions/listen",
    params: { notifications: { toolsListChanged: true }, _meta: ENVELOPE },
  });
  const chunks = [
    listen,
    call(1, { name: "first", _meta: ENVELOPE }),
    call(2, { name: "second", _meta: ENVELOPE }),
    call(3, { name: "third", _meta: ENVELOPE }),
  ];
  const viaEntry = await serve(chunks, false);
  const viaDirect = await serve(chunks, true);
  assert.deepEqual(viaDirect.out, viaEntry.out);
  assert.equal(viaEntry.entered, 4);
  assert.equal(viaDirect.entered, 2);
});
