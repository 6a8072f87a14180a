/**
 * The launch plan (issue 13, cold start): `serve` writes the plain stdio launches of its default
 * selector beside state.json, and the next `serve` of the same config and selection starts them
 * at its own start, before loading the SDK; the pool adopts them. A plan that no longer matches
 * starts nothing, or what it starts is stopped, never adopted; nothing is left behind on any way
 * out; the plan holds no secret.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { eventually, writeConfig } from "./harness.ts";
import { RawStdioBroker } from "./raw_stdio.ts";
import { groupMembers, pidsWithEnv, waitUntil } from "./processes.ts";
import { formatPlan, planKeys, type PlannedLaunch } from "../../lib/launch_plan.ts";
import { PRODUCT } from "../../lib/version.ts";
import {
  adopted,
  exists,
  FIXTURE,
  markedAccount,
  planPath,
  serveOnce,
  servingPid,
  starts,
} from "./early_accounts.ts";

/** A plan as the broker writes it, for these config bytes and no state file. */
async function handWrittenPlan(configPath: string, launches: PlannedLaunch[]): Promise<void> {
  const keys = await planKeys(await Deno.readFile(configPath), undefined, PRODUCT.version);
  await Deno.writeTextFile(planPath(configPath), formatPlan(keys, "keychain", launches));
}

Deno.test("the next serve starts the planned upstream at launch, and that process serves the first call", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-plan-" });
  const configPath = await writeConfig({ accounts: [markedAccount("alpha", marks)] });
  try {
    await serveOnce(configPath);
    assert.ok(exists(planPath(configPath)), "a plan is written by the first serve");
    const info = Deno.statSync(planPath(configPath));
    assert.equal((info.mode ?? 0) & 0o777, 0o600);
    const leftovers = [...Deno.readDirSync(dirname(configPath))].filter((e) => e.name.endsWith(".tmp"));
    assert.deepEqual(leftovers, [], "written atomically: no temp file left");
    const before = await starts(marks, "alpha");

    const broker = RawStdioBroker.start(configPath);
    try {
      await broker.initialize();
      const pid = await servingPid(broker, "call");
      assert.deepEqual(adopted(broker), [pid], broker.stderr.join("\n"));
      assert.deepEqual(await starts(marks, "alpha"), [...before, pid], "one start, the early one");
      // What it wrote to stderr before it was adopted reaches the log as for any start.
      assert.ok(broker.stderr.includes(`janusmcp: [alpha] starting as ${pid}`), broker.stderr.join("\n"));
    } finally {
      await broker.end();
    }
  } finally {
    await Deno.remove(marks, { recursive: true });
  }
});

Deno.test("a changed config or selection starts what the files now say, and stops nothing it should not", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-plan-" });
  const configPath = await writeConfig({
    accounts: [markedAccount("alpha", marks), markedAccount("beta", marks)],
  });
  try {
    await serveOnce(configPath);
    assert.ok(exists(planPath(configPath)));
    // Different bytes, same meaning: the plan's key no longer matches; the config itself is read.
    await Deno.writeTextFile(configPath, `${await Deno.readTextFile(configPath)}\n// edited\n`);
    const alphaBefore = await starts(marks, "alpha");
    let broker = RawStdioBroker.start(configPath);
    try {
      await broker.initialize();
      const pid = await servingPid(broker, "call");
      assert.deepEqual(adopted(broker), [pid], broker.stderr.join("\n"));
      assert.deepEqual(await starts(marks, "alpha"), [...alphaBefore, pid], "started once, early");
      // Past the adoption window its upstream still serves: nothing was stopped by mistake.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      assert.equal(await servingPid(broker, "later"), pid);
      assert.ok(!broker.stderr.some((line) => line.includes("not adopted")), broker.stderr.join("\n"));
    } finally {
      await broker.end();
    }
    assert.ok(exists(planPath(configPath)));

    // The saved selection changes (as janus_use_account would): beta is the default now.
    await Deno.writeTextFile(
      `${dirname(configPath)}/state.json`,
      JSON.stringify({ globalSelector: { kind: "account", id: "beta" } }),
    );
    const alphaNow = (await starts(marks, "alpha")).length;
    broker = RawStdioBroker.start(configPath);
    try {
      await broker.initialize();
      const pid = await servingPid(broker, "call");
      assert.deepEqual(adopted(broker), [pid], broker.stderr.join("\n"));
      assert.equal((await starts(marks, "alpha")).length, alphaNow, "the old default is not started");
      assert.deepEqual(await starts(marks, "beta"), [pid], "beta started once, early");
    } finally {
      await broker.end();
    }
  } finally {
    await Deno.remove(marks, { recursive: true });
  }
});

Deno.test("references are planned as references; a credential-named literal is never planned; the plan holds no secret", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-plan-" });
  const secret = `plan-secret-${crypto.randomUUID()}`;
  const literal = `literal-token-${crypto.randomUUID()}`;
  const plain = markedAccount("plain", marks);
  const configPath = await writeConfig({
    accounts: [
      plain,
      {
        ...markedAccount("envref", marks),
        env: { FIXTURE_ACCOUNT: "envref", EXTRA: "${JANUS_PLAN_SECRET}" },
      },
      { ...markedAccount("argref", marks), args: ["-c", `exec ${FIXTURE} --x=\${JANUS_PLAN_SECRET}`] },
      {
        ...markedAccount("vaulted", marks),
        env: { FIXTURE_ACCOUNT: "vaulted", HELPER: "vault:plan_missing" },
      },
      { ...markedAccount("literal", marks), env: { FIXTURE_ACCOUNT: "literal", API_TOKEN: literal } },
    ],
    profiles: { all: ["plain", "envref", "argref", "vaulted", "literal"] },
  });
  await Deno.writeTextFile(
    `${dirname(configPath)}/state.json`,
    JSON.stringify({ globalSelector: { kind: "profile", name: "all" } }),
  );
  try {
    await serveOnce(configPath, { JANUS_PLAN_SECRET: secret });
    const text = await Deno.readTextFile(planPath(configPath));
    const plan = JSON.parse(text) as { launches: { account: string }[] };
    assert.deepEqual(plan.launches.map((l) => l.account), ["plain", "envref", "argref", "vaulted"]);
    for (const banned of [secret, literal, "API_TOKEN", "HOME", "PATH"]) {
      assert.ok(!text.includes(banned), `the plan mentions ${banned}`);
    }
  } finally {
    await Deno.remove(marks, { recursive: true });
  }
});

Deno.test("a planned launch that no longer matches the account is started, then stopped, never adopted", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-plan-" });
  const account = markedAccount("alpha", marks);
  const configPath = await writeConfig({ accounts: [account] });
  // What a plan would say if the account's command had been different: another mark file.
  const stale = markedAccount("alpha", marks, "stale");
  await handWrittenPlan(configPath, [{
    account: "alpha",
    command: "sh",
    args: stale.args as string[],
    env: { FIXTURE_ACCOUNT: "alpha" },
  }]);
  const broker = RawStdioBroker.start(configPath);
  try {
    assert.ok(await eventually(() => exists(`${marks}/started-stale`), 20_000), "the stale launch starts");
    const [stalePid] = await starts(marks, "stale");
    await broker.initialize();
    const pid = await servingPid(broker, "call");
    assert.notEqual(pid, stalePid);
    assert.deepEqual(adopted(broker), []);
    assert.deepEqual(await starts(marks, "alpha"), [pid]);
    assert.ok(
      await waitUntil(() => groupMembers(Number(stalePid)).length === 0, 15_000),
      "the stale one stops",
    );
    assert.ok(broker.stderr.some((line) => line.includes("not adopted (alpha)")), broker.stderr.join("\n"));
    assert.equal(
      await servingPid(broker, "again"),
      pid,
      "the adopted-by-nobody stop left the real one alone",
    );
  } finally {
    await broker.end();
    await Deno.remove(marks, { recursive: true });
  }
});

/** A fixture behind `sh` that ignores SIGTERM and leaves a background grandchild in its group. */
function stubbornAccount(tag: string, mark: string): Record<string, unknown> {
  return {
    id: "stubborn",
    service: "fixture",
    command: "sh",
    args: ["-c", `touch "$MARK"; trap "" TERM; (sleep 600 &); exec ${FIXTURE}`],
    env: { FIXTURE_ACCOUNT: "stubborn", JANUS_TEST_TAG: tag, MARK: mark },
  };
}

for (const how of ["eof", "SIGTERM", "SIGINT"] as const) {
  Deno.test(`a broker ended by ${how} right after launch leaves none of its early processes behind`, async () => {
    const tag = crypto.randomUUID();
    const mark = `${await Deno.makeTempDir()}/started`;
    const account = stubbornAccount(tag, mark);
    const configPath = await writeConfig({ accounts: [account] });
    await handWrittenPlan(configPath, [{
      account: "stubborn",
      command: "sh",
      args: account.args as string[],
      env: account.env as Record<string, string>,
    }]);
    const broker = RawStdioBroker.start(configPath);
    try {
      assert.ok(await eventually(() => exists(mark), 20_000), "started at launch");
      if (how === "eof") await broker.end();
      else Deno.kill(broker.child.pid, how);
      const status = await broker.child.status;
      assert.ok(
        await waitUntil(() => pidsWithEnv("JANUS_TEST_TAG", tag).length === 0, 15_000),
        `left: ${pidsWithEnv("JANUS_TEST_TAG", tag)} (exit ${status.code}); stderr:\n${
          broker.stderr.join("\n")
        }`,
      );
    } finally {
      await broker.end().catch(() => {});
      await Deno.remove(dirname(mark), { recursive: true });
    }
  });
}
