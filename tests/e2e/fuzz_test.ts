// deno-lint-ignore-file no-console -- the figures are printed for the README (deno task reliability)
/**
 * A bounded, seeded fuzz: 10,000 hostile frames on stdio and 10,000 hostile request bodies over
 * HTTP, then a normal call must work. Every frame with a readable id is answered under that id;
 * nothing crashes the broker, nothing gets a 5xx, and the log stays bounded.
 * (Seeds are fixed: a failure reproduces exactly.)
 */
import { must } from "../must.ts";
import assert from "node:assert/strict";
import { callText, connectHttp, fixtureAccount, startHttpBroker, writeConfig } from "./harness.ts";
import { RawStdioBroker } from "./raw_stdio.ts";
import { fuzzFrames } from "./fuzz_frames.ts";

const FRAMES = 10_000;
const LIMIT = 64 * 1024; // the smallest limit allowed, so oversized frames stay cheap

Deno.test(`stdio fuzz: ${FRAMES} hostile frames, every readable id answered, then a normal call works`, async () => {
  const configPath = await writeConfig({
    accounts: [fixtureAccount("alpha")],
    limits: { maxMessageBytes: LIMIT },
  });
  const broker = RawStdioBroker.start(configPath);
  const frames = fuzzFrames(12, FRAMES, LIMIT);
  let owed = 0;
  try {
    await broker.initialize();
    const newline = new Uint8Array([10]);
    for (let i = 0; i < frames.length; i++) {
      await broker.write(frames[i].bytes);
      await broker.write(newline);
      if (frames[i].answerId) owed++;
    }
    await broker.send({
      jsonrpc: "2.0",
      id: "after",
      method: "tools/call",
      params: { name: "whoami", arguments: {} },
    });
    const after = await broker.response("after");
    assert.deepEqual((after.result as { content: unknown[] }).content, [{
      type: "text",
      text: "account:alpha",
    }]);
    const answered = new Set(broker.frames.map((frame) => frame.id));
    const unanswered = frames.filter((frame) => frame.answerId && !answered.has(frame.answerId));
    assert.deepEqual(unanswered.map((f) => f.kind), [], "frames with a readable id left unanswered");
    const kinds = new Set(frames.map((frame) => frame.kind));
    assert.equal(kinds.size, 9, `every kind of frame was sent: ${[...kinds]}`);
  } finally {
    const status = await broker.end();
    assert.equal(status.code, 0, "the broker ended cleanly at stdin EOF");
  }
  assert.ok(owed > 1000);
  // One line per refusal at most, and summaries for floods: far fewer lines than frames.
  assert.ok(broker.stderr.length < 200, `${broker.stderr.length} log lines for ${FRAMES} frames`);
  console.log(
    `stdio fuzz: ${FRAMES} frames, ${owed} owed an answer, 0 unanswered, ${broker.stderr.length} log lines`,
  );
});

Deno.test(`HTTP fuzz: ${FRAMES} hostile bodies with and without a session, no 5xx, then a normal call works`, async () => {
  const broker = await startHttpBroker(
    await writeConfig({ accounts: [fixtureAccount("alpha")], limits: { maxMessageBytes: LIMIT } }),
  );
  try {
    const init = await fetch(`${broker.origin}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "fuzz", version: "1" },
        },
      }),
    });
    const sessionId = must(init.headers.get("mcp-session-id"), "Mcp-Session-Id");
    await init.body?.cancel();
    const frames = fuzzFrames(34, FRAMES, LIMIT);
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < frames.length) {
        const i = next++;
        const headers: Record<string, string> = {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        };
        if (i % 2 === 0) {
          Object.assign(headers, { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" });
        }
        const response = await fetch(`${broker.origin}/mcp`, {
          method: "POST",
          headers,
          body: frames[i].bytes,
        });
        await response.body?.cancel();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const fivexx = [...statuses].filter(([status]) => status >= 500);
    assert.deepEqual(fivexx, [], `statuses: ${JSON.stringify([...statuses])}`);
    const { client } = await connectHttp(broker.origin, "2025-11-25");
    assert.equal((await callText(client, "whoami")).text, "account:alpha");
    await client.close();
    assert.ok(broker.stderr.length < 200, `${broker.stderr.length} log lines for ${FRAMES} requests`);
    console.log(`HTTP fuzz: ${FRAMES} bodies, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  } finally {
    const status = await broker.stop();
    assert.equal(status.code, 0);
  }
});
