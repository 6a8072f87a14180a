/**
 * The broker in front of an upstream that speaks only the other revision must still keep the
 * client's revision's rules. Here: the conformance fixture served as a 2025-11-25-only upstream
 * (`conformance_upstream.ts legacy`), whose logs and mid-call questions name no call.
 */
import assert from "node:assert/strict";
import { LOG_LEVEL_META_KEY } from "@modelcontextprotocol/client";
import { z } from "zod";
import { connectBroker, fixtureArgs, post, startHttpBroker, writeConfig } from "./harness.ts";

const legacyConformance = {
  id: "conf",
  service: "conformance",
  command: "deno",
  args: fixtureArgs("tests/fixtures/conformance_upstream.ts", ["--allow-env"], ["legacy"]),
};

Deno.test("[2026-07-28] concurrent calls without a log level hear no logs from a 2025-only upstream", async () => {
  const session = await connectBroker(await writeConfig({ accounts: [legacyConformance] }), "2026-07-28");
  try {
    // Two calls at once: the upstream's logs (three each, at info) cannot be told apart by call.
    const results = await Promise.all([
      session.client.callTool({ name: "test_tool_with_logging", arguments: {} }),
      session.client.callTool({ name: "test_tool_with_logging", arguments: {} }),
    ]);
    for (const result of results) assert.equal(result.isError, undefined);
    // A log sent before a result has certainly arrived after one more round trip.
    await session.client.listTools();
    assert.deepEqual(session.notifications.filter((n) => n === "notifications/message"), []);
  } finally {
    await session.close();
  }
});

const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, sampling: {}, roots: {} },
};

/** The JSON-RPC answer to one raw 2026-07-28 `tools/call` over HTTP (JSON or one SSE event). */
async function rawCall(origin: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await post(origin, {
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { ...params, _meta: ENVELOPE },
  }, { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": String(params.name) });
  const text = await response.text();
  const data = text.split("\n").find((line) => line.startsWith("data: "));
  return JSON.parse(data ? data.slice(6) : text);
}

Deno.test("[2026-07-28] a round its client never answers does not stop other calls' questions from a 2025-only upstream", async () => {
  const broker = await startHttpBroker(await writeConfig({ accounts: [legacyConformance] }));
  try {
    const ask = { name: "test_input_required_result_elicitation", arguments: {} };
    // The first call's client never comes back: its upstream call stays parked, waiting.
    const abandoned = await rawCall(broker.origin, ask);
    assert.equal((abandoned.result as { resultType?: string }).resultType, "input_required");
    // Another call (another conversation) must still be asked, not refused as ambiguous.
    const second = (await rawCall(broker.origin, ask)).result as {
      resultType?: string;
      inputRequests?: Record<string, unknown>;
      requestState?: string;
      content?: unknown;
    };
    assert.equal(second.resultType, "input_required", JSON.stringify(second));
    const [key] = Object.keys(second.inputRequests ?? {});
    // The question is the upstream's, minus the progress token its SDK put on its own request.
    const question = second.inputRequests?.[key] as { method?: string; params?: Record<string, unknown> };
    assert.equal(question.method, "elicitation/create");
    assert.equal(question.params?._meta, undefined, JSON.stringify(question));
    const done = (await rawCall(broker.origin, {
      ...ask,
      inputResponses: { [key]: { action: "accept", content: { name: "Ada" } } },
      requestState: second.requestState,
    })).result as { content?: { text?: string }[]; isError?: boolean };
    assert.equal(done.isError, undefined, JSON.stringify(done));
    assert.match(done.content?.[0]?.text ?? "", /Ada/);
  } finally {
    await broker.stop();
  }
});

Deno.test("[2026-07-28] the questions a 2025-only upstream asks together come in one round", async () => {
  const broker = await startHttpBroker(await writeConfig({ accounts: [legacyConformance] }));
  try {
    const call = { name: "test_input_required_result_multiple_inputs", arguments: {} };
    const first = (await rawCall(broker.origin, call)).result as {
      resultType?: string;
      inputRequests?: Record<string, { method: string }>;
      requestState?: string;
    };
    assert.equal(first.resultType, "input_required", JSON.stringify(first));
    const asked = Object.entries(first.inputRequests ?? {});
    assert.deepEqual(asked.map(([, q]) => q.method).sort(), [
      "elicitation/create",
      "roots/list",
      "sampling/createMessage",
    ]);
    const answerTo: Record<string, unknown> = {
      "elicitation/create": { action: "accept", content: { name: "Ada" } },
      "sampling/createMessage": { role: "assistant", content: { type: "text", text: "Hi" }, model: "m" },
      "roots/list": { roots: [{ uri: "file:///tmp", name: "tmp" }] },
    };
    const done = (await rawCall(broker.origin, {
      ...call,
      inputResponses: Object.fromEntries(asked.map(([key, q]) => [key, answerTo[q.method]])),
      requestState: first.requestState,
    })).result as { content?: { text?: string }[]; isError?: boolean };
    assert.equal(done.isError, undefined, JSON.stringify(done));
    assert.equal(done.content?.[0]?.text, 'name="Ada", greeting="Hi", roots=1');
  } finally {
    await broker.stop();
  }
});

/** The matrix fixture as a 2025-only upstream (its `elicit_form {chatter: true}` talks while it waits). */
const legacyMatrix = {
  id: "matrix",
  service: "matrix",
  command: "deno",
  args: fixtureArgs("tests/fixtures/matrix_stdio.ts", ["-A"], ["legacy"]),
};

Deno.test("[2026-07-28] what a 2025-only upstream sends while its question waits reaches no ended request", async () => {
  const session = await connectBroker(await writeConfig({ accounts: [legacyMatrix] }), "2026-07-28", {
    client: { capabilities: { elicitation: { form: {} } }, inputRequired: { autoFulfill: false } },
  });
  const errors: string[] = [];
  session.client.onerror = (error) => errors.push(error.message);
  let progress = 0;
  try {
    const first = await session.client.request(
      {
        method: "tools/call",
        params: {
          name: "elicit_form",
          arguments: { chatter: true },
          _meta: { [LOG_LEVEL_META_KEY]: "debug" },
        },
      },
      z.looseObject({}),
      { allowInputRequired: true, onprogress: () => progress++ },
    );
    assert.equal(first.resultType, "input_required");
    // The upstream logs and reports progress 200 ms into its wait: the round that asked has ended,
    // so neither may be sent (its progress token is no longer in progress; the log has no request).
    await new Promise((resolve) => setTimeout(resolve, 600));
    await session.client.listTools();
    assert.deepEqual(session.notifications.filter((n) => n === "notifications/message"), []);
    assert.deepEqual(errors.filter((message) => /progress/i.test(message)), []);
    assert.equal(progress, 0);
  } finally {
    await session.close();
  }
});
