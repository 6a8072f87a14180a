/**
 * `serve`'s head start on every start (issue 13, cold start): each `serve` over stdio starts the
 * stdio upstreams its config file and state.json name for the default selector at its own start,
 * before loading the SDK, and the pool adopts them — the same on a second start, after an edit or
 * a change of the saved selection. Accounts whose launches make references start early too;
 * nothing is left behind on any way out. (first_start_test.ts has a config's first start.)
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { eventually, writeConfig } from "./harness.ts";
import { RawStdioBroker } from "./raw_stdio.ts";
import { pidsWithEnv, waitUntil } from "./processes.ts";
import { adopted, exists, FIXTURE, markedAccount, serveOnce, servingPid, starts } from "./early_accounts.ts";

Deno.test("the next serve starts the upstream at launch too, and that process serves the first call", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-head-" });
  const configPath = await writeConfig({ accounts: [markedAccount("alpha", marks)] });
  try {
    await serveOnce(configPath);
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
  const marks = await Deno.makeTempDir({ prefix: "janus-head-" });
  const configPath = await writeConfig({
    accounts: [markedAccount("alpha", marks), markedAccount("beta", marks)],
  });
  try {
    await serveOnce(configPath);
    // Different bytes, same meaning (the early-answer record's keys no longer match).
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

Deno.test("accounts whose launches make references, or hold a literal token, start early and are adopted", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-head-" });
  const configPath = await writeConfig({
    accounts: [
      markedAccount("plain", marks),
      {
        ...markedAccount("envref", marks),
        env: { FIXTURE_ACCOUNT: "envref", EXTRA: "${JANUS_HEAD_SECRET}" },
      },
      {
        ...markedAccount("argref", marks),
        args: [...markedAccount("argref", marks).args as string[], "${JANUS_HEAD_SECRET}"],
      },
      {
        ...markedAccount("vaulted", marks),
        env: { FIXTURE_ACCOUNT: "vaulted", HELPER: "vault:head_missing" },
      },
      {
        ...markedAccount("literal", marks),
        env: { FIXTURE_ACCOUNT: "literal", API_TOKEN: "literal-token-value" },
      },
    ],
    profiles: { all: ["plain", "envref", "argref", "vaulted", "literal"] },
  });
  await Deno.writeTextFile(
    `${dirname(configPath)}/state.json`,
    JSON.stringify({ globalSelector: { kind: "profile", name: "all" } }),
  );
  const broker = RawStdioBroker.start(configPath, {
    JANUS_HEAD_SECRET: `head-secret-${crypto.randomUUID()}`,
  });
  try {
    await broker.initialize();
    assert.ok(await waitUntil(() => adopted(broker).length === 4, 20_000), broker.stderr.join("\n"));
    for (const id of ["plain", "envref", "argref", "literal"]) {
      const [pid, ...more] = await starts(marks, id);
      assert.ok(adopted(broker).includes(pid) && more.length === 0, `${id}: started once, early`);
    }
    assert.deepEqual(await starts(marks, "vaulted"), [], "its secret is missing: never started");
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
