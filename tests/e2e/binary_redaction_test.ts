/**
 * Redaction never breaks a result: images, audio and blobs pass byte for byte unless their bytes
 * really hold a secret of the account that produced them, in which case the whole item becomes a
 * notice naming the secret's reference. Real broker, real fixture upstreams over stdio.
 */
import assert from "node:assert/strict";
import { connectBroker, writeConfig } from "./harness.ts";
import { mediaAccount } from "./media_account.ts";
import { mediaBytes, type Plant, toBase64 } from "../fixtures/media_bytes.ts";

// Base64-alphabet values (length a multiple of 4) so an image's base64 can show one verbatim.
const ALPHA_TOKEN = "c2VjcmV0LWFscGhhLXRva2Vu";
const BETA_TOKEN = "YmV0YS1vbmx5LXNlY3JldHM=";

type Item = { type: string; data?: string; text?: string; resource?: { blob?: string; uri?: string } };

Deno.test("images, audio and blobs survive redaction byte for byte; a secret inside one becomes a notice", async () => {
  const configPath = await writeConfig({
    accounts: [
      mediaAccount("alpha", { FIXTURE_SECRET: "${ALPHA_TOKEN}" }),
      mediaAccount("beta", { FIXTURE_SECRET: "${BETA_TOKEN}" }),
      mediaAccount("gamma"),
    ],
    defaultAccount: "alpha",
  });
  const session = await connectBroker(configPath, "2025-11-25", { env: { ALPHA_TOKEN, BETA_TOKEN } });
  try {
    // Start beta too, so its secret is known to the broker while alpha and gamma answer.
    await session.client.callTool({
      name: "janus_with_account",
      arguments: { account_id: "beta", tool: "whoami", arguments: {} },
    });
    const call = async (tool: string, args: Record<string, unknown>) =>
      (await session.client.callTool({ name: tool, arguments: args })).content as Item[];
    let checked = 0;
    for (const [tool, field] of [["image", "data"], ["audio", "data"], ["blob", "blob"]] as const) {
      for (const plant of ["none", "base64-lookalike"] as Plant[]) {
        for (let seed = 1; seed <= 10; seed++) {
          const size = 1024 * seed + seed;
          const content = await call(tool, { seed, size, plant });
          const expected = toBase64(mediaBytes(seed, size, plant, ALPHA_TOKEN));
          if (plant === "base64-lookalike") assert.ok(expected.includes(ALPHA_TOKEN), "the plant must show");
          const sent = field === "data" ? content[0].data : content[0].resource?.blob;
          assert.equal(sent, expected, `${tool} seed ${seed} plant ${plant} was altered`);
          assert.equal(content[1].text, "from alpha");
          checked++;
        }
      }
      // The secret's own bytes inside the item: the whole item is withheld, the rest stays.
      const leaking = await call(tool, { seed: 3, size: 4096, plant: "raw" });
      assert.equal(leaking[0].type, "text");
      assert.match(leaking[0].text ?? "", /withheld/);
      assert.match(leaking[0].text ?? "", /\$\{ALPHA_TOKEN\}/);
      assert.ok(!JSON.stringify(leaking).includes(ALPHA_TOKEN));
      assert.equal(leaking[1].text, "from alpha");
    }
    assert.equal(checked, 60);

    // Another account's secret is not applied to this account's results: gamma's image holding
    // beta's value (gamma was never given it) comes back as it was sent.
    await session.client.callTool({ name: "janus_use_account", arguments: { account_id: "gamma" } });
    const foreign = await call("image", { seed: 5, size: 3000, plant: "raw", text: BETA_TOKEN });
    assert.equal(foreign[0].data, toBase64(mediaBytes(5, 3000, "raw", BETA_TOKEN)));

    // resources/read: a blob with the account's secret inside becomes a text notice at its URI.
    await session.client.callTool({ name: "janus_use_account", arguments: { account_id: "alpha" } });
    const clean = await session.client.readResource({ uri: "media://picture" });
    assert.equal((clean.contents[0] as { blob?: string }).blob, toBase64(mediaBytes(7, 4096, "none", "")));
    const dirty = await session.client.readResource({ uri: "media://picture?raw" });
    const notice = dirty.contents[0] as { uri: string; text?: string; blob?: string };
    assert.equal(notice.uri, "media://picture?raw");
    assert.equal(notice.blob, undefined);
    assert.match(notice.text ?? "", /withheld.*\$\{ALPHA_TOKEN\}/);
  } finally {
    await session.close();
  }
});
