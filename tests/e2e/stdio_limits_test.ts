/**
 * Frames on the broker's stdin: any size up to the limit is served, a frame over it is answered
 * with an error naming the limit and the size, malformed frames with a readable id are answered,
 * and none of it ends the session, hangs the broker, or floods the log.
 */
import assert from "node:assert/strict";
import { fixtureAccount, writeConfig } from "./harness.ts";
import { mediaAccount } from "./media_account.ts";
import { type Frame, RawStdioBroker } from "./raw_stdio.ts";

const MiB = 1024 * 1024;

function call(id: number | string, name: string, args: Record<string, unknown>): Frame {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

function textOf(frame: Frame): string {
  const result = frame.result as { content: { text: string }[] };
  return result.content.map((c) => c.text).join("");
}

Deno.test("a 12 MiB frame is served, and one over the configured limit gets an error while the session goes on", async () => {
  const configPath = await writeConfig({
    accounts: [mediaAccount("media")],
    limits: { maxMessageBytes: 16 * MiB },
  });
  const broker = RawStdioBroker.start(configPath);
  try {
    await broker.initialize();
    // janus_whoami ignores its arguments: the frame is big, the work is not.
    await broker.send(call(1, "janus_whoami", { pad: "y".repeat(12 * MiB) }));
    assert.match(textOf(await broker.response(1)), /media/);

    await broker.send(call(2, "janus_whoami", { pad: "z".repeat(17 * MiB) }));
    const refused = await broker.response(2);
    const error = refused.error as { code: number; message: string };
    assert.equal(error.code, -32600);
    assert.match(error.message, /message of 17 MiB \(\d+ bytes\) exceeds the limit of 16 MiB/);

    await broker.send(call(3, "whoami", {}));
    assert.equal(textOf(await broker.response(3)), "account:media");
  } finally {
    const status = await broker.end();
    assert.equal(status.code, 0);
  }
});

Deno.test("an upstream reply over 10 MiB is relayed; one over the limit fails alone, the call beside it goes on", async () => {
  const configPath = await writeConfig({
    accounts: [mediaAccount("media")],
    limits: { maxMessageBytes: 16 * MiB },
  });
  const broker = RawStdioBroker.start(configPath);
  try {
    await broker.initialize();
    await broker.send(call(1, "big_text", { bytes: 12 * MiB }));
    assert.equal(textOf(await broker.response(1)).length, 12 * MiB);

    await broker.send(call(2, "sleep", { ms: 1500 }));
    await broker.send(call(3, "big_text", { bytes: 17 * MiB }));
    const refused = await broker.response(3);
    assert.match(
      JSON.stringify(refused),
      /upstream reply of 17 MiB \(\d+ bytes\) exceeds the limit of 16 MiB/,
    );
    assert.equal(textOf(await broker.response(2)), "slept:media");
    await broker.send(call(4, "whoami", {}));
    assert.equal(textOf(await broker.response(4)), "account:media");
  } finally {
    const status = await broker.end();
    assert.equal(status.code, 0);
  }
});

Deno.test("an oversized first frame is refused, then the handshake works; stdin EOF still ends the broker", async () => {
  const configPath = await writeConfig({
    accounts: [fixtureAccount("alpha")],
    limits: { maxMessageBytes: 1 * MiB },
  });
  const broker = RawStdioBroker.start(configPath);
  await broker.send({
    jsonrpc: "2.0",
    id: "first",
    method: "initialize",
    params: { pad: "x".repeat(2 * MiB) },
  });
  const refused = await broker.response("first");
  assert.match((refused.error as { message: string }).message, /exceeds the limit of 1 MiB/);
  await broker.initialize();
  await broker.send(call(5, "whoami", {}));
  assert.equal(textOf(await broker.response(5)), "account:alpha");
  assert.equal((await broker.end()).code, 0);

  // Cut off mid-frame: EOF is still the end.
  const cut = RawStdioBroker.start(configPath);
  await cut.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"' + "x".repeat(2 * MiB));
  assert.equal((await cut.end()).code, 0);
});

Deno.test("malformed frames with a readable id get a JSON-RPC error; others are only counted in the log", async () => {
  const configPath = await writeConfig({ accounts: [fixtureAccount("alpha")] });
  const broker = RawStdioBroker.start(configPath);
  try {
    await broker.initialize();
    await broker.write('{"jsonrpc":"2.0","id":10,"method":5}\n');
    await broker.write('{"jsonrpc":"1.0","id":"eleven","method":"tools/list"}\n');
    await broker.write('{"jsonrpc":"2.0","id":12,"method":"tools/call","params":"nope"}\n');
    const errors = await Promise.all([10, "eleven", 12].map((id) => broker.response(id)));
    for (const frame of errors) {
      assert.equal((frame.error as { code: number }).code, -32600, JSON.stringify(frame));
    }
    // No readable id: nothing to answer. A flood is summed up, not logged line by line.
    for (let i = 0; i < 200; i++) await broker.write(`{garbage ${i}\n`);
    await broker.send(call(13, "whoami", {}));
    assert.equal(textOf(await broker.response(13)), "account:alpha");
  } finally {
    await broker.end();
  }
  const refusals = broker.stderr.filter((line) => /refused/.test(line));
  assert.ok(refusals.length <= 10, refusals.join("\n"));
  assert.ok(
    broker.stderr.some((line) => /more malformed requests refused/.test(line)),
    broker.stderr.join("\n"),
  );
});
