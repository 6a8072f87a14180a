/**
 * Input an upstream needs mid-call reaches the client that made the call, whatever the two
 * revisions: 2026 input_required rounds (with the broker's signed requestState), the SDK's
 * translation into real elicitation for 2025 clients, and a 2025 upstream's own requests.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/client";
import { z } from "zod";
import { callText, connectBroker, fixtureAccount, REVISIONS, writeConfig } from "./harness.ts";

const legacyUpstream = (id: string) =>
  fixtureAccount(id, { env: { FIXTURE_ACCOUNT: id, FIXTURE_ERA: "legacy" } });
const modernUpstream = (id: string) =>
  fixtureAccount(id, { env: { FIXTURE_ACCOUNT: id, FIXTURE_ERA: "modern" } });

/** A client that answers elicitation with a name and sampling with a word, counting the asks. */
function answering(asked: string[]) {
  return {
    client: { capabilities: { elicitation: { form: {} }, sampling: {} } },
    setup: (client: Client) => {
      client.setRequestHandler("elicitation/create", (request) => {
        asked.push(`elicit:${request.params.message}`);
        return { action: "accept", content: { name: "Ann" } };
      });
      client.setRequestHandler("sampling/createMessage", () => {
        asked.push("sample");
        return { role: "assistant", content: { type: "text", text: "banana" }, model: "test-model" };
      });
    },
  };
}

for (const revision of REVISIONS) {
  Deno.test(`[${revision} client, 2026 upstream] input_required reaches the client and the answer the upstream`, async () => {
    const asked: string[] = [];
    const session = await connectBroker(
      await writeConfig({ accounts: [modernUpstream("alpha")] }),
      revision,
      answering(asked),
    );
    try {
      const result = await callText(session.client, "ask_name");
      assert.equal(result.isError, false, result.text);
      // The upstream got its own requestState back, unwrapped from the broker's.
      assert.equal(result.text, "hello Ann from alpha; state:fixture-state-alpha");
      assert.deepEqual(asked, ["elicit:Your name?"]);
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision} client, 2025 upstream] an upstream's mid-call request reaches the client`, async () => {
    const asked: string[] = [];
    const session = await connectBroker(
      await writeConfig({ accounts: [legacyUpstream("old")] }),
      revision,
      answering(asked),
    );
    try {
      // 2025 clients are asked mid-call; a 2026 client gets the question as input_required while
      // the upstream's request waits, and its retry's answer goes to the upstream.
      assert.equal((await callText(session.client, "ask_name")).text, "hello Ann from old; asked mid-call");
      assert.equal((await callText(session.client, "ask_model")).text, "model said banana to old");
      assert.deepEqual(asked, ["elicit:Your name?", "sample"]);
    } finally {
      await session.close();
    }
  });
}

const INPUT_REQUIRED = z.looseObject({});

Deno.test("a retry with a tampered, foreign or stale requestState is refused before reaching the upstream", async () => {
  const session = await connectBroker(
    await writeConfig({ accounts: [fixtureAccount("alpha"), fixtureAccount("beta")] }),
    "2026-07-28",
    { client: { capabilities: { elicitation: { form: {} } }, inputRequired: { autoFulfill: false } } },
  );
  const call = (extra: Record<string, unknown> = {}) =>
    session.client.request(
      { method: "tools/call", params: { name: "ask_name", arguments: {}, ...extra } },
      INPUT_REQUIRED,
      { allowInputRequired: true },
    );
  const answers = { name: { action: "accept", content: { name: "Ann" } } };
  try {
    const first = await call();
    assert.equal(first.resultType, "input_required");
    const state = String(first.requestState);
    assert.match(state, /^janus1\./);
    assert.ok(!state.includes("fixture-state"), "the upstream's own state must not be visible in the clear");

    const tampered = state.slice(0, -2) + (state.endsWith("AA") ? "BB" : "AA");
    await assert.rejects(
      call({ inputResponses: answers, requestState: tampered }),
      /requestState was altered/,
    );
    await assert.rejects(
      call({ inputResponses: answers, requestState: "someone-else" }),
      /not issued by JanusMCP/,
    );
    // Answers without any requestState are not a resumed round: they go to the upstream as they are.
    assert.match(
      JSON.stringify(await call({ inputResponses: answers })),
      /hello Ann from alpha; state:undefined/,
    );

    // The genuine state still works…
    const done = await call({ inputResponses: answers, requestState: state });
    assert.match(JSON.stringify(done), /hello Ann from alpha/);

    // …but not once the active account has changed.
    const again = await call();
    await callText(session.client, "janus_use_account", { account_id: "beta" });
    await assert.rejects(
      call({ inputResponses: answers, requestState: String(again.requestState) }),
      /active account changed since this call asked for input \(it was "alpha", now "beta"\)/,
    );
  } finally {
    await session.close();
  }
});

Deno.test("a bridged question from a 2025 upstream is answered once: a replayed or tampered retry is refused", async () => {
  const session = await connectBroker(
    await writeConfig({ accounts: [legacyUpstream("old")] }),
    "2026-07-28",
    { client: { capabilities: { elicitation: { form: {} } }, inputRequired: { autoFulfill: false } } },
  );
  const call = (extra: Record<string, unknown> = {}) =>
    session.client.request(
      { method: "tools/call", params: { name: "ask_name", arguments: {}, ...extra } },
      INPUT_REQUIRED,
      { allowInputRequired: true },
    );
  try {
    const first = await call();
    assert.equal(first.resultType, "input_required");
    const [key, question] = Object.entries(first.inputRequests as Record<string, { method: string }>)[0];
    assert.equal(question.method, "elicitation/create");
    const answers = { [key]: { action: "accept", content: { name: "Bea" } } };
    const state = String(first.requestState);
    await assert.rejects(
      call({ inputResponses: answers, requestState: `${state}x` }),
      /requestState was altered/,
    );
    const done = await call({ inputResponses: answers, requestState: state });
    assert.match(JSON.stringify(done), /hello Bea from old; asked mid-call/);
    await assert.rejects(call({ inputResponses: answers, requestState: state }), /no longer open/);
  } finally {
    await session.close();
  }
});
