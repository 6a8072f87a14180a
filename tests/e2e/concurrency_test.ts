// deno-lint-ignore-file no-console -- the figures are printed for the README (deno task reliability)
/**
 * 64 HTTP sessions at once, each switching between two accounts while calling: every result
 * must come from the account that session had chosen when it made the call. Seeded choices.
 */
import assert from "node:assert/strict";
import { callText, connectHttp, fixtureAccount, startHttpBroker, writeConfig } from "./harness.ts";
import { seededRandom } from "./fuzz_frames.ts";

const SESSIONS = 64;
const ROUNDS = 8;

Deno.test(`${SESSIONS} sessions switching while calling: 0 results from the wrong account`, async () => {
  const broker = await startHttpBroker(
    await writeConfig({
      accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
      bindingMode: "session",
    }),
  );
  const random = seededRandom(64);
  let calls = 0;
  const wrong: string[] = [];
  try {
    const clients = await Promise.all(
      Array.from({ length: SESSIONS }, () => connectHttp(broker.origin, "2025-11-25").then((c) => c.client)),
    );
    await Promise.all(clients.map(async (client, index) => {
      for (let round = 0; round < ROUNDS; round++) {
        const account = random() < 0.5 ? "alpha" : "beta";
        await callText(client, "janus_use_account", { account_id: account, scope: "session" });
        // Two calls in flight at once per session, on the account just chosen.
        const results = await Promise.all([
          callText(client, "whoami"),
          callText(client, "echo", { text: `s${index}r${round}` }),
        ]);
        calls += results.length;
        if (results[0].text !== `account:${account}`) wrong.push(`session ${index}: ${results[0].text}`);
        if (results[1].text !== `${account}:s${index}r${round}`) {
          wrong.push(`session ${index}: ${results[1].text}`);
        }
      }
    }));
    await Promise.all(clients.map((client) => client.close()));
  } finally {
    await broker.stop();
  }
  assert.deepEqual(wrong, []);
  assert.equal(calls, SESSIONS * ROUNDS * 2);
  console.log(
    `concurrency: ${SESSIONS} sessions, ${calls} calls while switching, ${wrong.length} wrong-account results`,
  );
});
