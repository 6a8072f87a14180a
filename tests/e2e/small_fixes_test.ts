/**
 * The smaller defects of issue 12, end to end: a missing --config file, the tool count after a
 * switch, account labels inside a profile, per-account roots, the HTTP session cap, malformed
 * HTTP requests with an id, and shutdown answering calls still in flight.
 */
import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  callText,
  connectBroker,
  everythingAccount,
  fixtureAccount,
  INITIALIZE,
  post,
  runCli,
  startHttpBroker,
  writeConfig,
} from "./harness.ts";

Deno.test("serve --config naming a missing file exits 3 and says which file", async () => {
  const missing = `${await Deno.makeTempDir()}/nope/config.json`;
  const outcome = await runCli(["serve", "--config", missing]);
  assert.equal(outcome.code, 3, outcome.stderr);
  assert.match(outcome.stderr, /config file .*nope\/config\.json does not exist/);
});

Deno.test("janus_use_account reports as many tools as the list shows; profile tools name their account", async () => {
  const configPath = await writeConfig({
    accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
    profiles: { both: ["alpha", "beta"] },
  });
  const session = await connectBroker(configPath, "2025-11-25");
  try {
    const switched = await callText(session.client, "janus_use_account", { account_id: "beta" });
    const count = Number(/; (\d+) tools\./.exec(switched.text)?.[1]);
    assert.equal(count, (await session.client.listTools()).tools.length, switched.text);

    await callText(session.client, "janus_use_profile", { profile: "both" });
    const tools = (await session.client.listTools()).tools;
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    // A tool only one account has names it in title and description; one both have is listed
    // once (folded), its accounts named by its janus_account argument.
    assert.match(byName.get("only_alpha")?.title ?? "", /\(account alpha\)/);
    assert.match(byName.get("only_alpha")?.description ?? "", /^\[account alpha\] /);
    assert.match(byName.get("only_beta")?.description ?? "", /^\[account beta\] /);
    assert.equal(byName.get("whoami")?.description, "Which account this server runs as.");
    assert.deepEqual(byName.get("whoami")?.inputSchema.properties?.janus_account, {
      type: "string",
      enum: ["alpha", "beta"],
    });
    assert.equal(byName.has("beta_whoami"), false);
    // The accounts' labels are said once, by janus_whoami, not by each folded tool.
    const whoami = byName.get("janus_whoami")?.description ?? "";
    assert.equal(whoami.startsWith("[account"), false);
    assert.match(whoami, /: alpha = Fixture alpha; beta = Fixture beta\.$/);
  } finally {
    await session.close();
  }
});

// Without configured roots, an upstream's roots/list is relayed to the calling client mid-call
// (the compatibility matrix proves it); asked outside any call it is answered with no roots
// (roots_test.ts).
Deno.test("an account's roots answer roots/list, whoever is calling", async () => {
  const root = await Deno.makeTempDir({ prefix: "janus-root-" });
  const configPath = await writeConfig({
    accounts: [{ ...everythingAccount("rooted"), roots: [root] }],
    defaultAccount: "rooted",
  });
  const session = await connectBroker(configPath, "2025-11-25");
  try {
    const listed = await callText(session.client, "get-roots-list");
    assert.ok(listed.text.includes(`file://${root}`), listed.text);
    // The configured roots are the account's own: no client was asked, none could have been.
    assert.deepEqual(session.stderr.filter((line) => /rooted.*roots/i.test(line)), []);
  } finally {
    await session.close();
  }
});

Deno.test("HTTP: the session cap answers 503 with Retry-After; malformed requests get their id back", async () => {
  const broker = await startHttpBroker(
    await writeConfig({ accounts: [fixtureAccount("alpha")], limits: { maxHttpSessions: 2 } }),
  );
  try {
    for (let i = 0; i < 2; i++) {
      const ok = await post(broker.origin, INITIALIZE);
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
    }
    const refused = await post(broker.origin, INITIALIZE);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "30");
    const body = await refused.json();
    assert.equal(body.id, 1);
    assert.match(body.error.message, /too many sessions: 2 are open \(limits\.maxHttpSessions\)/);

    // An old HTTP+SSE client opens with a GET: it is told what to use instead.
    const sse = await fetch(`${broker.origin}/mcp`, { headers: { accept: "text/event-stream" } });
    assert.equal(sse.status, 400);
    assert.match((await sse.json()).error.message, /not the older HTTP\+SSE transport/);

    const malformed = await post(broker.origin, { jsonrpc: "2.0", id: "m-1", method: 42 });
    assert.equal(malformed.status, 400);
    const answer = await malformed.json();
    assert.equal(answer.id, "m-1");
    assert.equal(answer.error.code, -32600);
    assert.match(answer.error.message, /"method" must be a string/);
  } finally {
    await broker.stop();
  }
});

Deno.test("HTTP shutdown answers a 2025 call still in flight once the drain time is over", async () => {
  const broker = await startHttpBroker(await writeConfig({ accounts: [fixtureAccount("alpha")] }));
  const client = new Client({ name: "inflight", version: "1" }, { versionNegotiation: { mode: "legacy" } });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${broker.origin}/mcp`)));
  let running = () => {};
  const started = new Promise<void>((resolve) => (running = resolve));
  const pending = client.callTool({ name: "slow", arguments: { ms: 20_000 } }, {
    timeout: 120_000,
    onprogress: () => running(), // the first progress: the call is running upstream
  }).then(
    (result) => JSON.stringify(result),
    (error: Error) => `error: ${error.message}`,
  );
  await started;
  const stopped = broker.stop("SIGTERM");
  const outcome = await pending;
  assert.match(outcome, /the broker is stopping/);
  assert.equal((await stopped).code, 0);
  await client.close().catch(() => {});
});
