/**
 * An upstream's progress and its result can reach the broker in one read (a fast server writes
 * both frames at once): the broker still sends the client the progress, then the result. It
 * guards the broker's upstream side against what the SDK's own client does with such a chunk — it
 * handles the notification a microtask after the response, so a call settled by the result frame
 * first loses its progress handler before the progress is handled.
 *
 * The broker's output is read frame by frame (RawStdioBroker), not through an SDK client: the
 * broker writes the two frames one after the other, and an SDK client reading both in one chunk
 * would drop the progress itself — the same SDK behaviour, on the client's side, which no server
 * can prevent and which made this test fail now and then when it used one.
 */
import assert from "node:assert/strict";
import { fixtureArgs, REVISIONS, writeConfig } from "./harness.ts";
import { type Frame, RawStdioBroker } from "./raw_stdio.ts";

const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

const CALLS = 20;

for (const revision of REVISIONS) {
  Deno.test(`${revision}: progress written in the same chunk as its result reaches the client first`, async () => {
    const configPath = await writeConfig({
      accounts: [{
        id: "burst",
        service: "burst",
        command: "deno",
        args: fixtureArgs("tests/fixtures/burst_upstream.ts", []),
      }],
    });
    const broker = RawStdioBroker.start(configPath);
    try {
      const modern = revision === "2026-07-28";
      if (!modern) await broker.initialize();
      for (let call = 1; call <= CALLS; call++) {
        const token = `token-${call}`;
        const _meta = modern ? { ...ENVELOPE, progressToken: token } : { progressToken: token };
        await broker.send({
          jsonrpc: "2.0",
          id: call,
          method: "tools/call",
          params: { name: "burst", arguments: {}, _meta },
        });
        const response = await broker.response(call);
        assert.deepEqual(
          (response.result as { content?: unknown } | undefined)?.content,
          [{ type: "text", text: "burst done" }],
          `call ${call}: ${JSON.stringify(response)}`,
        );
        const at = (frame: Frame | undefined) => (frame ? broker.frames.indexOf(frame) : -1);
        const progress = broker.frames.find((frame) =>
          frame.method === "notifications/progress" &&
          (frame.params as { progressToken?: unknown } | undefined)?.progressToken === token
        );
        assert.ok(progress, `call ${call}: the progress was lost`);
        assert.equal((progress.params as { message?: unknown }).message, "burst step");
        assert.ok(at(progress) < at(response), `call ${call}: the progress came after the result`);
      }
    } finally {
      await broker.end();
    }
  });
}
