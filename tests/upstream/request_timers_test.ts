import assert from "node:assert/strict";
import { Client, SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import { InMemoryTransport, Server } from "@modelcontextprotocol/server";
import { shareRequestTimers } from "../../lib/upstream/request_timers.ts";
import { PASS_THROUGH } from "../../lib/upstream/pass_through.ts";

/** The SDK client's private members request timers use (and these tests check). */
interface Internals {
  _timeoutInfo: Map<number, { timeoutId: unknown; timeout: number }>;
  _setupTimeout: unknown;
  _cleanupTimeout: unknown;
}

/** A client connected to a real SDK server whose `hang` tool answers only when cancelled. */
async function connected(): Promise<{ client: Client; cancelled: string[]; end: () => void }> {
  const server = new Server({ name: "timers", version: "1" }, { capabilities: { tools: {} } });
  const cancelled: string[] = [];
  server.setRequestHandler("tools/call", async (request, ctx) => {
    if (request.params.name === "hang") {
      await new Promise((resolve) => ctx.mcpReq.signal.addEventListener("abort", resolve));
      cancelled.push(String(request.params.arguments?.label));
    }
    return { content: [] };
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "timers-test", version: "1" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return { client, cancelled, end: shareRequestTimers(client) };
}

const call = (client: Client, name: string, label: string, timeout: number, reset = false) =>
  client.request({ method: "tools/call", params: { name, arguments: { label } } }, PASS_THROUGH, {
    timeout,
    resetTimeoutOnProgress: reset,
  });

Deno.test("the SDK client still has the timeout bookkeeping request timers use", () => {
  const client = new Client({ name: "timers-test", version: "1" }) as unknown as Internals;
  assert.ok(client._timeoutInfo instanceof Map);
  assert.equal(typeof client._setupTimeout, "function");
  assert.equal(typeof client._cleanupTimeout, "function");
});

Deno.test("requests share one timer per timeout length; answered ones leave nothing behind", async () => {
  const { client, end } = await connected();
  const armed: number[] = [];
  const setTimer = globalThis.setTimeout;
  globalThis.setTimeout = ((handler: () => void, ms?: number) => {
    armed.push(ms ?? 0);
    return setTimer(handler, ms);
  }) as typeof setTimeout;
  try {
    for (let i = 0; i < 20; i++) await call(client, "echo", `${i}`, 60_000);
    const pending = call(client, "hang", "last", 60_000);
    const info = (client as unknown as Internals)._timeoutInfo;
    // The SDK still counts the pending request, without a timer of its own.
    assert.equal(info.size, 1);
    assert.equal([...info.values()][0].timeoutId, undefined);
    assert.deepEqual(armed, [60_000]); // one timer for the lane, not one per request
    await client.close();
    await assert.rejects(pending, SdkError);
    assert.equal(info.size, 0);
  } finally {
    globalThis.setTimeout = setTimer;
    end();
  }
});

Deno.test("each request still times out after its own timeout, shortest first, and the server hears the cancellation", async () => {
  const { client, cancelled, end } = await connected();
  try {
    const started = performance.now();
    const long = call(client, "hang", "long", 5_000).catch((error: SdkError) => error);
    const short = call(client, "hang", "short", 150).catch((error: SdkError) => error);
    const shortError = await short;
    assert.ok(shortError instanceof SdkError);
    assert.equal(shortError.code, SdkErrorCode.RequestTimeout);
    const waited = performance.now() - started;
    assert.ok(waited >= 140 && waited < 2_000, `timed out after ${waited} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(cancelled, ["short"]);
    // A second request of the same length falls due after its own wait, not the first one's.
    const again = await call(client, "hang", "again", 150).catch((error: SdkError) => error);
    assert.ok(again instanceof SdkError);
    assert.equal(again.code, SdkErrorCode.RequestTimeout);
    await client.close();
    const longError = await long;
    assert.equal(longError instanceof SdkError && longError.code, SdkErrorCode.ConnectionClosed);
  } finally {
    end();
  }
});

Deno.test("a request that resets its timeout on progress keeps the SDK's own timer", async () => {
  const { client, end } = await connected();
  try {
    const pending = call(client, "hang", "reset", 60_000, true).catch((error: SdkError) => error);
    const info = (client as unknown as Internals)._timeoutInfo;
    assert.notEqual([...info.values()][0].timeoutId, undefined);
    await client.close();
    assert.ok(await pending instanceof SdkError);
  } finally {
    end();
  }
});
