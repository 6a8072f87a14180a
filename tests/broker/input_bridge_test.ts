import assert from "node:assert/strict";
import { InputBridge } from "../../lib/broker/input_bridge.ts";
import type { AskClient } from "../../lib/upstream/mod.ts";

/** An upstream call stand-in: asks `questions` in turn, then returns what it was told. */
function asking(...questions: string[]) {
  return async (ask: AskClient) => {
    const answers: unknown[] = [];
    for (const question of questions) {
      answers.push(await ask({ method: "elicitation/create", params: { message: question } }));
    }
    return { content: [{ type: "text", text: JSON.stringify(answers) }] };
  };
}

Deno.test("each question becomes a round; the retry's answer goes on to the upstream, then its result comes back", async () => {
  const bridge = new InputBridge();
  const first = await bridge.start({}, asking("name?", "colour?"));
  assert.equal(first.kind, "ask");
  if (first.kind !== "ask") return;
  assert.deepEqual(first.question, { method: "elicitation/create", params: { message: "name?" } });
  const second = await bridge.resume(
    first.id,
    { [first.key]: { action: "accept", content: { n: "Ann" } } },
    {},
    "x",
  );
  assert.equal(second.kind, "ask");
  if (second.kind !== "ask") return;
  assert.notEqual(second.id, first.id);
  const done = await bridge.resume(second.id, { [second.key]: { action: "decline" } }, {}, "x");
  assert.deepEqual(done, {
    kind: "result",
    result: {
      content: [{ type: "text", text: '[{"action":"accept","content":{"n":"Ann"}},{"action":"decline"}]' }],
    },
  });
  assert.equal(bridge.parkedCount, 0);
});

Deno.test("a question is answered once: replaying its id is refused", async () => {
  const bridge = new InputBridge();
  const first = await bridge.start({}, asking("name?"));
  if (first.kind !== "ask") throw new Error("expected a question");
  await bridge.resume(first.id, { [first.key]: { action: "cancel" } }, {}, "call again");
  await assert.rejects(
    bridge.resume(first.id, { [first.key]: { action: "cancel" } }, {}, "call again"),
    /no longer open .*; call again/,
  );
});

Deno.test("a retry without the answer gets the same question again", async () => {
  const bridge = new InputBridge();
  const first = await bridge.start({}, asking("name?"));
  if (first.kind !== "ask") throw new Error("expected a question");
  const again = await bridge.resume(first.id, {}, {}, "x");
  assert.equal(again.kind, "ask");
  if (again.kind === "ask") assert.deepEqual(again.question, first.question);
});

Deno.test("a call whose client never comes back is failed, and its upstream request cancelled", async () => {
  const bridge = new InputBridge(20);
  let cancelled = false;
  let failure = "";
  const first = await bridge.start({}, async (ask, signal) => {
    signal.addEventListener("abort", () => cancelled = true);
    try {
      return await ask({ method: "sampling/createMessage" });
    } catch (error) {
      failure = String(error);
      throw error;
    }
  });
  assert.equal(first.kind, "ask");
  while (!cancelled) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.match(failure, /the client did not answer/);
  assert.equal(bridge.parkedCount, 0);
});

Deno.test("an upstream that answers without asking is relayed as is", async () => {
  const bridge = new InputBridge();
  assert.deepEqual(await bridge.start({}, () => Promise.resolve({ content: [] })), {
    kind: "result",
    result: { content: [] },
  });
  await assert.rejects(bridge.start({}, () => Promise.reject(new Error("boom"))), /boom/);
});
