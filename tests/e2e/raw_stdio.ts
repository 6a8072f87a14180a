/**
 * A broker over stdio driven with raw bytes (no SDK client in between), for hostile input:
 * oversized, malformed and partial frames. Reads stdout frame by frame with the broker's own
 * frame reader (any frame size).
 */
import { must } from "../must.ts";
import { janusmcpArgs, REPO } from "./harness.ts";
import { LineFrameReader } from "../../lib/wire/line_frames.ts";
import { StderrLines } from "../../lib/upstream/stderr_lines.ts";

/** A message the broker wrote on stdout. */
export type Frame = Record<string, unknown>;

/** A running broker fed raw bytes. */
export class RawStdioBroker {
  readonly frames: Frame[] = [];
  readonly stderr: string[] = [];
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #waiters = new Set<() => void>();
  readonly #done: Promise<void>;

  private constructor(readonly child: Deno.ChildProcess) {
    this.#writer = child.stdin.getWriter();
    const reader = new LineFrameReader(1024 * 1024 * 1024, {
      frame: (bytes) => {
        this.frames.push(JSON.parse(new TextDecoder().decode(bytes)));
        for (const wake of this.#waiters) wake();
      },
      oversized: () => {},
    });
    const lines = new StderrLines((line) => this.stderr.push(line));
    this.#done = Promise.all([
      (async () => {
        for await (const chunk of child.stdout) reader.push(chunk);
      })(),
      (async () => {
        for await (const chunk of child.stderr) lines.push(chunk);
        lines.end();
      })(),
    ]).then(() => {});
  }

  /** Starts `janusmcp serve --config PATH` with piped stdio. */
  static start(configPath: string, env: Record<string, string> = {}): RawStdioBroker {
    const child = new Deno.Command("deno", {
      args: janusmcpArgs("serve", "--config", configPath),
      cwd: REPO,
      env,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    return new RawStdioBroker(child);
  }

  /** Writes bytes (or text) as they are. */
  async write(data: Uint8Array | string): Promise<void> {
    await this.#writer.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
  }

  /** Writes one message as a JSON line. */
  async send(message: Frame): Promise<void> {
    await this.write(JSON.stringify(message) + "\n");
  }

  /** The first frame written with this id (waits for it). */
  async response(id: string | number, ms = 60_000): Promise<Frame> {
    const find = () => this.frames.find((frame) => frame.id === id);
    const deadline = Date.now() + ms;
    while (!find()) {
      if (Date.now() > deadline) {
        throw new Error(`no response with id ${id}; stderr:\n${this.stderr.join("\n")}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
        setTimeout(wake, 200);
      });
    }
    return must(find(), `the response with id ${id}`);
  }

  /** Does the 2025 handshake. */
  async initialize(): Promise<void> {
    await this.send({
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    await this.response("init");
    await this.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  }

  /** Closes stdin and waits for the exit status (and for stdout/stderr to end). */
  async end(): Promise<Deno.CommandStatus> {
    await this.#writer.close().catch(() => {});
    const status = await this.child.status;
    await this.#done;
    return status;
  }
}
