/**
 * An idle `serve --http` (issue 13, idle memory): listening, config read, no request yet — it has
 * loaded neither MCP SDK, nor the broker, transport or OAuth code. The modules a process loaded
 * are read from its inspector (every script V8 parsed). Its first session then works at both
 * revisions, and so does the first upstream it starts.
 */
import assert from "node:assert/strict";
import {
  callText,
  connectHttp,
  eventually,
  fixtureAccount,
  REPO,
  REVISIONS,
  startHttpBroker,
  writeConfig,
} from "./harness.ts";
import { StderrLines } from "../../lib/upstream/stderr_lines.ts";
import { inspectableServeArgs, inspectorUrl, loadedScripts } from "./inspector.ts";

/** `serve --http` with the inspector on: its /mcp origin, its inspector URL, and how to stop it. */
async function startInspectable(configPath: string) {
  const child = new Deno.Command("deno", {
    args: inspectableServeArgs(configPath, ["--http", "--port", "0"]),
    cwd: REPO,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let inspector = "";
  const origin = await new Promise<string>((resolve, reject) => {
    (async () => {
      const lines = new StderrLines((line) => {
        inspector ||= inspectorUrl(line) ?? "";
        const listening = /listening on (http:\/\/\S+)\/mcp/.exec(line);
        if (listening) resolve(listening[1]);
      });
      for await (const chunk of child.stderr) lines.push(chunk);
      lines.end();
      reject(new Error("the broker exited before listening"));
    })();
  });
  return {
    origin,
    inspector,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

const HEAVY = /@modelcontextprotocol\/|\/lib\/(broker|transport|oauth)\//;
const CLIENT_SDK = /@modelcontextprotocol\/client/;

for (const revision of REVISIONS) {
  Deno.test(`an idle serve --http loads no SDK; its first session and first upstream work (${revision})`, async () => {
    const accounts = Array.from({ length: 5 }, (_, i) => fixtureAccount(`acct${i}`));
    const broker = await startInspectable(await writeConfig({ accounts }));
    let client: Awaited<ReturnType<typeof connectHttp>>["client"] | undefined;
    try {
      const idle = await loadedScripts(broker.inspector);
      assert.deepEqual(idle.filter((url) => HEAVY.test(url)), [], "loaded while idle");
      assert.ok(
        idle.some((url) => url.endsWith("/lib/cli/main.ts")),
        "the inspector saw the broker's own modules",
      );

      ({ client } = await connectHttp(broker.origin, revision));
      const session = await loadedScripts(broker.inspector);
      assert.ok(session.some((url) => HEAVY.test(url)), "the first session loads the broker and the SDK");
      assert.deepEqual(session.filter((url) => CLIENT_SDK.test(url)), [], "no upstream yet, no client SDK");
      const tools = await client.listTools();
      assert.ok(tools.tools.some((tool) => tool.name === "janus_use_account"));

      const used = await callText(client, "janus_use_account", { account_id: "acct3" });
      assert.equal(used.isError, false, used.text);
      const whoami = await callText(client, "whoami");
      assert.equal(whoami.isError, false, whoami.text);
      assert.match(whoami.text, /acct3/);
      assert.ok((await loadedScripts(broker.inspector)).some((url) => CLIENT_SDK.test(url)));
    } finally {
      await client?.close().catch(() => {});
      await broker.stop();
    }
  });
}

Deno.test("a config edit made while serve --http is idle is what its first session is served", async () => {
  const path = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  const broker = await startHttpBroker(path);
  const reloaded = () => broker.stderr.some((line) => /config: reloaded .*added beta/.test(line));
  let client: Awaited<ReturnType<typeof connectHttp>>["client"] | undefined;
  try {
    await Deno.writeTextFile(
      path,
      JSON.stringify({ accounts: [fixtureAccount("alpha"), fixtureAccount("beta")] }),
    );
    assert.ok(await eventually(reloaded), broker.stderr.join("\n"));
    ({ client } = await connectHttp(broker.origin, "2025-11-25"));
    const listed = JSON.parse((await callText(client, "janus_list_accounts")).text);
    assert.deepEqual(listed.accounts.map((a: { id: string }) => a.id), ["alpha", "beta"]);
    assert.equal((await callText(client, "janus_use_account", { account_id: "beta" })).isError, false);
    assert.match((await callText(client, "whoami")).text, /beta/);
  } finally {
    await client?.close().catch(() => {});
    await broker.stop();
  }
});

Deno.test("/healthz of a serve --http that sat idle reports the process's uptime, not the time since it loaded", async () => {
  const broker = await startHttpBroker(await writeConfig({ accounts: [fixtureAccount("alpha")] }));
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const health = await (await fetch(`${broker.origin}/healthz`)).json();
    assert.ok(health.uptimeSeconds >= 2, JSON.stringify(health));
  } finally {
    await broker.stop();
  }
});
