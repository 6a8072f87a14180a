import assert from "node:assert/strict";
import { join } from "node:path";

const DRIVER = new URL("./read_secret_driver.ts", import.meta.url).pathname;

interface DriverResult {
  code: number;
  result: { ok: true; value: string } | { ok: false; code: string; message: string };
  /** Everything the process showed (the terminal screen, for the TTY cases). */
  shown: string;
}

async function withResultFile<T>(run: (path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "janus-prompt-" });
  try {
    return await run(join(dir, "result.json"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs the driver with `input` piped to its stdin. */
function piped(input: Uint8Array | string): Promise<DriverResult> {
  return withResultFile(async (resultPath) => {
    const child = new Deno.Command("deno", {
      args: ["run", "--allow-write", DRIVER, resultPath],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(typeof input === "string" ? new TextEncoder().encode(input) : input);
    await writer.close();
    const output = await child.output();
    const shown = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    return { code: output.code, result: JSON.parse(await Deno.readTextFile(resultPath)), shown };
  });
}

const hasScript = Deno.build.os === "linux" &&
  (await new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" }).output().then(
    (output) => output.success,
    () => false,
  ));

/** Runs the driver on a real pseudo-terminal (util-linux `script`) and types `keys` once the prompt shows. */
function onTerminal(keys: string): Promise<DriverResult> {
  return withResultFile(async (resultPath) => {
    const child = new Deno.Command("script", {
      args: [
        "-q",
        "-e",
        "-E",
        "never",
        "-c",
        `deno run --allow-write '${DRIVER}' '${resultPath}'`,
        "/dev/null",
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    const decoder = new TextDecoder();
    let shown = "";
    // The prompt is written after raw mode is on, so keys typed from here on are never echoed.
    while (!shown.includes("Secret: ")) {
      const chunk = await reader.read();
      if (chunk.done) break;
      shown += decoder.decode(chunk.value, { stream: true });
    }
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(keys));
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      shown += decoder.decode(chunk.value, { stream: true });
    }
    const status = await child.status;
    await writer.close().catch(() => {});
    await child.stderr.cancel();
    return { code: status.code, result: JSON.parse(await Deno.readTextFile(resultPath)), shown };
  });
}

Deno.test("piped stdin: the whole input is the value, minus one trailing newline", async () => {
  const cases: [string, string][] = [
    ["s3cret-token\n", "s3cret-token"],
    ["s3cret-token", "s3cret-token"],
    ["windows-line\r\n", "windows-line"],
    ["two-newlines\n\n", "two-newlines\n"],
    ["  spaces kept  \n", "  spaces kept  "],
    ["multi\nline\nvalue\n", "multi\nline\nvalue"],
    ["clé 🔑 секрет\n", "clé 🔑 секрет"],
  ];
  for (const [input, expected] of cases) {
    const { code, result, shown } = await piped(input);
    assert.equal(code, 0, shown);
    assert.deepEqual(result, { ok: true, value: expected }, JSON.stringify(input));
    assert.equal(shown, "", "nothing is printed, no prompt either, when stdin is piped");
  }
});

Deno.test("piped stdin: empty input (or a lone newline) is a usage error", async () => {
  for (const input of ["", "\n", "\r\n"]) {
    const { code, result } = await piped(input);
    assert.equal(code, 2);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.code, "usage");
      assert.match(result.message, /empty secret value on stdin/);
    }
  }
});

Deno.test("piped stdin: invalid UTF-8 is a usage error", async () => {
  const { code, result } = await piped(new Uint8Array([0x61, 0xff, 0xfe, 0x0a]));
  assert.equal(code, 2);
  assert.equal(result.ok ? "" : result.code, "usage");
});

Deno.test({
  name: "terminal: typed characters are hidden; backspace, Ctrl-U and arrow keys edit; Enter ends",
  ignore: !hasScript,
  async fn() {
    const { code, result, shown } = await onTerminal("xyz\x15abc\x7fd\x1b[D\x1bOAé\x08e-😀\r");
    assert.equal(code, 0, shown);
    assert.deepEqual(result, { ok: true, value: "abde-😀" });
    for (const fragment of ["abc", "abd", "xyz", "😀", "*"]) {
      assert.ok(!shown.includes(fragment), `echoed: ${shown}`);
    }
    assert.match(shown, /^Secret: \r?\n$/);
  },
});

Deno.test({
  name: "terminal: Ctrl-C interrupts with exit code 130",
  ignore: !hasScript,
  async fn() {
    const { code, result } = await onTerminal("abc\x03");
    assert.equal(code, 130);
    assert.equal(result.ok ? "" : result.code, "interrupted");
  },
});

Deno.test({
  name: "terminal: Enter on an empty line is a usage error",
  ignore: !hasScript,
  async fn() {
    const { code, result } = await onTerminal("\r");
    assert.equal(code, 2);
    assert.match(result.ok ? "" : result.message, /no secret value entered/);
  },
});
