/**
 * A config's first start (issue 13, cold start): with nothing beside the config yet, `serve` over
 * stdio works out its default selector's plain launches from the config file itself and starts them before
 * the broker loads; the pool adopts them (one process, not two). An account whose reference
 * cannot be resolved starts nothing early (early_refs_test.ts has the rest); an invalid config fails as it always did and leaves no process behind;
 * `serve --http`, which starts no upstream until a client asks, starts nothing early either.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { runCli, startHttpBroker } from "./harness.ts";
import { RawStdioBroker } from "./raw_stdio.ts";
import { pidsWithEnv, waitUntil } from "./processes.ts";
import { adopted, freshConfig, markedAccount, servingPid, starts } from "./early_accounts.ts";

Deno.test("a first start starts the default selector's upstream at launch and adopts it: one process", async () => {
  await using setup = await freshConfig((marks) => ({
    accounts: [markedAccount("alpha", marks), markedAccount("beta", marks)],
    profiles: { both: { accounts: ["beta", "alpha"], exposure: "all" } },
    defaultAccount: "beta",
  }));
  const broker = RawStdioBroker.start(setup.configPath);
  try {
    await broker.initialize();
    const pid = await servingPid(broker, "call");
    assert.deepEqual(adopted(broker), [pid], broker.stderr.join("\n"));
    assert.deepEqual(await starts(setup.marks, "beta"), [pid], "one start, the early one");
    assert.deepEqual(await starts(setup.marks, "alpha"), [], "not the default: not started");
  } finally {
    await broker.end();
  }
});

Deno.test("an ${ENV} account starts early; one whose vault secret is missing is never started", async () => {
  await using setup = await freshConfig((marks) => ({
    accounts: [
      { ...markedAccount("envref", marks), env: { FIXTURE_ACCOUNT: "${JANUS_FIRST_NAME}" } },
      {
        ...markedAccount("vaulted", marks),
        env: { FIXTURE_ACCOUNT: "vaulted", HELPER: "vault:first_missing" },
      },
    ],
    profiles: { both: ["envref", "vaulted"] },
  }));
  await Deno.writeTextFile(
    `${dirname(setup.configPath)}/state.json`,
    JSON.stringify({ globalSelector: { kind: "profile", name: "both" } }),
  );
  const broker = RawStdioBroker.start(setup.configPath, { JANUS_FIRST_NAME: "envref" });
  try {
    await broker.initialize();
    // The one it can resolve starts at launch and is adopted; the other not at all.
    assert.ok(
      await waitUntil(() => adopted(broker).length === 1, 20_000),
      broker.stderr.join("\n"),
    );
    assert.deepEqual(await starts(setup.marks, "envref"), adopted(broker), "started once, early");
    assert.deepEqual(await starts(setup.marks, "vaulted"), [], "its secret is missing: never started");
  } finally {
    await broker.end();
  }
});

Deno.test("an invalid config fails as before, and the process started early for it is stopped", async () => {
  const tag = crypto.randomUUID();
  await using setup = await freshConfig((marks) => ({
    accounts: [{ ...markedAccount("alpha", marks), env: { FIXTURE_ACCOUNT: "alpha", JANUS_TEST_TAG: tag } }],
    // Unknown to the schema: the file parses, so the account is started early, then refused.
    bindingMod: "session",
  }));
  const { code, stderr } = await runCli(["serve", "--config", setup.configPath]);
  assert.equal(code, 3, stderr);
  assert.ok(stderr.startsWith(`janusmcp: invalid config ${setup.configPath}:\n`), stderr);
  assert.match(stderr, /bindingMod/);
  assert.equal((await starts(setup.marks, "alpha")).length, 1, "it was started early");
  assert.ok(
    await waitUntil(() => pidsWithEnv("JANUS_TEST_TAG", tag).length === 0, 10_000),
    `left behind: ${pidsWithEnv("JANUS_TEST_TAG", tag)}`,
  );
});

Deno.test("serve --http starts no upstream early: it starts none until a client asks", async () => {
  await using setup = await freshConfig((marks) => ({ accounts: [markedAccount("alpha", marks)] }));
  const broker = await startHttpBroker(setup.configPath);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(await starts(setup.marks, "alpha"), [], broker.stderr.join("\n"));
  } finally {
    await broker.stop();
  }
});
