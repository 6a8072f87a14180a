import assert from "node:assert/strict";
import { StderrLines } from "../../lib/upstream/stderr_lines.ts";

const encoder = new TextEncoder();

/** A StderrLines whose emitted lines are collected in `lines`. */
function collector(keep?: number): { stderr: StderrLines; lines: string[] } {
  const lines: string[] = [];
  return { stderr: new StderrLines((line) => lines.push(line), keep), lines };
}

Deno.test("whole lines in one chunk are emitted in order", () => {
  const { stderr, lines } = collector();
  stderr.push("starting\nlistening on stdio\n");
  assert.deepEqual(lines, ["starting", "listening on stdio"]);
});

Deno.test("a line split across chunks is emitted once, when its newline arrives", () => {
  const { stderr, lines } = collector();
  stderr.push("conn");
  assert.deepEqual(lines, []);
  stderr.push(encoder.encode("ected to ap"));
  assert.deepEqual(lines, []);
  stderr.push("i\nnext");
  assert.deepEqual(lines, ["connected to api"]);
  stderr.push("\n");
  assert.deepEqual(lines, ["connected to api", "next"]);
});

Deno.test("a UTF-8 character split across byte chunks is decoded intact", () => {
  const { stderr, lines } = collector();
  const bytes = encoder.encode("clé 🔑 ok\n");
  // "é" is 2 bytes at offset 2; the key emoji is 4 bytes at offset 5. Split inside both.
  stderr.push(bytes.subarray(0, 3));
  stderr.push(bytes.subarray(3, 6));
  stderr.push(bytes.subarray(6, 8));
  stderr.push(bytes.subarray(8));
  assert.deepEqual(lines, ["clé 🔑 ok"]);
});

Deno.test("byte-at-a-time input gives the same lines as one chunk", () => {
  const text = "ünïcödé line one\r\nline two ✓\n";
  const { stderr, lines } = collector();
  for (const byte of encoder.encode(text)) stderr.push(new Uint8Array([byte]));
  assert.deepEqual(lines, ["ünïcödé line one", "line two ✓"]);
});

Deno.test("CRLF line endings do not leave a carriage return behind", () => {
  const { stderr, lines } = collector();
  stderr.push("one\r\ntwo\r");
  stderr.push("\nthree\r\n");
  assert.deepEqual(lines, ["one", "two", "three"]);
});

Deno.test("blank and whitespace-only lines are skipped", () => {
  const { stderr, lines } = collector();
  stderr.push("\n\nfirst\n   \n\t\n\r\nsecond\n\n");
  assert.deepEqual(lines, ["first", "second"]);
  assert.deepEqual(stderr.recent, ["first", "second"]);
});

Deno.test("ANSI colour codes are stripped", () => {
  const { stderr, lines } = collector();
  stderr.push("\x1b[31merror\x1b[0m: \x1b[1;33mwarn\x1b[m done\n");
  stderr.push("\x1b[2K\x1b[?25lprogress\n");
  assert.deepEqual(lines, ["error: warn done", "progress"]);
});

Deno.test("OSC sequences such as terminal titles and hyperlinks are stripped", () => {
  const { stderr, lines } = collector();
  stderr.push("\x1b]0;evil title\x07see \x1b]8;;https://x.test\x1b\\link\x1b]8;;\x1b\\\n");
  assert.deepEqual(lines, ["see link"]);
});

Deno.test("text after an ST-terminated OSC is kept even when a BEL follows later", () => {
  const { stderr, lines } = collector();
  stderr.push("\x1b]0;title\x1b\\kept text\x07 end\n");
  assert.deepEqual(lines, ["kept text end"]);
});

Deno.test("other control characters are stripped but tabs are kept", () => {
  const { stderr, lines } = collector();
  stderr.push("a\x00b\x07c\x08d\x7fe\tf\x1bg\n");
  assert.deepEqual(lines, ["abcde\tfg"]);
});

Deno.test("a line of only escape codes counts as blank", () => {
  const { stderr, lines } = collector();
  stderr.push("\x1b[0m\x1b[2K\n\x07\n");
  assert.deepEqual(lines, []);
  assert.deepEqual(stderr.recent, []);
});

Deno.test("recent keeps the last five lines by default, oldest first", () => {
  const { stderr } = collector();
  for (let i = 1; i <= 8; i++) stderr.push(`line ${i}\n`);
  assert.deepEqual(stderr.recent, ["line 4", "line 5", "line 6", "line 7", "line 8"]);
});

Deno.test("recent keeps as many lines as asked", () => {
  const { stderr, lines } = collector(2);
  stderr.push("a\nb\nc\n");
  assert.deepEqual(stderr.recent, ["b", "c"]);
  assert.deepEqual(lines, ["a", "b", "c"], "every line is still emitted");
});

Deno.test("recent holds fewer lines while fewer have arrived", () => {
  const { stderr } = collector(3);
  assert.deepEqual(stderr.recent, []);
  stderr.push("only\n");
  assert.deepEqual(stderr.recent, ["only"]);
});

Deno.test("end flushes a trailing line that has no newline", () => {
  const { stderr, lines } = collector();
  stderr.push("done\nfatal: crashed");
  assert.deepEqual(lines, ["done"]);
  stderr.end();
  assert.deepEqual(lines, ["done", "fatal: crashed"]);
  assert.deepEqual(stderr.recent, ["done", "fatal: crashed"]);
});

Deno.test("end emits nothing when the last line was complete, and nothing twice", () => {
  const { stderr, lines } = collector();
  stderr.push("a\n");
  stderr.end();
  assert.deepEqual(lines, ["a"]);
  stderr.push("b");
  stderr.end();
  stderr.end();
  assert.deepEqual(lines, ["a", "b"]);
});

Deno.test("end does not emit a blank or escape-only trailing fragment", () => {
  const { stderr, lines } = collector();
  stderr.push("a\n  ");
  stderr.end();
  stderr.push("\x1b[0m");
  stderr.end();
  assert.deepEqual(lines, ["a"]);
});
