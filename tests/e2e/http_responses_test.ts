/**
 * How the broker answers 2025-11-25 POSTs over HTTP: a plain call gets one `application/json`
 * body; a call that sends anything before its result (progress, a log message, a question to
 * the client) gets an SSE stream with those first and the result last, resumable with
 * `Last-Event-ID`. And SEP-2243 headers are checked only against tools the client was shown.
 * Raw HTTP against the real broker process, with the matrix fixture as its upstream.
 */
import assert from "node:assert/strict";
import { fixtureArgs, INITIALIZE, post, startHttpBroker, writeConfig } from "./harness.ts";

/** The matrix fixture over stdio, speaking both revisions (it has progress, log, elicitation and a header tool). */
const MATRIX = {
  id: "matrix",
  service: "matrix",
  command: "deno",
  args: fixtureArgs("tests/fixtures/matrix_stdio.ts", ["--allow-env"], ["dual"]),
};

interface SseEvent {
  id?: string;
  data: string;
}

/** Reads SSE events off a body until `stop` says so (or the body ends); the reader is left open. */
async function readEvents(
  reader: ReadableStreamDefaultReader<string>,
  stop: (events: SseEvent[]) => boolean,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  let buffer = "";
  while (!stop(events)) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(":")) continue; // keep-alive comment
      const event: SseEvent = { data: "" };
      for (const line of block.split("\n")) {
        if (line.startsWith("id: ")) event.id = line.slice(4);
        if (line.startsWith("data: ")) event.data += line.slice(6);
      }
      events.push(event);
    }
  }
  return events;
}

function textReader(response: Response): ReadableStreamDefaultReader<string> {
  assert.ok(response.body);
  return response.body.pipeThrough(new TextDecoderStream()).getReader();
}

/** Parsed JSON-RPC messages of the events that carry one (the priming event carries none). */
function messagesOf(events: SseEvent[]): Record<string, unknown>[] {
  return events.filter((event) => event.data.trim() !== "").map((event) => JSON.parse(event.data));
}

const answered = (id: number) => (events: SseEvent[]) =>
  messagesOf(events).some((message) => message.id === id);

/** A raw 2025 session: initialize (with elicitation), initialized, then requests by id. */
async function session(origin: string) {
  const init = await post(origin, {
    ...INITIALIZE,
    params: { ...INITIALIZE.params, capabilities: { elicitation: { form: {} } } },
  });
  assert.equal(init.status, 200);
  const initContentType = init.headers.get("content-type");
  await init.body?.cancel();
  const sessionId = init.headers.get("mcp-session-id");
  assert.ok(sessionId);
  const headers = { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" };
  const initialized = await post(origin, { jsonrpc: "2.0", method: "notifications/initialized" }, headers);
  assert.equal(initialized.status, 202);
  return {
    initContentType,
    headers,
    send: (body: unknown) => post(origin, body, headers),
    call: (id: number, name: string, meta: Record<string, unknown> = {}) =>
      post(
        origin,
        { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {}, _meta: meta } },
        headers,
      ),
  };
}

async function withBroker(config: Record<string, unknown>, test: (origin: string) => Promise<void>) {
  const broker = await startHttpBroker(await writeConfig(config));
  try {
    await test(broker.origin);
  } finally {
    assert.equal((await broker.stop()).code, 0);
  }
}

Deno.test("a plain 2025 call is answered with one application/json body", async () => {
  await withBroker({ accounts: [MATRIX] }, async (origin) => {
    const { call, initContentType } = await session(origin);
    assert.match(initContentType ?? "", /^application\/json/);
    const response = await call(2, "era");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.ok(response.headers.get("mcp-session-id"));
    const body = await response.json();
    assert.equal(body.id, 2);
    assert.equal(body.result.content[0].text, "era: 2025-11-25");
  });
});

Deno.test("a 2025 call that reports progress streams it over SSE before its result; the session goes on with JSON", async () => {
  await withBroker({ accounts: [MATRIX] }, async (origin) => {
    const { call } = await session(origin);
    const response = await call(2, "progress", { progressToken: "p" });
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const events = await readEvents(textReader(response), () => false);
    // The priming event first: an id to resume from, no message.
    assert.ok(events[0].id);
    assert.equal(events[0].data.trim(), "");
    const messages = messagesOf(events);
    assert.deepEqual(
      messages.map((message) => message.method ?? `result ${message.id}`),
      ["notifications/progress", "notifications/progress", "notifications/progress", "result 2"],
    );
    const after = await call(3, "era");
    assert.match(after.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal((await after.json()).result.content[0].text, "era: 2025-11-25");
  });
});

Deno.test("a 2025 call that logs streams the log message over SSE before its result", async () => {
  await withBroker({ accounts: [MATRIX] }, async (origin) => {
    const { send, call } = await session(origin);
    const level = await send({
      jsonrpc: "2.0",
      id: 2,
      method: "logging/setLevel",
      params: { level: "info" },
    });
    assert.match(level.headers.get("content-type") ?? "", /^application\/json/);
    await level.body?.cancel();
    const response = await call(3, "log");
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const messages = messagesOf(await readEvents(textReader(response), () => false));
    assert.equal(messages[0].method, "notifications/message");
    assert.equal(messages.at(-1)?.id, 3);
  });
});

Deno.test("a 2025 call that asks its client streams the question over SSE; the answer POSTed back finishes it", async () => {
  await withBroker({ accounts: [MATRIX] }, async (origin) => {
    const { send, call } = await session(origin);
    const response = await call(2, "elicit_form");
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = textReader(response);
    const asked = await readEvents(reader, (events) => messagesOf(events).some((m) => m.method));
    const question = messagesOf(asked).find((message) => message.method === "elicitation/create");
    assert.ok(question);
    const answer = await send({
      jsonrpc: "2.0",
      id: question.id,
      result: { action: "accept", content: { name: "Ann" } },
    });
    assert.equal(answer.status, 202);
    const rest = messagesOf(await readEvents(reader, answered(2)));
    const result = rest.find((message) => message.id === 2)?.result as { content: { text: string }[] };
    assert.match(result.content[0].text, /Ann/);
  });
});

Deno.test("a client that drops a call's SSE stream resumes it with Last-Event-ID and gets the result", async () => {
  await withBroker({ accounts: [MATRIX] }, async (origin) => {
    const { call, headers } = await session(origin);
    const response = await call(2, "progress", { progressToken: "p" });
    const reader = textReader(response);
    const first = await readEvents(reader, (events) => messagesOf(events).length >= 1);
    await reader.cancel(); // the connection drops after the first progress report
    const lastEventId = first.at(-1)?.id;
    assert.ok(lastEventId);
    const resumed = await fetch(`${origin}/mcp`, {
      headers: { ...headers, accept: "text/event-stream", "last-event-id": lastEventId },
    });
    assert.equal(resumed.status, 200);
    const rest = messagesOf(await readEvents(textReader(resumed), answered(2)));
    assert.deepEqual(
      rest.map((message) => message.method ?? `result ${message.id}`),
      ["notifications/progress", "notifications/progress", "result 2"],
    );
    const after = await call(3, "era");
    assert.equal((await after.json()).result.content[0].text, "era: 2025-11-25");
  });
});

/** A raw 2026-07-28 tools/call of `region`, with or without its Mcp-Param-Region header. */
function callRegion(origin: string, header: Record<string, string>) {
  const meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
    "io.modelcontextprotocol/clientCapabilities": {},
  };
  return post(origin, {
    jsonrpc: "2.0",
    id: 5,
    method: "tools/call",
    params: { name: "region", arguments: { region: "eu" }, _meta: meta },
  }, { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "region", ...header });
}

Deno.test("SEP-2243 headers are checked against listed tools only: a tool found by search is called without them", async () => {
  await withBroker({ accounts: [MATRIX], exposure: "search" }, async (origin) => {
    const response = await callRegion(origin, {});
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.match(text, /region: eu/);
  });
  await withBroker({ accounts: [MATRIX], exposure: "all" }, async (origin) => {
    const missing = await callRegion(origin, {});
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /header mismatch: Mcp-Param-Region is missing/);
    const sent = await callRegion(origin, { "mcp-param-region": "eu" });
    assert.match(await sent.text(), /region: eu/);
  });
});
