import assert from "node:assert/strict";
import { CLIENT_CAPABILITIES_META_KEY, ProtocolError } from "@modelcontextprotocol/server";
import { askingOnly } from "../../lib/broker/relay.ts";

const answer = { action: "accept", content: { name: "Ann" } };
const asked: string[] = [];
const ask = (request: { method: string }) => {
  asked.push(request.method);
  return Promise.resolve(answer);
};

Deno.test("a 2026 client is only asked what it declared it can answer; the rest is refused to the upstream", async () => {
  asked.length = 0;
  const guarded = askingOnly({ [CLIENT_CAPABILITIES_META_KEY]: { elicitation: { form: {} } } }, ask);
  assert.equal(
    await guarded({ method: "elicitation/create", params: {} }),
    answer,
    "passed through untouched",
  );
  for (const [method, capability] of [["roots/list", "roots"], ["sampling/createMessage", "sampling"]]) {
    await assert.rejects(
      () => guarded({ method }),
      (error: unknown) =>
        error instanceof ProtocolError && error.message.includes(`"${capability}" capability`),
    );
  }
  assert.deepEqual(asked, ["elicitation/create"]);
});

Deno.test("without declared capabilities (a 2025 client) every request is passed to the client as it is", async () => {
  asked.length = 0;
  const guarded = askingOnly(undefined, ask);
  assert.equal(guarded, ask);
  assert.equal(await guarded({ method: "roots/list" }), answer);
  assert.deepEqual(asked, ["roots/list"]);
});
