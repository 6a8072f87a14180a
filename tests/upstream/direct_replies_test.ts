import assert from "node:assert/strict";
import { Client, type JSONRPCMessage, ProtocolError } from "@modelcontextprotocol/client";
import { directReplies } from "../../lib/upstream/direct_replies.ts";
import { StdioUpstreamTransport } from "../../lib/upstream/stdio_upstream.ts";
import { PASS_THROUGH } from "../../lib/upstream/pass_through.ts";
import { sourceDigest } from "../sdk_source.ts";

const FIXTURE = new URL("../fixtures/payload_upstream.ts", import.meta.url).pathname;

Deno.test("a stdio upstream's results reach the client's response dispatch without the SDK's sorting", async () => {
  const transport = new StdioUpstreamTransport({
    command: "deno",
    args: ["run", "--quiet", "--allow-env", FIXTURE],
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    stderr: "ignore",
  });
  const client = new Client({ name: "direct-replies-test", version: "1" });
  await client.connect(transport);
  try {
    // Count what still reaches the Protocol's own handler (which sorts by zod schemas).
    const sorted: JSONRPCMessage[] = [];
    const protocol = transport.onmessage;
    assert.ok(protocol);
    transport.onmessage = (message: JSONRPCMessage) => {
      sorted.push(message);
      protocol(message);
    };
    // And what reaches the response dispatch, which checks a result against its schema again.
    const internals = client as unknown as Internals;
    const dispatch = internals._onresponse;
    const dispatched: JSONRPCMessage[] = [];
    internals._onresponse = (message) => {
      dispatched.push(message);
      dispatch.call(client, message);
    };
    directReplies(transport, client);
    const params = { name: "echo", arguments: { message: "hi" } };
    const result = await client.request({ method: "tools/call", params }, PASS_THROUGH, { timeout: 60_000 });
    assert.deepEqual(result, { content: [{ type: "text", text: "Echo: hi" }] });
    // The request is forgotten as the dispatch would: no handler, no timer left behind.
    assert.equal(internals._responseHandlers.size, 0);
    assert.equal(internals._timeoutInfo.size, 0);
    // An error response still takes the sorting path and still fails its request.
    await assert.rejects(client.request({ method: "no/such/method" }, PASS_THROUGH), ProtocolError);
    assert.deepEqual(sorted.map((message) => "error" in message), [true]);
    // A result nobody waits for goes to the dispatch, which reports it as before.
    const errors: string[] = [];
    client.onerror = (error) => errors.push(error.message);
    transport.onmessage({ jsonrpc: "2.0", id: 999, result: {} });
    assert.match(errors.join(), /unknown message ID/);
    // Of the results, only that one reached the dispatch (the error response did too, sorted).
    const results = dispatched.filter((message) => "result" in message);
    assert.deepEqual(results.map((message) => "id" in message && message.id), [999]);
  } finally {
    await client.close();
  }
});

/** The SDK client's private members direct replies use (and this test checks). */
interface Internals {
  _onresponse: (message: JSONRPCMessage) => void;
  _responseHandlers: Map<number, unknown>;
  _progressHandlers: Map<number, unknown>;
  _timeoutInfo: Map<number, unknown>;
  _cleanupTimeout: (id: number) => void;
}

Deno.test("the SDK client still has the response dispatch and the request maps direct replies use", () => {
  const client = new Client({ name: "direct-replies-test", version: "1" }) as unknown as Internals;
  assert.equal(typeof client._onresponse, "function");
  assert.equal(typeof client._cleanupTimeout, "function");
  assert.ok(client._responseHandlers instanceof Map);
  assert.ok(client._progressHandlers instanceof Map);
  assert.ok(client._timeoutInfo instanceof Map);
});

Deno.test("the SDK client's response dispatch is still the one direct replies mirror (SDK 2.4.0)", async () => {
  // `settle` repeats what `_onresponse` does for a numbered result: a changed body (a new SDK)
  // may do more, so this digest of its source fails and the copy must be checked again.
  assert.equal(
    await sourceDigest((Client.prototype as unknown as { _onresponse: () => void })._onresponse),
    "70a10cf8e7ad00d6ce392fb6f05f78e5386c67b335d9b170a9b69a4faaa84729",
    "Protocol._onresponse changed: compare it with settle in lib/upstream/direct_replies.ts",
  );
});
