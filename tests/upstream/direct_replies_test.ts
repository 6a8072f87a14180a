import assert from "node:assert/strict";
import { Client, type JSONRPCMessage, ProtocolError } from "@modelcontextprotocol/client";
import { directReplies } from "../../lib/upstream/direct_replies.ts";
import { StdioUpstreamTransport } from "../../lib/upstream/stdio_upstream.ts";
import { PASS_THROUGH } from "../../lib/upstream/pass_through.ts";

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
    directReplies(transport, client);
    const params = { name: "echo", arguments: { message: "hi" } };
    const result = await client.request({ method: "tools/call", params }, PASS_THROUGH);
    assert.deepEqual(result, { content: [{ type: "text", text: "Echo: hi" }] });
    // An error response still takes the sorting path and still fails its request.
    await assert.rejects(client.request({ method: "no/such/method" }, PASS_THROUGH), ProtocolError);
    assert.deepEqual(sorted.map((message) => "error" in message), [true]);
  } finally {
    await client.close();
  }
});

Deno.test("the SDK client still has the response dispatch direct replies call", () => {
  const client = new Client({ name: "direct-replies-test", version: "1" });
  assert.equal(typeof (client as unknown as { _onresponse?: unknown })._onresponse, "function");
});
