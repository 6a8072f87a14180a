import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { PASS_THROUGH } from "../../lib/upstream/pass_through.ts";

const FIXTURE = new URL("../fixtures/payload_upstream.ts", import.meta.url).pathname;

async function connected(): Promise<Client> {
  const client = new Client({ name: "pass-through-test", version: "1" });
  await client.connect(
    new StdioClientTransport({
      command: "deno",
      args: ["run", "--quiet", "--allow-env", FIXTURE],
      stderr: "ignore",
    }),
  );
  return client;
}

Deno.test("a relayed result comes back as the very object the SDK decoded, through a non-zod schema", async () => {
  const client = await connected();
  try {
    const seen: unknown[] = [];
    const recording = {
      "~standard": {
        ...PASS_THROUGH["~standard"],
        validate: (value: unknown) => {
          seen.push(value);
          return PASS_THROUGH["~standard"].validate(value);
        },
      },
    };
    const params = { name: "echo", arguments: { message: "hi", extra: [1, { b: null }] } };
    const result = await client.request({ method: "tools/call", params }, recording);
    // The SDK still hands the result to the schema we pass (not a registry schema of its own) ...
    assert.equal(seen.length, 1, "the SDK client no longer calls the result schema it is given");
    // ... and returns the schema's value, not a copy: the broker relays what the upstream sent.
    assert.equal(result, seen[0], "the SDK client no longer returns the schema's value as is");
    assert.deepEqual(result, { content: [{ type: "text", text: "Echo: hi" }] });
    assert.deepEqual(await client.request({ method: "tools/call", params }, PASS_THROUGH), result);
  } finally {
    await client.close();
  }
});

Deno.test("the pass-through schema refuses what is not a JSON object", async () => {
  for (const value of [null, [], "text", 3]) {
    const outcome = await PASS_THROUGH["~standard"].validate(value);
    assert.ok(outcome.issues?.length, `accepted ${JSON.stringify(value)}`);
  }
  const object = { content: [] };
  const accepted = await PASS_THROUGH["~standard"].validate(object);
  assert.equal(accepted.issues, undefined);
  assert.equal("value" in accepted && accepted.value, object, "copied instead of passed through");
});
