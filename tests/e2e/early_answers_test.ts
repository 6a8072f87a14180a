/**
 * Early answers (issue 13, cold start): a stdio `serve` records what it answered to a client's
 * `initialize` and first complete `tools/list` beside the config, and the next `serve` of
 * the same config answers the same client's handshake from that record before the broker has
 * loaded, then corrects itself with list_changed if the real list differs. Anything unexpected
 * on stdin reaches the broker untouched.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { fixtureAccount, writeConfig } from "./harness.ts";
import { type Frame, RawStdioBroker } from "./raw_stdio.ts";

const ANSWERED_EARLY = "answered initialize and tools/list early";

function recordPath(configPath: string): string {
  return `${dirname(configPath)}/early-answers.json`;
}

function initialize(name = "raw", protocolVersion = "2025-11-25"): Frame {
  return {
    jsonrpc: "2.0",
    id: "init",
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name, version: "1" } },
  };
}

/** The fixture with one more tool per line of `toolsFile` (read at its start). */
function listedAccount(
  id: string,
  toolsFile: string,
  env: Record<string, string> = {},
): Record<string, unknown> {
  const account = fixtureAccount(id);
  const args = [...account.args as string[]];
  args.splice(args.length - 1, 0, `--allow-read=${toolsFile}`);
  return { ...account, args, env: { FIXTURE_ACCOUNT: id, FIXTURE_TOOLS_FILE: toolsFile, ...env } };
}

/** Initialize, initialized, first tools/list: the two results, as the client got them. */
async function handshake(broker: RawStdioBroker, init = initialize()): Promise<{ init: Frame; list: Frame }> {
  await broker.send(init);
  await broker.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await broker.send({ jsonrpc: "2.0", id: "list", method: "tools/list" });
  return { init: await broker.response("init"), list: await broker.response("list") };
}

function toolNames(frame: Frame): string[] {
  const result = frame.result as { tools: { name: string }[] };
  return result.tools.map((tool) => tool.name);
}

async function echo(broker: RawStdioBroker, id: string, text: string): Promise<string> {
  await broker.send({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "echo", arguments: { text } },
  });
  const result = (await broker.response(id)).result as { content: { text: string }[] };
  return result.content.map((c) => c.text).join("");
}

/** Ends a broker and waits until what it recorded is on disk (the record is written on the way out at the latest). */
async function serveOnce(
  configPath: string,
  init = initialize(),
  env: Record<string, string> = {},
): Promise<Frame> {
  const broker = RawStdioBroker.start(configPath, env);
  try {
    return (await handshake(broker, init)).list;
  } finally {
    await broker.end();
  }
}

function listChanges(broker: RawStdioBroker): number {
  return broker.frames.filter((frame) => frame.method === "notifications/tools/list_changed").length;
}

async function toolsFile(names: string[]): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "janus-early-tools-" });
  await Deno.writeTextFile(path, names.join("\n"));
  return path;
}

Deno.test("a second start answers initialize and tools/list from the record, exactly as the first did, and calls work", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  const first = RawStdioBroker.start(configPath);
  let before: { init: Frame; list: Frame };
  try {
    before = await handshake(first);
  } finally {
    await first.end();
  }
  const info = Deno.statSync(recordPath(configPath));
  assert.equal((info.mode ?? 0) & 0o777, 0o600);
  assert.deepEqual(
    [...Deno.readDirSync(dirname(configPath))].filter((e) => e.name.endsWith(".tmp")),
    [],
    "written atomically",
  );

  const broker = RawStdioBroker.start(configPath);
  try {
    const after = await handshake(broker);
    assert.deepEqual(after, before);
    assert.equal(await echo(broker, "call", "hi"), "alpha:hi");
    // Listed again: by then the replayed handshake has been answered (and swallowed).
    await broker.send({ jsonrpc: "2.0", id: "again", method: "tools/list" });
    assert.deepEqual((await broker.response("again")).result, before.list.result);
  } finally {
    await broker.end();
  }
  assert.ok(broker.stderr.some((line) => line.includes(ANSWERED_EARLY)), broker.stderr.join("\n"));
  assert.equal(broker.frames.filter((frame) => frame.id === "init").length, 1, "initialize answered once");
  assert.equal(broker.frames.filter((frame) => frame.id === "list").length, 1, "tools/list answered once");
  assert.equal(listChanges(broker), 0);
});

Deno.test("a tool list that changed between starts is announced with list_changed, and the new list is served", async () => {
  const tools = await toolsFile(["first_tool"]);
  const configPath = await writeConfig({ accounts: [listedAccount("alpha", tools)] });
  assert.ok(toolNames(await serveOnce(configPath)).includes("first_tool"));
  await Deno.writeTextFile(tools, "second_tool");

  const broker = RawStdioBroker.start(configPath);
  try {
    const { list } = await handshake(broker);
    assert.ok(
      toolNames(list).includes("first_tool"),
      `the early answer is the recorded list: ${broker.stderr.join("\n")}`,
    );
    for (let i = 0; i < 600 && listChanges(broker) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(listChanges(broker), 1, broker.stderr.join("\n"));
    await broker.send({ jsonrpc: "2.0", id: "again", method: "tools/list" });
    const names = toolNames(await broker.response("again"));
    assert.ok(names.includes("second_tool") && !names.includes("first_tool"), names.join(", "));
  } finally {
    await broker.end();
  }
  // The record now holds the new list: the next start answers it without a correction.
  const next = RawStdioBroker.start(configPath);
  try {
    assert.ok(toolNames((await handshake(next)).list).includes("second_tool"));
  } finally {
    await next.end();
  }
  assert.ok(next.stderr.some((line) => line.includes(ANSWERED_EARLY)), next.stderr.join("\n"));
  assert.equal(listChanges(next), 0);
  await Deno.remove(tools);
});

/** Adds a tool only the record knows to every recorded answer: what is answered from it shows. */
async function markRecord(configPath: string): Promise<void> {
  const record = JSON.parse(await Deno.readTextFile(recordPath(configPath)));
  for (const answer of record.answers) {
    answer.tools.tools.push({ name: "from_the_record", inputSchema: { type: "object" } });
  }
  await Deno.writeTextFile(recordPath(configPath), JSON.stringify(record));
}

Deno.test("another client name or protocol version is not answered from the record", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  await serveOnce(configPath, initialize("desktop"));
  await markRecord(configPath);
  for (const init of [initialize("editor"), initialize("desktop", "2025-06-18")]) {
    const list = await serveOnce(configPath, init);
    assert.ok(!toolNames(list).includes("from_the_record"), JSON.stringify(init.params));
  }
  // Both were recorded beside the first; the first client is still answered from its record.
  const record = JSON.parse(await Deno.readTextFile(recordPath(configPath)));
  assert.equal(record.answers.length, 3);
  await markRecord(configPath);
  assert.ok(toolNames(await serveOnce(configPath, initialize("desktop"))).includes("from_the_record"));
});

Deno.test("a first frame that is garbage or not an initialize reaches the broker as it would have", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  await serveOnce(configPath);
  await markRecord(configPath);
  const firsts: (string | Frame)[] = [
    '{"jsonrpc":"2.0","id":"bad","method":\n',
    { jsonrpc: "2.0", id: "bad", method: "ping" },
  ];
  for (const first of firsts) {
    const broker = RawStdioBroker.start(configPath);
    try {
      if (typeof first === "string") await broker.write(first);
      else await broker.send(first);
      const { list } = await handshake(broker);
      assert.ok(!toolNames(list).includes("from_the_record"));
      assert.ok(toolNames(list).includes("echo"));
      if (typeof first === "string") {
        assert.ok(broker.stderr.some((line) => line.includes("refused a frame")), broker.stderr.join("\n"));
      } else assert.ok("result" in await broker.response("bad"), "the ping is answered");
    } finally {
      await broker.end();
    }
    assert.ok(!broker.stderr.some((line) => line.includes(ANSWERED_EARLY)));
  }
});

Deno.test("what a client sends right behind its initialize is all answered, and an end right after it is a clean end", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  await serveOnce(configPath);
  const broker = RawStdioBroker.start(configPath);
  try {
    // All at once, without waiting for any answer.
    await broker.write(
      [
        initialize(),
        { jsonrpc: "2.0", method: "notifications/initialized" },
        {
          jsonrpc: "2.0",
          id: "call",
          method: "tools/call",
          params: { name: "echo", arguments: { text: "x" } },
        },
        { jsonrpc: "2.0", id: "list", method: "tools/list" },
        { jsonrpc: "2.0", id: "ping", method: "ping" },
      ].map((frame) => JSON.stringify(frame) + "\n").join(""),
    );
    for (const id of ["init", "list", "ping"]) await broker.response(id);
    assert.ok(JSON.stringify(await broker.response("call")).includes("alpha:x"));
  } finally {
    await broker.end();
  }
  assert.ok(broker.stderr.some((line) => line.includes(ANSWERED_EARLY)), broker.stderr.join("\n"));
  assert.deepEqual(broker.frames.map((frame) => frame.id).sort(), ["call", "init", "list", "ping"]);

  const ended = RawStdioBroker.start(configPath);
  await ended.send(initialize());
  await ended.response("init");
  const status = await ended.end();
  assert.equal(status.code, 0, ended.stderr.join("\n"));
  assert.ok(ended.stderr.some((line) => line.includes("answered initialize early")), ended.stderr.join("\n"));
  assert.deepEqual(ended.frames.map((frame) => frame.id), ["init"]);
});

Deno.test("the record holds what the client saw, after redaction: no secret reaches it", async () => {
  const secret = `early-secret-${crypto.randomUUID()}`;
  const tools = await toolsFile([`leak_${secret}`]);
  const account = listedAccount("alpha", tools, { CANARY: "${JANUS_EARLY_SECRET}" });
  const configPath = await writeConfig({ accounts: [account] });
  const list = await serveOnce(configPath, initialize(), { JANUS_EARLY_SECRET: secret });
  assert.ok(!JSON.stringify(list).includes(secret), "the client saw it redacted");
  assert.ok(toolNames(list).some((name) => name.startsWith("leak_")));
  const text = await Deno.readTextFile(recordPath(configPath));
  assert.ok(text.includes("leak_"), "the tool is recorded");
  assert.ok(!text.includes(secret), "the secret is not");
  await Deno.remove(tools);
});
