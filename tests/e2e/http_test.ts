/**
 * End to end over Streamable HTTP: the real broker process listening on loopback, real fixture
 * upstreams, real SDK clients at both revisions — and raw requests for the refusals.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import {
  callText,
  connectBroker,
  connectHttp,
  eventually,
  fixtureAccount,
  INITIALIZE,
  isAlive,
  post,
  rawHttpStatus,
  REVISIONS,
  runCli,
  startHttpBroker,
  writeConfig,
} from "./harness.ts";

const twoAccounts = (extra: Record<string, unknown> = {}) => ({
  accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
  ...extra,
});

Deno.test("two 2025 sessions use different accounts at once; only the switcher hears list_changed", async () => {
  const broker = await startHttpBroker(await writeConfig(twoAccounts({ bindingMode: "session" })));
  try {
    const one = await connectHttp(broker.origin, "2025-11-25");
    const two = await connectHttp(broker.origin, "2025-11-25");
    await one.client.listTools();
    await two.client.listTools();
    const switched = await callText(two.client, "janus_use_account", { account_id: "beta" });
    assert.equal(switched.isError, false, switched.text);
    assert.ok(await eventually(() => two.notifications.includes("notifications/tools/list_changed")));
    const [a, b] = await Promise.all([callText(one.client, "whoami"), callText(two.client, "whoami")]);
    assert.deepEqual([a.text, b.text], ["account:alpha", "account:beta"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(one.notifications, []);
    await one.client.close();
    await two.client.close();
  } finally {
    assert.equal((await broker.stop()).code, 0);
  }
});

Deno.test("a 2025 and a 2026 client share one endpoint; a global switch reaches both", async () => {
  const broker = await startHttpBroker(await writeConfig(twoAccounts()));
  try {
    const legacy = await connectHttp(broker.origin, "2025-11-25");
    const modern = await connectHttp(broker.origin, "2026-07-28");
    assert.equal(legacy.client.getNegotiatedProtocolVersion(), "2025-11-25");
    assert.equal(modern.client.getNegotiatedProtocolVersion(), "2026-07-28");
    await legacy.client.listTools();
    await modern.client.listTools();
    assert.equal((await callText(modern.client, "whoami")).text, "account:alpha");
    const switched = await callText(modern.client, "janus_use_account", { account_id: "beta" });
    assert.equal(switched.isError, false, switched.text);
    assert.ok(await eventually(() => legacy.notifications.includes("notifications/tools/list_changed")));
    assert.ok(await eventually(() => modern.notifications.includes("notifications/tools/list_changed")));
    assert.equal((await callText(legacy.client, "whoami")).text, "account:beta");
    assert.equal((await callText(modern.client, "whoami")).text, "account:beta");
    await legacy.client.close();
    await modern.client.close();
  } finally {
    assert.equal((await broker.stop()).code, 0);
  }
});

Deno.test("a stateless 2026 client asking for a session switch is refused with the alternatives", async () => {
  const broker = await startHttpBroker(await writeConfig(twoAccounts({ bindingMode: "session" })));
  try {
    const { client } = await connectHttp(broker.origin, "2026-07-28");
    const refused = await callText(client, "janus_use_account", { account_id: "beta" });
    assert.equal(refused.isError, true);
    assert.match(refused.text, /keeps no session.*janus_with_account.*scope "global"/);
    const oneShot = await callText(client, "janus_with_account", { account_id: "beta", tool: "whoami" });
    assert.equal(oneShot.text, "account:beta");
    assert.equal((await callText(client, "whoami")).text, "account:alpha");
    await client.close();
  } finally {
    await broker.stop();
  }
});

for (const revision of REVISIONS) {
  Deno.test(`[${revision}] progress arrives and cancellation reaches the upstream over HTTP`, async () => {
    const marks = await Deno.makeTempDir({ prefix: "janus-marks-" });
    const broker = await startHttpBroker(
      await writeConfig({
        accounts: [fixtureAccount("alpha", { env: { FIXTURE_ACCOUNT: "alpha", FIXTURE_MARK_DIR: marks } })],
      }),
    );
    try {
      const { client } = await connectHttp(broker.origin, revision);
      const seen: number[] = [];
      await client.callTool({ name: "slow", arguments: { ms: 200 } }, {
        onprogress: (p) => seen.push(p.progress),
      });
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);

      const abort = new AbortController();
      const call = client.callTool({ name: "slow", arguments: { ms: 2000 } }, { signal: abort.signal });
      await new Promise((resolve) => setTimeout(resolve, 300));
      abort.abort();
      await assert.rejects(call);
      assert.ok(
        await eventually(() => {
          try {
            Deno.statSync(`${marks}/cancelled-alpha`);
            return true;
          } catch {
            return false;
          }
        }),
        "the upstream never saw the cancellation",
      );
      await client.close();
    } finally {
      await broker.stop();
    }
  });
}

Deno.test("foreign Host and Origin headers are refused with 403", async () => {
  const broker = await startHttpBroker(await writeConfig(twoAccounts()));
  try {
    const port = new URL(broker.origin).port;
    assert.equal(await rawHttpStatus(broker.origin, "/mcp", { Host: "evil.example" }), 403);
    assert.equal(
      await rawHttpStatus(broker.origin, "/healthz", { Host: `rebind.attacker.test:${port}` }),
      403,
    );
    assert.equal(await rawHttpStatus(broker.origin, "/healthz", { Host: `localhost:${port}` }), 200);
    const origin = await post(broker.origin, INITIALIZE, { origin: "http://evil.example" });
    assert.equal(origin.status, 403);
    await origin.body?.cancel();
    const local = await post(broker.origin, INITIALIZE, { origin: "http://localhost:3000" });
    assert.equal(local.status, 200);
    await local.body?.cancel();
  } finally {
    await broker.stop();
  }
});

Deno.test("oversize, malformed and sessionless requests get clear JSON-RPC errors", async () => {
  const broker = await startHttpBroker(
    await writeConfig({ ...twoAccounts(), limits: { maxMessageBytes: 4 * 1024 * 1024 } }),
  );
  try {
    const big = await post(
      broker.origin,
      JSON.stringify({ ...INITIALIZE, padding: "x".repeat(5 * 1024 * 1024) }),
    );
    assert.equal(big.status, 413);
    assert.match((await big.json()).error.message, /of 5 MiB \(\d+ bytes\) exceeds the limit of 4 MiB/);

    const malformed = await post(broker.origin, "{not json");
    assert.equal(malformed.status, 400);
    assert.equal((await malformed.json()).error.code, -32700);

    const unknown = await post(broker.origin, { jsonrpc: "2.0", id: 2, method: "tools/list" }, {
      "mcp-session-id": "no-such-session",
      "mcp-protocol-version": "2025-11-25",
    });
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error.message, /unknown or expired session/);

    const sessionless = await post(broker.origin, { jsonrpc: "2.0", id: 3, method: "tools/list" });
    assert.equal(sessionless.status, 400);
    assert.match((await sessionless.json()).error.message, /missing Mcp-Session-Id/);

    const health = await (await fetch(`${broker.origin}/healthz`)).json();
    assert.equal(health.ok, true);
    assert.equal(health.name, "janusmcp");
    assert.equal(typeof health.uptimeSeconds, "number");
    assert.deepEqual(Object.keys(health).sort(), [
      "name",
      "ok",
      "protocolVersions",
      "uptimeSeconds",
      "version",
    ]);
  } finally {
    await broker.stop();
  }
});

Deno.test("DELETE ends a session, and idle sessions are closed after the timeout", async () => {
  const broker = await startHttpBroker(await writeConfig(twoAccounts()), ["--session-idle-timeout", "1"]);
  try {
    const open = async () => {
      const response = await post(broker.origin, INITIALIZE);
      await response.body?.cancel();
      const id = response.headers.get("mcp-session-id");
      assert.ok(id, "initialize answered without Mcp-Session-Id");
      return id;
    };
    const listWith = async (id: string) => {
      const response = await post(broker.origin, { jsonrpc: "2.0", id: 9, method: "tools/list" }, {
        "mcp-session-id": id,
        "mcp-protocol-version": "2025-11-25",
      });
      await response.body?.cancel();
      return response.status;
    };
    const ended = await open();
    const deleted = await fetch(`${broker.origin}/mcp`, {
      method: "DELETE",
      headers: { "mcp-session-id": ended, "mcp-protocol-version": "2025-11-25" },
    });
    assert.equal(deleted.status, 200);
    await deleted.body?.cancel();
    assert.equal(await listWith(ended), 404);

    const idle = await open();
    assert.equal(await listWith(idle), 200);
    assert.ok(await eventually(() => broker.stderr.some((l) => l.includes("without a request")), 8000));
    assert.equal(await listWith(idle), 404);
  } finally {
    await broker.stop();
  }
});

Deno.test("a non-loopback bind is refused without --allow-remote", async () => {
  const configPath = await writeConfig(twoAccounts());
  const output = await runCli(["--http", "--host", "0.0.0.0", "--config", configPath]);
  assert.equal(output.code, 2);
  assert.match(output.stderr, /refusing to listen on 0\.0\.0\.0.*--allow-remote/);
  await assert.rejects(() => Deno.stat(`${dirname(configPath)}/http-token`), Deno.errors.NotFound);
});

Deno.test("with --allow-remote every MCP request needs the generated bearer token", async () => {
  const configPath = await writeConfig(twoAccounts());
  const broker = await startHttpBroker(configPath, ["--host", "0.0.0.0", "--allow-remote"]);
  try {
    const tokenPath = `${dirname(configPath)}/http-token`;
    assert.equal(((await Deno.stat(tokenPath)).mode ?? -1) & 0o777, 0o600);
    const token = (await Deno.readTextFile(tokenPath)).trim();
    assert.ok(token.length >= 40);
    assert.ok(broker.stderr.every((line) => !line.includes(token)), "the token was printed");
    const local = broker.origin.replace("0.0.0.0", "127.0.0.1");

    const none = await post(local, INITIALIZE);
    assert.equal(none.status, 401);
    await none.body?.cancel();
    const wrong = await post(local, INITIALIZE, { authorization: `Bearer ${token.slice(0, -1)}x` });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();

    const { client } = await connectHttp(local, "2025-11-25", { authorization: `Bearer ${token}` });
    assert.equal((await callText(client, "whoami")).text, "account:alpha");
    await client.close();
  } finally {
    await broker.stop();
  }
});

Deno.test("SIGTERM lets a call in flight finish, closes every upstream and exits 0", async () => {
  const broker = await startHttpBroker(await writeConfig(twoAccounts()));
  const { client } = await connectHttp(broker.origin, "2025-11-25");
  const child = Number((await callText(client, "pid")).text);
  const inFlight = callText(client, "slow", { ms: 1000 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const status = broker.stop("SIGTERM");
  assert.equal((await inFlight).text, "slow done:alpha");
  assert.equal((await status).code, 0);
  assert.ok(await eventually(() => !isAlive(child)), `orphan upstream ${child}`);
  await client.close().catch(() => {});
});

Deno.test("the MCP Inspector CLI (a third-party client) lists and calls tools through the broker", async () => {
  const broker = await startHttpBroker(await writeConfig(twoAccounts()));
  const inspector = async (...args: string[]) => {
    // Run from a temp dir with no lock: the Inspector is a test tool, not a project dependency.
    const output = await new Deno.Command("deno", {
      args: [
        "run",
        "-A",
        "--no-lock",
        "--quiet",
        "npm:@modelcontextprotocol/inspector@2.12.0",
        "--cli",
        `${broker.origin}/mcp`,
        "--transport",
        "http",
        ...args,
      ],
      cwd: await Deno.makeTempDir({ prefix: "janus-inspector-" }),
      stdin: "null",
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    return JSON.parse(new TextDecoder().decode(output.stdout));
  };
  try {
    const listed = await inspector("--method", "tools/list");
    const names = listed.tools.map((t: { name: string }) => t.name);
    assert.ok(names.includes("janus_whoami") && names.includes("only_alpha"), names.join(", "));
    const called = await inspector(
      "--method",
      "tools/call",
      "--tool-name",
      "janus_with_account",
      "--tool-arg",
      "account_id=beta",
      "--tool-arg",
      "tool=whoami",
    );
    assert.equal(called.content[0].text, "account:beta");
  } finally {
    await broker.stop();
  }
});

Deno.test("--transport both serves stdio and HTTP from one routing core", async () => {
  const stdio = await connectBroker(await writeConfig(twoAccounts()), "2025-11-25", {
    args: ["--transport", "both", "--port", "0"],
  });
  try {
    assert.ok(await eventually(() => stdio.stderr.some((line) => /listening on http:/.test(line))));
    const origin = /listening on (http:\/\/\S+)\/mcp/.exec(stdio.stderr.join("\n"))?.[1];
    assert.ok(origin, stdio.stderr.join("\n"));
    const http = await connectHttp(origin, "2026-07-28");
    assert.equal((await callText(http.client, "whoami")).text, "account:alpha");
    // A global switch made over stdio is what the HTTP client now gets.
    await callText(stdio.client, "janus_use_account", { account_id: "beta" });
    assert.equal((await callText(http.client, "whoami")).text, "account:beta");
    await http.client.close();
  } finally {
    await stdio.close();
  }
});
