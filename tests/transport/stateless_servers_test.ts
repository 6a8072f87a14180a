/**
 * Reusing the stateless 2026-07-28 servers with the SDK's own `createMcpHandler` and a real SDK
 * client (requests handed to the handler's fetch, no listener): these fail if the SDK stops
 * accepting a closed instance again, stops re-seeding each request's client, or keeps the
 * instance connected after the exchange.
 */
import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  CLIENT_INFO_META_KEY,
  createMcpHandler,
  Protocol,
  SdkError,
  SdkErrorCode,
  Server,
} from "@modelcontextprotocol/server";
import {
  closeWithSharedError,
  hasProtocolState,
  StatelessServers,
} from "../../lib/transport/stateless_servers.ts";
import { isRecord } from "../../lib/values.ts";
import { PASS_THROUGH } from "../../lib/upstream/pass_through.ts";
import { sourceDigest } from "../sdk_source.ts";

/** A server whose `tools/call` answers with the calling client's name, after `gate` opens. */
function fixture(gate: () => Promise<void>, signals: AbortSignal[] = []) {
  const servers = new StatelessServers(() => {
    let running = 0;
    const server = new Server({ name: "stateless", version: "1" }, { capabilities: { tools: {} } });
    server.setRequestHandler("tools/call", async (_request, ctx) => {
      running++;
      signals.push(ctx.mcpReq.signal);
      try {
        await gate();
        const envelope = ctx.mcpReq.envelope;
        const info = isRecord(envelope) ? envelope[CLIENT_INFO_META_KEY] : undefined;
        return { content: [{ type: "text", text: isRecord(info) ? String(info.name) : "?" }] };
      } finally {
        running--;
      }
    });
    return { server, running: () => running };
  });
  const handler = createMcpHandler(servers.take, { legacy: "reject" });
  return { servers, handler };
}

async function client(
  name: string,
  handler: { fetch(request: Request): Promise<Response> },
): Promise<Client> {
  const connected = new Client({ name, version: "1" }, {
    versionNegotiation: { mode: { pin: "2026-07-28" } },
  });
  const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1/mcp"), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  });
  await connected.connect(transport);
  return connected;
}

const call = (c: Client, signal?: AbortSignal) =>
  c.request({ method: "tools/call", params: { name: "who" } }, PASS_THROUGH, { signal }).then((result) =>
    JSON.stringify(result.content)
  );
const text = (name: string) => JSON.stringify([{ type: "text", text: name }]);

Deno.test("one closed stateless server serves request after request, each seeing its own client", async () => {
  const { servers, handler } = fixture(() => Promise.resolve());
  const alice = await client("alice", handler);
  const bob = await client("bob", handler);
  for (let i = 0; i < 3; i++) {
    assert.equal(await call(alice), text("alice"));
    assert.equal(await call(bob), text("bob"));
  }
  assert.equal(servers.built, 1, "each exchange built a server of its own: reuse stopped working");
  await handler.close();
});

Deno.test("requests in flight at once get servers of their own", async () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => open = resolve);
  const { servers, handler } = fixture(() => opened);
  const alice = await client("alice", handler);
  const bob = await client("bob", handler);
  const both = Promise.all([call(alice), call(bob)]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  open();
  assert.deepEqual(await both, [text("alice"), text("bob")]);
  assert.equal(servers.built, 2);
  assert.equal(await call(bob), text("bob"));
  assert.equal(servers.built, 2, "an idle server was not reused");
  await handler.close();
});

Deno.test("a server closed while its handler still runs is not handed out again", async () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => open = resolve);
  let gated = true;
  const { servers, handler } = fixture(() => gated ? opened : Promise.resolve());
  const alice = await client("alice", handler);
  const builtBefore = servers.built;
  const abort = new AbortController();
  const cut = call(alice, abort.signal).catch((error: Error) => error);
  await new Promise((resolve) => setTimeout(resolve, 50));
  abort.abort(); // the client goes away mid-call: the SDK closes that exchange's server
  assert.ok(await cut instanceof Error);
  gated = false;
  open();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await call(alice), text("alice"));
  assert.equal(servers.built, builtBefore + 1, "a server whose handler was still running was reused");
  await handler.close();
});

Deno.test("the SDK's Protocol still has the members a pooled server's close relies on", () => {
  const server = new Server({ name: "pinned", version: "1" }, { capabilities: { tools: {} } });
  assert.ok(hasProtocolState(server), "Protocol._onclose's state changed: closeWithSharedError falls back");
});

Deno.test("the SDK's Protocol._onclose is still the teardown closeWithSharedError mirrors (SDK 2.4.0)", async () => {
  // closeWithSharedError repeats that teardown with a shared error: a changed body (a new SDK)
  // may tear down more, so this digest of its source fails and the copy must be checked again.
  assert.equal(
    await sourceDigest((Protocol.prototype as unknown as { _onclose: () => void })._onclose),
    "472b7bcc34a242160e734aee915a41cbb27084c16770036262058c9f574fb9f9",
    "Protocol._onclose changed: compare it with closeWithSharedError in lib/transport/stateless_servers.ts",
  );
});

Deno.test("a pooled server's close aborts each finished request's signal with one shared ConnectionClosed error", async () => {
  const signals: AbortSignal[] = [];
  const { handler } = fixture(() => Promise.resolve(), signals);
  const alice = await client("alice", handler);
  for (let i = 0; i < 2; i++) assert.equal(await call(alice), text("alice"));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(signals.length, 2);
  for (const signal of signals) {
    assert.ok(signal.aborted, "the exchange's close no longer aborts the request's signal");
    assert.ok(signal.reason instanceof SdkError);
    assert.equal(signal.reason.code, SdkErrorCode.ConnectionClosed);
    assert.equal(signal.reason.message, "Connection closed");
  }
  assert.equal(signals[0].reason, signals[1].reason, "each close built an error of its own");
  await handler.close();
});

Deno.test("a server whose close is not Protocol's own, or lacks its state, keeps the SDK's close", () => {
  const overridden = new Server({ name: "own", version: "1" }, { capabilities: {} });
  const own = () => {};
  const fields = overridden as unknown as Record<string, unknown>;
  fields._onclose = own;
  closeWithSharedError(overridden);
  assert.equal(fields._onclose, own);
  const missing = new Server({ name: "missing", version: "1" }, { capabilities: {} });
  const state = missing as unknown as Record<string, unknown>;
  const sdkClose = state._onclose;
  delete state._timeoutInfo;
  closeWithSharedError(missing);
  assert.equal(state._onclose, sdkClose);
});
