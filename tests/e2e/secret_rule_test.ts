/**
 * What counts as a secret, end to end: credential-named `${ENV}` values and `secretEnv` ones are
 * redacted; a home directory or a year reaches the model as it is; a secret too short to redact
 * is reported on stderr when the config is loaded.
 */
import assert from "node:assert/strict";
import { callText, connectBroker, fixtureAccount, writeConfig } from "./harness.ts";

Deno.test("only credential-like and secretEnv values are redacted; short secrets are warned about at start", async () => {
  const configPath = await writeConfig({
    accounts: [
      fixtureAccount("alpha", {
        env: {
          FIXTURE_ACCOUNT: "alpha",
          FIXTURE_HOME: "${RULE_HOME}",
          FIXTURE_YEAR: "${RULE_YEAR}",
          FIXTURE_TOKEN: "${RULE_API_TOKEN}",
          FIXTURE_DSN: "${RULE_DSN}",
          FIXTURE_PIN: "${RULE_PIN_TOKEN}",
        },
        secretEnv: ["RULE_DSN"],
      }),
    ],
  });
  const env = {
    RULE_HOME: "/home/rootA",
    RULE_YEAR: "2026",
    RULE_API_TOKEN: "tok-0123456789abcdef",
    RULE_DSN: "postgres://user:pw@db/prod",
    RULE_PIN_TOKEN: "4711",
  };
  const session = await connectBroker(configPath, "2025-11-25", { env });
  try {
    const value = async (name: string) => (await callText(session.client, "env_value", { name })).text;
    assert.equal(await value("FIXTURE_HOME"), "/home/rootA");
    assert.equal(await value("FIXTURE_YEAR"), "2026");
    assert.equal(await value("FIXTURE_TOKEN"), "[redacted:RULE_API_TOKEN]");
    assert.equal(await value("FIXTURE_DSN"), "[redacted:RULE_DSN]");
    const warning = session.stderr.find((line) => line.includes("${RULE_PIN_TOKEN}"));
    assert.ok(warning, session.stderr.join("\n"));
    assert.match(warning, /shorter than 8 characters/);
    assert.ok(!session.stderr.join("\n").includes("4711"), "the short value itself is never logged");
  } finally {
    await session.close();
  }
});
