/**
 * End to end: the broker's life and its upstreams' — exit without orphans, dead and crashing
 * upstreams, persisted choices, a missing config, and a real third-party upstream from npm.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import {
  callText,
  connectBroker,
  eventually,
  everythingAccount,
  fixtureAccount,
  isAlive,
  janusmcpArgs,
  REPO,
  REVISIONS,
  writeConfig,
} from "./harness.ts";

const pidOf = async (
  session: Awaited<ReturnType<typeof connectBroker>>,
  tool: string,
  args: Record<string, unknown> = {},
) => Number((await callText(session.client, tool, args)).text);

Deno.test("no upstream child survives the broker when the client closes stdin", async () => {
  const session = await connectBroker(
    await writeConfig({
      accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
      profiles: { both: ["alpha", "beta"] },
    }),
    "2025-11-25",
  );
  await callText(session.client, "janus_use_profile", { profile: "both" });
  const children = [
    await pidOf(session, "pid", { janus_account: "alpha" }),
    await pidOf(session, "pid", { janus_account: "beta" }),
  ];
  assert.ok(children.every((pid) => pid > 0 && isAlive(pid)), `children not running: ${children}`);
  await session.close();
  assert.ok(await eventually(() => !isAlive(session.pid), 10_000), "broker still running");
  assert.ok(await eventually(() => children.every((pid) => !isAlive(pid)), 10_000), `orphans: ${children}`);
});

Deno.test("SIGTERM closes every upstream and the broker exits 0", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  const broker = new Deno.Command("deno", {
    args: janusmcpArgs("--config", configPath),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = broker.stdin.getWriter();
  const send = (message: unknown) => writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  const reader = broker.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const nextMessage = async (): Promise<Record<string, unknown>> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("broker closed stdout");
      buffered += value;
    }
    const line = buffered.slice(0, buffered.indexOf("\n"));
    buffered = buffered.slice(line.length + 1);
    return JSON.parse(line);
  };
  await send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });
  assert.equal((await nextMessage()).id, 1);
  await send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "pid", arguments: {} } });
  const reply = await nextMessage();
  const child = Number((reply.result as { content: { text: string }[] }).content[0].text);
  assert.ok(isAlive(child));

  broker.kill("SIGTERM");
  const status = await broker.status;
  assert.equal(status.code, 0);
  assert.ok(await eventually(() => !isAlive(child), 10_000), `orphan ${child}`);
  reader.releaseLock();
  await broker.stdout.cancel().catch(() => {});
  await writer.close().catch(() => {});
  await broker.stderr.cancel();
});

for (const revision of REVISIONS) {
  Deno.test(`[${revision}] a dead upstream fails only its own account, with a clear error`, async () => {
    const session = await connectBroker(
      await writeConfig({
        accounts: [
          { id: "broken", service: "fixture", command: "/nonexistent/janus-upstream", args: ["--x"] },
          fixtureAccount("alpha"),
        ],
        bindingMode: "session",
      }),
      revision,
    );
    try {
      // The default (first) account cannot start: the control tools stay usable.
      const names = (await session.client.listTools()).tools.map((t) => t.name);
      assert.deepEqual(names.filter((n) => !n.startsWith("janus_")), []);
      const refused = await callText(session.client, "janus_use_account", { account_id: "broken" });
      assert.equal(refused.isError, true);
      assert.match(refused.text, /could not switch to account "broken": account "broken": could not connect/);
      assert.match(refused.text, /\/nonexistent\/janus-upstream/);
      const oneShot = await callText(session.client, "janus_with_account", { account_id: "broken" });
      assert.equal(oneShot.isError, true);
      assert.match(oneShot.text, /account "broken"/);
      // Another account keeps working.
      assert.equal(
        (await callText(session.client, "janus_use_account", { account_id: "alpha" })).isError,
        false,
      );
      assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
      const listed = JSON.parse((await callText(session.client, "janus_list_accounts")).text);
      const broken = listed.accounts.find((a: { id: string }) => a.id === "broken");
      assert.equal(broken.upstream.state, "failed");
      assert.ok(session.stderr.some((line) => line.includes("[broken]")), session.stderr.join("\n"));
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] an upstream that crashes mid-call is reported and restarted on the next call`, async () => {
    const session = await connectBroker(await writeConfig({ accounts: [fixtureAccount("alpha")] }), revision);
    try {
      const before = Number((await callText(session.client, "pid")).text);
      const crashed = await callText(session.client, "crash");
      assert.equal(crashed.isError, true);
      assert.match(crashed.text, /account "alpha": tools\/call failed: its upstream went away/);
      assert.ok(await eventually(() => !isAlive(before)));
      const after = Number((await callText(session.client, "pid")).text);
      assert.notEqual(after, before);
      assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
    } finally {
      await session.close();
    }
  });
}

Deno.test("a global switch is persisted to state.json (0600) and survives a restart", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha"), fixtureAccount("beta")] });
  const first = await connectBroker(configPath, "2025-11-25");
  try {
    const switched = JSON.parse(
      (await callText(first.client, "janus_use_account", { account_id: "beta" })).text,
    );
    assert.equal(switched.scope, "global");
  } finally {
    await first.close();
  }
  const statePath = `${dirname(configPath)}/state.json`;
  assert.deepEqual(JSON.parse(await Deno.readTextFile(statePath)), {
    globalSelector: { kind: "account", id: "beta" },
  });
  assert.equal(((await Deno.stat(statePath)).mode ?? -1) & 0o777, 0o600);

  const second = await connectBroker(configPath, "2026-07-28");
  try {
    const whoami = JSON.parse((await callText(second.client, "janus_whoami")).text);
    assert.deepEqual(whoami.selector, { kind: "account", id: "beta" });
    assert.match(whoami.because, /global choice/);
    assert.equal((await callText(second.client, "whoami")).text, "account:beta");
  } finally {
    await second.close();
  }
});

Deno.test("session mode: a session switch leaves the global choice and state file alone", async () => {
  const configPath = await writeConfig({
    accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
    bindingMode: "session",
  });
  const session = await connectBroker(configPath, "2025-11-25");
  try {
    const switched = JSON.parse(
      (await callText(session.client, "janus_use_account", { account_id: "beta" })).text,
    );
    assert.equal(switched.scope, "session");
    assert.equal((await callText(session.client, "whoami")).text, "account:beta");
  } finally {
    await session.close();
  }
  await assert.rejects(() => Deno.stat(`${dirname(configPath)}/state.json`), Deno.errors.NotFound);
});

Deno.test("global mode refuses a session-scoped switch and explains the binding mode", async () => {
  const session = await connectBroker(
    await writeConfig({ accounts: [fixtureAccount("alpha"), fixtureAccount("beta")] }),
    "2025-11-25",
  );
  try {
    const refused = await callText(session.client, "janus_use_account", {
      account_id: "beta",
      scope: "session",
    });
    assert.equal(refused.isError, true);
    assert.match(refused.text, /bindingMode is "global"/);
    assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
  } finally {
    await session.close();
  }
});

Deno.test("a missing config file boots with the control tools only and says so on stderr", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-e2e-" });
  // Located through JANUS_CONFIG: a file named with --config must exist (see small_fixes_test.ts).
  const session = await connectBroker("", "2025-11-25", { env: { JANUS_CONFIG: `${dir}/config.json` } });
  try {
    const names = (await session.client.listTools()).tools.map((t) => t.name);
    assert.ok(names.every((n) => n.startsWith("janus_")) && names.length === 6);
    const listed = JSON.parse((await callText(session.client, "janus_list_accounts")).text);
    assert.deepEqual(listed.accounts, []);
    assert.match(listed.hint, /No accounts are configured/);
    assert.ok(
      session.stderr.some((l) => l.includes(`no config file at ${dir}/config.json`)),
      session.stderr.join("\n"),
    );
  } finally {
    await session.close();
  }
  // Nothing was written next to the missing config.
  assert.deepEqual([...Deno.readDirSync(dir)], []);
});

Deno.test("a real third-party upstream (npm server-everything) works through the broker", async () => {
  const everything = (id: string) => everythingAccount(id, { JANUS_CANARY: `canary-of-${id}` });
  const session = await connectBroker(
    await writeConfig({ accounts: [everything("ev1"), everything("ev2")] }),
    "2026-07-28",
  );
  try {
    const names = (await session.client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes("echo") && names.includes("get-env"), names.join(", "));
    assert.equal((await callText(session.client, "echo", { message: "hello" })).text, "Echo: hello");
    // Each account's upstream runs with its own environment: get-env shows which one answered.
    assert.match((await callText(session.client, "get-env")).text, /canary-of-ev1/);
    await callText(session.client, "janus_use_account", { account_id: "ev2" });
    const env2 = (await callText(session.client, "get-env")).text;
    assert.match(env2, /canary-of-ev2/);
    assert.doesNotMatch(env2, /canary-of-ev1/);
  } finally {
    await session.close();
  }
});

Deno.test("a remote upstream over Streamable HTTP (server-everything) works as an account, headers resolved", async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const remote = new Deno.Command("deno", {
    args: [
      "run",
      "-A",
      "--quiet",
      `--config=${REPO}deno.json`,
      "npm:@modelcontextprotocol/server-everything@2026.8.31",
      "streamableHttp",
    ],
    env: { PORT: String(port) },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    // Ready once it answers HTTP at all.
    const listening = async () => {
      try {
        await (await fetch(`http://127.0.0.1:${port}/`)).body?.cancel();
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 20_000;
    while (!(await listening())) {
      assert.ok(Date.now() < deadline, "server-everything did not start listening");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const session = await connectBroker(
      await writeConfig({
        accounts: [{
          id: "remote",
          service: "everything",
          transport: "http",
          url: `http://127.0.0.1:\${EVERYTHING_PORT}/mcp`,
          headers: { "X-Janus-Test": "${EVERYTHING_PORT}" },
        }],
      }),
      "2026-07-28",
      { env: { EVERYTHING_PORT: String(port) } },
    );
    try {
      assert.equal(
        (await callText(session.client, "echo", { message: "over http" })).text,
        "Echo: over http",
      );
      const listed = JSON.parse((await callText(session.client, "janus_list_accounts")).text);
      assert.deepEqual(listed.accounts[0].upstream, { state: "connected" });
    } finally {
      await session.close();
    }
  } finally {
    remote.kill("SIGTERM");
    await remote.status;
  }
});
