/**
 * Early starts of accounts whose launch makes references (issue 13, cold start): a `vault:` token
 * read from the real OS keychain and a `${ENV}` one are resolved by the CLI's entry when it starts
 * the process, the pool adopts it (one process), the broker redacts the value from results as for
 * any start, and no file beside the config holds it. A missing secret starts nothing
 * early and gives the usual error; an `oauth:` account is never started early.
 */
import assert from "node:assert/strict";
import { keychainTest } from "../secrets/secret_service.ts";
import { dirname } from "node:path";
import { runCli } from "./harness.ts";
import { RawStdioBroker } from "./raw_stdio.ts";
import {
  adopted,
  type FreshConfig,
  freshConfig,
  markedAccount,
  servingPid,
  starts,
} from "./early_accounts.ts";

/** Every form of a canary that must never appear in a file. */
function forms(secret: string): string[] {
  const base64 = btoa(String.fromCharCode(...new TextEncoder().encode(secret)));
  return [secret, base64, base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")];
}

/** The text of a tools/call result (or its error), as the client sees it. */
async function callText(broker: RawStdioBroker, id: string, name: string, args: unknown = {}) {
  await broker.send({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
  return JSON.stringify(await broker.response(id));
}

/** Every file under a directory, as text. */
async function filesUnder(dir: string): Promise<string[]> {
  const texts: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) texts.push(await Deno.readTextFile(`${dir}/${entry.name}`));
  }
  return texts;
}

/** A fresh config of these accounts (see `freshConfig`). */
function fresh(accounts: (marks: string) => Record<string, unknown>[]): Promise<FreshConfig> {
  return freshConfig((marks) => ({ accounts: accounts(marks) }));
}

/** One serve: its early process adopted and serving, `check` run on it, then ended. */
async function serveAdopted(
  configPath: string,
  marks: string,
  id: string,
  env: Record<string, string>,
  check: (broker: RawStdioBroker) => Promise<void>,
): Promise<void> {
  const broker = RawStdioBroker.start(configPath, env);
  try {
    await broker.initialize();
    const before = (await starts(marks, id)).length;
    const pid = await servingPid(broker, "pid");
    assert.deepEqual(adopted(broker), [pid], broker.stderr.join("\n"));
    const all = await starts(marks, id);
    assert.equal(all.at(-1), pid, "the early process serves");
    assert.equal(all.length, before, "no second start");
    await check(broker);
  } finally {
    await broker.end();
  }
}

keychainTest(
  "a vault: token account starts at launch, is adopted, its token redacted and in no file",
  async () => {
    const name = `early_${crypto.randomUUID().slice(0, 8)}`;
    const secret = `ghp_early+/=${crypto.randomUUID()}`;
    const token = { GITHUB_PERSONAL_ACCESS_TOKEN: `vault:${name}` };
    await using setup = await fresh((marks) => [
      { ...markedAccount("gh", marks), env: { FIXTURE_ACCOUNT: "gh", ...token } },
    ]);
    const set = await runCli(["vault", "set", name, "--config", setup.configPath], { stdin: `${secret}\n` });
    assert.equal(set.code, 0, set.stderr);
    const check = async (broker: RawStdioBroker) => {
      const echoed = await callText(broker, "echo", "env_value", { name: "GITHUB_PERSONAL_ACCESS_TOKEN" });
      assert.ok(echoed.includes(`[redacted:${name}]`), echoed);
      for (const form of forms(secret)) assert.ok(!echoed.includes(form), "the token reached the client");
    };
    try {
      // The first start, then the next (with the early answers the first one wrote).
      await serveAdopted(setup.configPath, setup.marks, "gh", {}, check);
      await serveAdopted(setup.configPath, setup.marks, "gh", {}, check);
      assert.equal((await starts(setup.marks, "gh")).length, 2, "one process per serve");
      for (const text of await filesUnder(dirname(setup.configPath))) {
        for (const form of forms(secret)) assert.ok(!text.includes(form), `a file holds the token: ${text}`);
      }
    } finally {
      await runCli(["vault", "delete", name, "--config", setup.configPath]);
    }
  },
);

keychainTest("a missing vault secret starts nothing early and gives the usual error", async () => {
  const name = `early_missing_${crypto.randomUUID().slice(0, 8)}`;
  await using setup = await fresh((marks) => [
    { ...markedAccount("gh", marks), env: { FIXTURE_ACCOUNT: "gh", GITHUB_TOKEN: `vault:${name}` } },
  ]);
  const broker = RawStdioBroker.start(setup.configPath);
  try {
    await broker.initialize();
    const reply = await callText(broker, "pid", "pid");
    assert.match(`${reply}\n${broker.stderr.join("\n")}`, new RegExp(`secret vault:${name} is not set`));
    assert.deepEqual(adopted(broker), []);
    assert.deepEqual(await starts(setup.marks, "gh"), [], "never started");
  } finally {
    await broker.end();
  }
});

Deno.test("a ${ENV} token account starts at launch, is adopted, and its token is redacted", async () => {
  const secret = `env-token-${crypto.randomUUID()}`;
  await using setup = await fresh((marks) => [
    {
      ...markedAccount("envref", marks),
      env: { FIXTURE_ACCOUNT: "envref", API_TOKEN: "${JANUS_EARLY_TOKEN}" },
    },
  ]);
  const env = { JANUS_EARLY_TOKEN: secret };
  await serveAdopted(setup.configPath, setup.marks, "envref", env, async (broker) => {
    const echoed = await callText(broker, "echo", "env_value", { name: "API_TOKEN" });
    assert.ok(echoed.includes("[redacted:JANUS_EARLY_TOKEN]"), echoed);
    assert.ok(!echoed.includes(secret), "the token reached the client");
  });
  for (const text of await filesUnder(dirname(setup.configPath))) {
    assert.ok(!text.includes(secret), `a file holds the token: ${text}`);
  }
});

Deno.test("an unset ${ENV} variable starts nothing early and gives the usual error", async () => {
  await using setup = await fresh((marks) => [
    {
      ...markedAccount("envref", marks),
      env: { FIXTURE_ACCOUNT: "envref", API_TOKEN: "${JANUS_EARLY_UNSET}" },
    },
  ]);
  const broker = RawStdioBroker.start(setup.configPath);
  try {
    await broker.initialize();
    const reply = await callText(broker, "pid", "pid");
    assert.match(
      `${reply}\n${broker.stderr.join("\n")}`,
      /\$\{JANUS_EARLY_UNSET\}, but that environment variable/,
    );
    assert.deepEqual(await starts(setup.marks, "envref"), [], "never started");
  } finally {
    await broker.end();
  }
});

Deno.test("an oauth: account is not started early", async () => {
  await using setup = await fresh((marks) => [
    { ...markedAccount("oa", marks), env: { FIXTURE_ACCOUNT: "oa", API_TOKEN: "oauth:early_login" } },
  ]);
  const broker = RawStdioBroker.start(setup.configPath);
  try {
    await broker.initialize();
    await callText(broker, "pid", "pid");
    assert.deepEqual(adopted(broker), [], broker.stderr.join("\n"));
    assert.deepEqual(await starts(setup.marks, "oa"), [], "no login: never started, early or late");
  } finally {
    await broker.end();
  }
});
