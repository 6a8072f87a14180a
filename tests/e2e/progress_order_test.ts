/**
 * An upstream's progress and its result can reach the broker in one read (a fast server writes
 * both frames at once): the client still gets the progress, then the result. It guards the
 * broker's upstream side against what the SDK's own client does with such a chunk — it handles
 * the notification a microtask after the response, so a call settled by the result frame first
 * loses its progress handler before the progress is handled.
 */
import assert from "node:assert/strict";
import { connectBroker, fixtureArgs, REVISIONS, writeConfig } from "./harness.ts";

for (const revision of REVISIONS) {
  Deno.test(`${revision}: progress written in the same chunk as its result still reaches the client`, async () => {
    const configPath = await writeConfig({
      accounts: [{
        id: "burst",
        service: "burst",
        command: "deno",
        args: fixtureArgs("tests/fixtures/burst_upstream.ts", []),
      }],
    });
    const session = await connectBroker(configPath, revision);
    try {
      for (let call = 1; call <= 5; call++) {
        const progress: string[] = [];
        const result = await session.client.callTool({ name: "burst", arguments: {} }, {
          onprogress: (p) => progress.push(p.message ?? ""),
        });
        assert.deepEqual(result.content, [{ type: "text", text: "burst done" }], `call ${call}`);
        assert.deepEqual(progress, ["burst step"], `call ${call}: the progress was lost`);
      }
    } finally {
      await session.close();
    }
  });
}
