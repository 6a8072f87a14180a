import assert from "node:assert/strict";
import { ProtocolError } from "@modelcontextprotocol/server";
import {
  completionResult,
  promptResult,
  readResult,
  toolResult,
} from "../../lib/transport/relayed_results.ts";

Deno.test("well-formed results pass through as the very same object, unknown fields and all", () => {
  const tool = { content: [{ type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" }], extra: { x: 1 } };
  const read = { contents: [{ uri: "a://b", blob: "AAEC" }] };
  const prompt = { messages: [], description: "d" };
  const completion = { completion: { values: ["a"], hasMore: false } };
  const inputRequired = { resultType: "input_required", inputRequests: {}, requestState: "s" };
  assert.equal(toolResult(tool), tool);
  assert.equal(readResult(read), read);
  assert.equal(promptResult(prompt), prompt);
  assert.equal(completionResult(completion), completion);
  for (const relay of [toolResult, readResult, promptResult]) {
    assert.equal(relay(inputRequired), inputRequired);
  }
});

Deno.test("a result missing the field its type needs is refused with the method and field named", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => toolResult({ content: "text" }), /tools\/call without a valid "content"/],
    [() => readResult({}), /resources\/read without a valid "contents"/],
    [() => promptResult({ messages: {} }), /prompts\/get without a valid "messages"/],
    [
      () => completionResult({ completion: { values: "a" } }),
      /completion\/complete without a valid "completion.values"/,
    ],
  ];
  for (const [relay, message] of cases) {
    assert.throws(relay, (error: unknown) => error instanceof ProtocolError && message.test(error.message));
  }
});
