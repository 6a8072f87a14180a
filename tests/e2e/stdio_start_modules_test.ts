/**
 * What a stdio `serve` loads before its first answers (issue 13, cold start): the modules it
 * parsed by the time it has answered `initialize` and `tools/list`, read from its inspector. What
 * it needs only later (the HTTP transport, the tool search index) is loaded on first use, and that
 * first use still works; node:crypto and the SDK's stdio client (the broker spawns upstreams
 * itself) are not loaded at all.
 */
import assert from "node:assert/strict";
import { fixtureAccount, REPO, writeConfig } from "./harness.ts";
import { StderrLines } from "../../lib/upstream/stderr_lines.ts";
import { inspectableServeArgs, inspectorUrl, loadedScripts } from "./inspector.ts";

/** Modules a stdio serve must not have loaded by its first answers, and why each is not needed yet. */
const NOT_AT_START: [RegExp, string][] = [
  [/\/hono\/|\/lib\/transport\/http(_face|_guard)?\.ts$/, "the HTTP transport (stdio only)"],
  [/^node:crypto$|^ext:deno_node\/crypto\.ts$/, "node:crypto (request states are signed in lib/crypto.ts)"],
  [/\/minisearch\/|\/lib\/search\/tool_index\.ts$/, "the tool search index (first search)"],
  [
    /\/cross-spawn\/|\/@modelcontextprotocol\/client\/[^/]+\/dist\/stdio\.mjs$/,
    "the SDK's stdio client (never)",
  ],
];

/** A line-delimited JSON-RPC client over a child's stdio, enough for a few requests. */
class LineClient {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #waiting = new Map<number, (message: Record<string, unknown>) => void>();
  #nextId = 1;

  constructor(child: Deno.ChildProcess) {
    this.#writer = child.stdin.getWriter();
    void this.#read(child.stdout);
  }

  async request(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const answered = new Promise<Record<string, unknown>>((resolve) => this.#waiting.set(id, resolve));
    await this.send({ jsonrpc: "2.0", id, method, params });
    return await answered;
  }

  async send(message: Record<string, unknown>): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(`${JSON.stringify(message)}\n`));
  }

  async close(): Promise<void> {
    await this.#writer.close();
  }

  async #read(stdout: ReadableStream<Uint8Array>): Promise<void> {
    let buffered = "";
    for await (const text of stdout.pipeThrough(new TextDecoderStream())) {
      buffered += text;
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        const message = JSON.parse(buffered.slice(0, end)) as Record<string, unknown>;
        buffered = buffered.slice(end + 1);
        if (typeof message.id === "number") this.#waiting.get(message.id)?.(message);
      }
    }
  }
}

/** `serve` (stdio, or `--transport both`) with the inspector on. */
async function startInspectable(configPath: string, extra: string[] = []) {
  const child = new Deno.Command("deno", {
    args: inspectableServeArgs(configPath, extra),
    cwd: REPO,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr: string[] = [];
  let inspector = "";
  const inspectorSeen = Promise.withResolvers<void>();
  const stderrDone = (async () => {
    const lines = new StderrLines((line) => {
      stderr.push(line);
      inspector ||= inspectorUrl(line) ?? "";
      if (inspector) inspectorSeen.resolve();
    });
    for await (const chunk of child.stderr) lines.push(chunk);
    lines.end();
    inspectorSeen.reject(new Error(`the broker exited before its inspector listened:\n${stderr.join("\n")}`));
  })();
  await inspectorSeen.promise;
  const client = new LineClient(child);
  return {
    client,
    inspector,
    stderr,
    async stop() {
      await client.close();
      await child.status;
      await stderrDone;
    },
  };
}

async function firstAnswers(client: LineClient): Promise<string[]> {
  const init = await client.request("initialize", {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "start-modules-test", version: "1" },
  });
  assert.ok(init.result, JSON.stringify(init));
  await client.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  const listed = await client.request("tools/list");
  const tools = (listed.result as { tools: { name: string }[] }).tools;
  return tools.map((tool) => tool.name);
}

function loadedTooEarly(scripts: string[]): string[] {
  return NOT_AT_START.flatMap(([pattern, why]) =>
    scripts.filter((url) => pattern.test(url)).map((url) => `${url} (${why})`)
  );
}

Deno.test("a stdio serve answers its first tools/list without loading what it needs only later", async () => {
  const broker = await startInspectable(await writeConfig({ accounts: [fixtureAccount("alpha")] }));
  try {
    const names = await firstAnswers(broker.client);
    assert.ok(names.includes("janus_list_accounts") && names.includes("whoami"), names.join(", "));
    const scripts = await loadedScripts(broker.inspector);
    assert.ok(
      scripts.some((url) => url.endsWith("/lib/transport/stdio.ts")),
      "the inspector saw the broker's modules",
    );
    assert.deepEqual(loadedTooEarly(scripts), [], "loaded before the first answers");
    const listed = await broker.client.request("tools/call", { name: "janus_list_accounts", arguments: {} });
    assert.equal((listed.result as { isError?: boolean }).isError ?? false, false, JSON.stringify(listed));
    // The first search loads the index, and finds the upstream's tool.
    const searched = await broker.client.request("tools/call", {
      name: "janus_search_tools",
      arguments: { query: "whoami" },
    });
    const text = JSON.stringify(searched.result);
    assert.match(text, /whoami/, text);
    assert.doesNotMatch(text, /"isError":true/, text);
    assert.ok((await loadedScripts(broker.inspector)).some((url) => /\/minisearch\//.test(url)));
  } finally {
    await broker.stop();
  }
});

Deno.test("serve --transport both loads the HTTP transport at start and serves both", async () => {
  const broker = await startInspectable(await writeConfig({ accounts: [] }), [
    "--transport",
    "both",
    "--port",
    "0",
  ]);
  try {
    const names = await firstAnswers(broker.client);
    assert.ok(names.includes("janus_list_accounts"));
    const origin = broker.stderr.map((line) => /listening on (http:\/\/\S+)\/mcp/.exec(line)?.[1]).find(
      Boolean,
    );
    assert.ok(origin, broker.stderr.join("\n"));
    const health = await fetch(`${origin}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    assert.ok((await loadedScripts(broker.inspector)).some((url) => /\/hono\//.test(url)));
  } finally {
    await broker.stop();
  }
});
