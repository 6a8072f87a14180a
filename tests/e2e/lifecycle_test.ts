/**
 * Upstream lifecycle, end to end with real processes: restart backoff after crashes, per-call
 * timeouts that cancel upstream, idle close with lazy reopen, keepWarm, and killing an upstream
 * mid-call.
 */
import assert from "node:assert/strict";
import { callText, connectBroker, fixtureAccount, isAlive, REVISIONS, writeConfig } from "./harness.ts";
import { pidsWithEnv, waitUntil } from "./processes.ts";

Deno.test("crashes restart on the next call, then with growing backoff and a clear 'retry in N s'", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  const session = await connectBroker(configPath, "2025-11-25");
  try {
    await session.client.callTool({ name: "crash", arguments: {} }).catch(() => {});
    // First crash: the next call restarts at once.
    assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
    await session.client.callTool({ name: "crash", arguments: {} }).catch(() => {});
    await waitUntil(() => session.stderr.some((l) => /closed \(2 times in a row\)/.test(l)));
    const waiting = await callText(session.client, "whoami");
    assert.equal(waiting.isError, true);
    assert.match(waiting.text, /account "alpha": its upstream is restarting, retry in 1 s/);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
    assert.ok(
      session.stderr.some((l) => /\[alpha\] restarting its upstream/.test(l)),
      session.stderr.join("\n"),
    );
  } finally {
    await session.close();
  }
});

Deno.test("a call over its account's timeout fails with the limit named, and the upstream hears the cancellation", async () => {
  const marks = await Deno.makeTempDir();
  const configPath = await writeConfig({
    accounts: [fixtureAccount("alpha", {
      env: { FIXTURE_ACCOUNT: "alpha", FIXTURE_MARK_DIR: marks },
      callTimeoutSeconds: 1,
    })],
    upstreams: { callTimeoutSeconds: 3600 },
  });
  const session = await connectBroker(configPath, "2025-11-25");
  try {
    const result = await callText(session.client, "slow", { ms: 5000 });
    assert.equal(result.isError, true);
    assert.match(result.text, /tools\/call timed out after 1 s \(callTimeoutSeconds\)/);
    assert.ok(
      await waitUntil(() => {
        try {
          return Deno.statSync(`${marks}/cancelled-alpha`).isFile;
        } catch {
          return false;
        }
      }, 5000),
      "the upstream never saw the cancellation",
    );
    assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
  } finally {
    await session.close();
  }
});

Deno.test("an idle upstream is closed and reopened on the next call; a keepWarm one starts at once and stays", async () => {
  const tag = crypto.randomUUID();
  const configPath = await writeConfig({
    accounts: [
      fixtureAccount("sleepy", { env: { FIXTURE_ACCOUNT: "sleepy", JANUS_TEST_TAG: `sleepy-${tag}` } }),
      fixtureAccount("warm", {
        env: { FIXTURE_ACCOUNT: "warm", JANUS_TEST_TAG: `warm-${tag}` },
        keepWarm: true,
      }),
    ],
    upstreams: { idleCloseSeconds: 1 },
    defaultAccount: "sleepy",
  });
  const session = await connectBroker(configPath, "2025-11-25");
  try {
    // keepWarm: running before any call reached it.
    assert.ok(
      await waitUntil(() => pidsWithEnv("JANUS_TEST_TAG", `warm-${tag}`).length > 0),
      "warm never started",
    );
    const first = Number((await callText(session.client, "pid")).text);
    assert.ok(await waitUntil(() => !isAlive(first), 8000), "the idle upstream was not closed");
    assert.ok(session.stderr.some((l) => /\[sleepy\] idle: upstream closed/.test(l)));
    const second = Number((await callText(session.client, "pid")).text);
    assert.notEqual(second, first);
    assert.ok(pidsWithEnv("JANUS_TEST_TAG", `warm-${tag}`).length > 0, "keepWarm was closed for idleness");
  } finally {
    await session.close();
  }
});

Deno.test("an upstream reopened after an idle close with other tools tells the sessions using it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-idle-" });
  const toolsFile = `${dir}/tools.txt`;
  await Deno.writeTextFile(toolsFile, "before_close\n");
  const fixture = fixtureAccount("sleepy", {
    env: { FIXTURE_ACCOUNT: "sleepy", FIXTURE_TOOLS_FILE: toolsFile },
  });
  const configPath = await writeConfig({
    accounts: [{ ...fixture, args: ["run", "--allow-read", ...(fixture.args as string[]).slice(1)] }],
    upstreams: { idleCloseSeconds: 1 },
  });
  for (const revision of REVISIONS) {
    await Deno.writeTextFile(toolsFile, "before_close\n");
    const session = await connectBroker(configPath, revision);
    try {
      const names = async () => (await session.client.listTools()).tools.map((tool) => tool.name);
      assert.ok((await names()).includes("before_close"));
      const first = Number((await callText(session.client, "pid")).text);
      // The upstream is closed for idleness; meanwhile its tool list changes.
      await Deno.writeTextFile(toolsFile, "after_reopen\n");
      assert.ok(await waitUntil(() => !isAlive(first), 8000), "the idle upstream was not closed");
      const heard = session.notifications.length;
      // Any call reopens it; its tools are listed again to route the call, and differ.
      assert.equal((await callText(session.client, "whoami")).text, "account:sleepy");
      assert.ok(
        await waitUntil(() =>
          session.notifications.slice(heard).includes("notifications/tools/list_changed")
        ),
        `${revision}: no tools/list_changed after the reopen; heard ${session.notifications.slice(heard)}`,
      );
      const now = await names();
      assert.ok(now.includes("after_reopen") && !now.includes("before_close"), now.join(", "));
    } finally {
      await session.close();
    }
  }
});

Deno.test("an upstream killed mid-call fails that call at once; the next call restarts it", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  const session = await connectBroker(configPath, "2025-11-25");
  try {
    const pid = Number((await callText(session.client, "pid")).text);
    const pending = callText(session.client, "slow", { ms: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    Deno.kill(pid, "SIGKILL");
    const result = await pending;
    assert.equal(result.isError, true);
    assert.match(result.text, /went away during the call/);
    const again = Number((await callText(session.client, "pid")).text);
    assert.notEqual(again, pid);
  } finally {
    await session.close();
  }
});
