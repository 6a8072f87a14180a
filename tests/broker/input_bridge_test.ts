import assert from "node:assert/strict";
import { InputBridge } from "../../lib/broker/input_bridge.ts";
import type { AskClient } from "../../lib/upstream/mod.ts";

/** The one question of a round, and its key. */
function only(outcome: { questions: Record<string, unknown> }): [string, unknown] {
  const entries = Object.entries(outcome.questions);
  assert.equal(entries.length, 1);
  return entries[0];
}

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
  const [key, question] = only(first);
  assert.deepEqual(question, { method: "elicitation/create", params: { message: "name?" } });
  const second = await bridge.resume(
    first.id,
    { [key]: { action: "accept", content: { n: "Ann" } } },
    {},
    "x",
  );
  assert.equal(second.kind, "ask");
  if (second.kind !== "ask") return;
  assert.notEqual(second.id, first.id);
  const done = await bridge.resume(second.id, { [only(second)[0]]: { action: "decline" } }, {}, "x");
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
  const [key] = only(first);
  await bridge.resume(first.id, { [key]: { action: "cancel" } }, {}, "call again");
  await assert.rejects(
    bridge.resume(first.id, { [key]: { action: "cancel" } }, {}, "call again"),
    /no longer open .*; call again/,
  );
});

Deno.test("a retry without the answer gets the same question again", async () => {
  const bridge = new InputBridge();
  const first = await bridge.start({}, asking("name?"));
  if (first.kind !== "ask") throw new Error("expected a question");
  const again = await bridge.resume(first.id, {}, {}, "x");
  assert.equal(again.kind, "ask");
  if (again.kind === "ask") assert.deepEqual(only(again)[1], only(first)[1]);
});

Deno.test("questions asked together go to the client in one round; a partial answer leaves the rest standing", async () => {
  const bridge = new InputBridge();
  const asked = ["name?", "colour?", "size?"];
  const first = await bridge.start({}, async (ask) => {
    // Like a 2025 SDK server asking every input of a multi-input request at once.
    const answers = await Promise.all(
      asked.map((message) => ask({ method: "elicitation/create", params: { message } })),
    );
    return { content: [{ type: "text", text: JSON.stringify(answers) }] };
  });
  if (first.kind !== "ask") throw new Error("expected questions");
  const keys = Object.keys(first.questions);
  assert.deepEqual(
    Object.values(first.questions).map((q) => q.params?.message),
    asked,
  );
  // Two answered: the third stands alone in the next round, under a new key.
  const rest = await bridge.resume(first.id, { [keys[0]]: { n: 0 }, [keys[1]]: { n: 1 } }, {}, "x");
  if (rest.kind !== "ask") throw new Error("expected the third question");
  const [key, question] = only(rest);
  assert.deepEqual(question, first.questions[keys[2]]);
  assert.equal(keys.includes(key), false);
  const done = await bridge.resume(rest.id, { [key]: { n: 2 } }, {}, "x");
  assert.deepEqual(done, {
    kind: "result",
    result: { content: [{ type: "text", text: '[{"n":0},{"n":1},{"n":2}]' }] },
  });
});

Deno.test("questions asked together still form one round when they arrive milliseconds apart", async () => {
  // An upstream's back-to-back writes reach the broker in separate reads when the upstream is off
  // the CPU between them (a busy machine): two event-loop turns of waiting split them into rounds.
  const bridge = new InputBridge();
  const first = await bridge.start({}, async (ask) => {
    const answers = await Promise.all(["name?", "colour?", "size?"].map(async (message, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 15));
      return await ask({ method: "elicitation/create", params: { message } });
    }));
    return { content: [{ type: "text", text: JSON.stringify(answers) }] };
  });
  if (first.kind !== "ask") throw new Error("expected questions");
  assert.deepEqual(Object.values(first.questions).map((q) => q.params?.message), [
    "name?",
    "colour?",
    "size?",
  ]);
  const answers = Object.fromEntries(Object.keys(first.questions).map((key, n) => [key, { n }]));
  const done = await bridge.resume(first.id, answers, {}, "x");
  assert.equal(done.kind, "result");
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
