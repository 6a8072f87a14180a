/**
 * Early answers' pure parts (lib/early_answers.ts, lib/sha256_sync.ts: keys, digests, the
 * record) and the early stdin reader (lib/early_stdio.ts) over in-memory byte ends: what is
 * answered, what is not, and that the wire it hands over to reads every byte, in order,
 * whatever happened.
 */
import assert from "node:assert/strict";
import {
  answerFor,
  type AnswerKeys,
  answerKeys,
  clientDigest,
  type EarlyAnswers,
  formatEarlyAnswers,
  parseEarlyAnswers,
  sameKeys,
  withAnswer,
} from "../lib/early_answers.ts";
import { EarlyStdio, type EarlyStreams } from "../lib/early_stdio.ts";
import { sha256Hex } from "../lib/sha256_sync.ts";
import { canonicalJson } from "../lib/values.ts";

const KEYS: AnswerKeys = { broker: "1.0.0", config: "c", state: "none" };
const INIT_PARAMS = {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "raw", version: "1" },
};
const INIT_RESULT = { protocolVersion: "2025-11-25", serverInfo: { name: "janusmcp" } };
const TOOLS_RESULT = { tools: [{ name: "echo", inputSchema: { type: "object" } }] };

Deno.test("the synchronous SHA-256 agrees with crypto.subtle at every padding boundary", async () => {
  for (const size of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_000]) {
    const bytes = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff);
    const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).toHex();
    assert.equal(sha256Hex(bytes), expected, `${size} bytes`);
  }
});

Deno.test("the keys change with the config's bytes, the state file and the broker version", async () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const base = await answerKeys(bytes("{}"), undefined, "1.0.0");
  assert.ok(sameKeys(base, await answerKeys(bytes("{}"), undefined, "1.0.0")));
  assert.ok(!sameKeys(base, await answerKeys(bytes("{} "), undefined, "1.0.0")));
  assert.ok(
    !sameKeys(base, await answerKeys(bytes("{}"), bytes(""), "1.0.0")),
    "an empty state file is a state",
  );
  assert.ok(!sameKeys(base, await answerKeys(bytes("{}"), undefined, "1.0.1")));
});

Deno.test("a client's digest ignores key order and changes with its name, version, capabilities or protocol version", () => {
  const digest = clientDigest(INIT_PARAMS);
  assert.equal(
    digest,
    clientDigest({
      clientInfo: { version: "1", name: "raw" },
      capabilities: {},
      protocolVersion: "2025-11-25",
    }),
  );
  for (
    const other of [
      { ...INIT_PARAMS, clientInfo: { name: "other", version: "1" } },
      { ...INIT_PARAMS, clientInfo: { name: "raw", version: "2" } },
      { ...INIT_PARAMS, capabilities: { roots: {} } },
      { ...INIT_PARAMS, protocolVersion: "2025-06-18" },
    ]
  ) assert.notEqual(clientDigest(other), digest);
  assert.equal(canonicalJson({ b: [{ d: 1, c: 2 }], a: null }), '{"a":null,"b":[{"c":2,"d":1}]}');
});

Deno.test("the record keeps the latest answer per client, forgets other keys, and reads back what it wrote", () => {
  const answer = (client: string) => ({ client, initialize: INIT_RESULT, tools: TOOLS_RESULT });
  let record: EarlyAnswers | undefined;
  for (const client of ["a", "b", "c", "d", "e", "b"]) record = withAnswer(record, KEYS, answer(client));
  assert.deepEqual(record?.answers.map((a) => a.client), ["b", "e", "d", "c"]);
  const read = parseEarlyAnswers(formatEarlyAnswers(record ?? withAnswer(undefined, KEYS, answer("x"))));
  assert.deepEqual(read, record);
  assert.ok(answerFor(read, KEYS, "e"));
  assert.equal(answerFor(read, { ...KEYS, state: "other" }, "e"), undefined);
  assert.deepEqual(
    withAnswer(read, { ...KEYS, config: "changed" }, answer("z")).answers.map((a) => a.client),
    ["z"],
  );
  for (const bad of ["", "{", "[]", '{"format":2}', '{"format":1,"keys":{},"answers":[]}']) {
    assert.equal(parseEarlyAnswers(bad), undefined, bad);
  }
});

/** Byte ends in memory: stdin yields the given chunks (then waits for more, or ends), stdout collects. */
class Pipes implements EarlyStreams {
  readonly written: string[] = [];
  readonly #chunks: (Uint8Array | null)[] = [];
  #wake?: () => void;
  reads = 0;
  stdin = {
    read: async (buffer: Uint8Array): Promise<number | null> => {
      this.reads++;
      while (this.#chunks.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
      const chunk = this.#chunks.shift();
      if (chunk === null || chunk === undefined) return null;
      const n = Math.min(buffer.length, chunk.length);
      buffer.set(chunk.subarray(0, n));
      if (n < chunk.length) this.#chunks.unshift(chunk.subarray(n));
      return n;
    },
  };
  stdout = {
    writeSync: (bytes: Uint8Array): number => {
      this.written.push(new TextDecoder().decode(bytes));
      return bytes.length;
    },
  };
  push(text: string | null): void {
    this.#chunks.push(text === null ? null : new TextEncoder().encode(text));
    this.#wake?.();
  }
}

const recorded = (params: unknown) =>
  clientDigest(params) === clientDigest(INIT_PARAMS)
    ? { initialize: INIT_RESULT, tools: TOOLS_RESULT }
    : undefined;

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const INIT = line({ jsonrpc: "2.0", id: 0, method: "initialize", params: INIT_PARAMS });
const INITIALIZED = line({ jsonrpc: "2.0", method: "notifications/initialized" });
const LIST = line({ jsonrpc: "2.0", id: 1, method: "tools/list" });

/** Everything the handed-over stdin yields, read with a small buffer, until its end. */
async function drain(stdin: EarlyStreams["stdin"]): Promise<string> {
  const buffer = new Uint8Array(7);
  const parts: Uint8Array[] = [];
  for (let n = await stdin.read(buffer); n !== null; n = await stdin.read(buffer)) {
    parts.push(buffer.slice(0, n));
  }
  return new TextDecoder().decode(new Uint8Array(parts.flatMap((part) => [...part])));
}

Deno.test("the handshake is answered from the record, split across reads, and every byte still reaches the wire", async () => {
  const pipes = new Pipes();
  const early = new EarlyStdio(recorded, pipes);
  const input = INIT + INITIALIZED + LIST + line({ jsonrpc: "2.0", id: 2, method: "tools/call" });
  for (let at = 0; at < input.length; at += 10) pipes.push(input.slice(at, at + 10));
  await early.done;
  assert.deepEqual(early.answered.map((a) => [a.id, a.method]), [[0, "initialize"], [1, "tools/list"]]);
  assert.deepEqual(pipes.written.map((text) => JSON.parse(text)), [
    { jsonrpc: "2.0", id: 0, result: INIT_RESULT },
    { jsonrpc: "2.0", id: 1, result: TOOLS_RESULT },
  ]);
  pipes.push(null);
  assert.equal(await drain(early.handover()), input);
});

for (
  const [what, input] of [
    ["garbage first", "{not json\n" + INIT + LIST],
    ["a ping first", line({ jsonrpc: "2.0", id: 9, method: "ping" }) + INIT + LIST],
    [
      "another client",
      line({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { ...INIT_PARAMS, capabilities: { x: {} } },
      }) + LIST,
    ],
    ["a response first", line({ jsonrpc: "2.0", id: 0, result: {} }) + INIT],
  ]
) {
  Deno.test(`${what}: nothing is answered early and the wire gets every byte`, async () => {
    const pipes = new Pipes();
    const early = new EarlyStdio(recorded, pipes);
    pipes.push(input);
    await early.done;
    assert.deepEqual(pipes.written, []);
    assert.deepEqual(early.answered, []);
    pipes.push(null);
    assert.equal(await drain(early.handover()), input);
  });
}

Deno.test("end of input right after initialize: initialize alone is answered, and the wire sees the end", async () => {
  const pipes = new Pipes();
  const early = new EarlyStdio(recorded, pipes);
  pipes.push(INIT);
  pipes.push(null);
  await early.done;
  assert.deepEqual(early.answered.map((a) => a.method), ["initialize"]);
  assert.equal(await drain(early.handover()), INIT);
});

Deno.test("a handover while a read is in flight: that read's bytes go to the wire, and nothing more is answered", async () => {
  const pipes = new Pipes();
  const early = new EarlyStdio(recorded, pipes);
  pipes.push(INIT);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(early.answered.length, 1);
  const stdin = early.handover();
  // The early reader's read is still waiting: what it gets now is the broker's to answer.
  pipes.push(LIST);
  pipes.push(null);
  assert.equal(await drain(stdin), INIT + LIST);
  await early.done;
  assert.deepEqual(early.answered.map((a) => a.method), ["initialize"]);
  assert.equal(pipes.written.length, 1);
});
