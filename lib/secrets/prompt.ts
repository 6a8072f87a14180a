/**
 * Reading a secret from the person or from a pipe, never from argv (which lands in shell
 * history and `ps`). On a terminal: a hidden prompt on stderr, raw mode, nothing echoed. When
 * stdin is piped: all of it, minus one trailing newline (`echo "$TOKEN" | janusmcp vault set X`).
 */
import { JanusError } from "../errors.ts";
import { writeAll } from "../write_all.ts";

/** The parts of stdin the reader uses (Deno.stdin by default). */
export interface SecretInput {
  isTerminal(): boolean;
  setRaw(mode: boolean): void;
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Where the prompt is written (Deno.stderr by default). */
export interface PromptOutput {
  writeSync(bytes: Uint8Array): number;
}

/** How to read one secret. */
export interface ReadSecretOptions {
  /** Shown before a hidden terminal prompt, e.g. `Value for GITHUB_TOKEN: `. */
  prompt: string;
  /** What is read, for error messages (default "secret value"). */
  what?: string;
  stdin?: SecretInput;
  stderr?: PromptOutput;
}

/** Piped input above this size is refused: no keychain takes it, and it is surely the wrong file. */
export const MAX_SECRET_BYTES = 1024 * 1024;

const KEY = {
  ctrlC: 0x03,
  ctrlD: 0x04,
  backspace: 0x08,
  lineFeed: 0x0a,
  carriageReturn: 0x0d,
  ctrlU: 0x15,
  escape: 0x1b,
  delete: 0x7f,
} as const;

/** Reads keys in raw mode until Enter; returns what was typed (nothing is echoed). */
async function readHidden(input: SecretInput, output: PromptOutput, prompt: string): Promise<string> {
  // Raw mode first: a key typed as soon as the prompt shows must already be hidden.
  input.setRaw(true);
  try {
    writeAll(output, prompt);
    const decoder = new TextDecoder();
    let typed: string[] = [];
    // 0: normal; 1: after ESC; 2: inside an escape sequence (arrow keys…), dropped until its final byte.
    let escape = 0;
    const buffer = new Uint8Array(256);
    for (;;) {
      const count = await input.read(buffer);
      if (count === null) return typed.join("");
      for (const byte of buffer.subarray(0, count)) {
        if (escape === 1) {
          escape = byte === 0x5b || byte === 0x4f ? 2 : 0;
          continue;
        }
        if (escape === 2) {
          if (byte >= 0x40 && byte <= 0x7e) escape = 0;
          continue;
        }
        if (byte === KEY.ctrlC) throw new JanusError("interrupted", "interrupted");
        if (byte === KEY.carriageReturn || byte === KEY.lineFeed) return typed.join("");
        if (byte === KEY.ctrlD && typed.length === 0) return "";
        if (byte === KEY.backspace || byte === KEY.delete) typed.pop();
        else if (byte === KEY.ctrlU) typed = [];
        else if (byte === KEY.escape) escape = 1;
        else if (byte >= 0x20) typed.push(...decoder.decode(Uint8Array.of(byte), { stream: true }));
      }
    }
  } finally {
    input.setRaw(false);
    writeAll(output, "\n");
  }
}

/** Reads all of a piped stdin as UTF-8 and drops one trailing newline (`\n` or `\r\n`). */
async function readPiped(input: SecretInput, what: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    const count = await input.read(buffer);
    if (count === null) break;
    total += count;
    if (total > MAX_SECRET_BYTES) {
      throw new JanusError(
        "usage",
        `the ${what} on stdin is larger than ${MAX_SECRET_BYTES} bytes; refusing it`,
      );
    }
    chunks.push(buffer.slice(0, count));
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new JanusError("usage", `the ${what} on stdin is not valid UTF-8`);
  } finally {
    bytes.fill(0);
  }
  if (text.endsWith("\r\n")) return text.slice(0, -2);
  if (text.endsWith("\n")) return text.slice(0, -1);
  return text;
}

/** Reads one secret: a hidden prompt on a terminal, else all of stdin; an empty value is a usage error. */
export async function readSecretFromStdin(options: ReadSecretOptions): Promise<string> {
  const input = options.stdin ?? Deno.stdin;
  const what = options.what ?? "secret value";
  const value = input.isTerminal()
    ? await readHidden(input, options.stderr ?? Deno.stderr, options.prompt)
    : await readPiped(input, what);
  if (value === "") {
    throw new JanusError(
      "usage",
      input.isTerminal()
        ? `no ${what} entered`
        : `empty ${what} on stdin (pipe the value in, or run in a terminal)`,
    );
  }
  return value;
}
