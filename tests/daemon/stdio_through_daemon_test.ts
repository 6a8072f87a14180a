/**
 * A stdio broker started with JANUS_DAEMON=auto relays a 2025-11-25 client to the daemon: warm
 * upstreams shared with every other client, while its own session keeps its own identity and
 * list_changed. A 2026-07-28 client is served in-process.
 */
import assert from "node:assert/strict";
import { agentFixture, freePort, spawnCli } from "../e2e/agent_cli_helpers.ts";
import { callText, connectBroker, eventually, isAlive } from "../e2e/harness.ts";

Deno.test("stdio brokers with JANUS_DAEMON=auto share the daemon's upstreams and keep their own sessions", async () => {
  const f = await agentFixture({ bindingMode: "session" });
  const port = String(freePort());
  const env = { JANUS_DAEMON: "auto", JANUS_STATE_DIR: f.stateDir, JANUS_DAEMON_PORT: port };
  try {
    const started = await f.cli(["daemon", "start"], { env: { JANUS_DAEMON_PORT: port } });
    assert.equal(started.code, 0, started.stderr);
    let viaCli = "";
    const asked: string[] = [];
    const one = await connectBroker(f.configPath, "2025-11-25", {
      env,
      client: { capabilities: { elicitation: { form: {} } } },
      setup: (client) =>
        client.setRequestHandler("elicitation/create", (request) => {
          asked.push(request.params.message);
          return { action: "accept", content: { name: "Ann" } };
        }),
    });
    const two = await connectBroker(f.configPath, "2025-11-25", { env });
    try {
      // The fixture speaks both revisions: the 2025 clients get the daemon's 2025 connection (see
      // lib/upstream/revisions.ts), and a CLI call, which needs no revision, reuses the one open.
      const viaOne = (await callText(one.client, "pid")).text;
      viaCli = (await f.cli(["call", "pid", "--daemon"], { env: { JANUS_DAEMON_PORT: port } })).stdout.trim();
      assert.equal(viaCli, viaOne, "the daemon's upstream, not a new one");
      assert.equal((await callText(two.client, "pid")).text, viaOne);
      assert.ok(
        one.stderr.some((line) => line.includes("serving through the daemon")),
        one.stderr.join("\n"),
      );

      // Each stdio client is its own session on the daemon: a session switch stays with it.
      await one.client.listTools();
      const switched = await callText(one.client, "janus_use_account", { account_id: "a2" });
      assert.equal(switched.isError, false, switched.text);
      assert.equal((await callText(one.client, "whoami")).text, "account:a2");
      assert.equal((await callText(two.client, "whoami")).text, "account:a1");
      assert.ok(
        await eventually(() => one.notifications.includes("notifications/tools/list_changed")),
        `list_changed reached the switching client: ${one.notifications}`,
      );
      assert.equal(two.notifications.includes("notifications/tools/list_changed"), false);

      // A question the upstream asks mid-call reaches this client through the relay, and back.
      const answered = await callText(one.client, "ask_name");
      assert.match(answered.text, /^hello Ann from a2/, answered.text);
      assert.deepEqual(asked, ["Your name?"]);
    } finally {
      await one.close();
      await two.close();
    }
    assert.ok(await eventually(() => !isAlive(one.pid) && !isAlive(two.pid)), "the relays ended with stdin");

    // A 2026-07-28 client is served in-process: an upstream of its own.
    const modern = await connectBroker(f.configPath, "2026-07-28", { env });
    try {
      assert.notEqual((await callText(modern.client, "pid")).text, viaCli);
      assert.ok(
        modern.stderr.some((line) => line.includes("serving it in-process")),
        modern.stderr.join("\n"),
      );
    } finally {
      await modern.close();
    }
  } finally {
    await f.cli(["daemon", "stop"], { env: { JANUS_DAEMON_PORT: port } });
    await f.cleanup();
  }
});

Deno.test("a stdio broker with JANUS_DAEMON=require and no daemon exits 5", async () => {
  const f = await agentFixture();
  try {
    const child = spawnCli(["serve", "--config", f.configPath], {
      JANUS_DAEMON: "require",
      JANUS_STATE_DIR: f.stateDir,
    });
    const output = await child.output();
    assert.equal(output.code, 5);
    assert.match(new TextDecoder().decode(output.stderr), /cannot use the daemon: none is running/);
    assert.equal(output.stdout.length, 0, "stdout carries MCP frames only");
  } finally {
    await f.cleanup();
  }
});
