/**
 * Accounts and probes for the tests of `serve`'s head start (head_start_test.ts,
 * first_start_test.ts, early_refs_test.ts): a fixture account that marks each start of its process, and what the
 * broker says it adopted.
 */
import { dirname } from "node:path";
import { fixtureArgs, writeConfig } from "./harness.ts";
import { RawStdioBroker } from "./raw_stdio.ts";

export const FIXTURE = ["deno", ...fixtureArgs("tests/fixtures/account_upstream.ts")].join(" ");

/**
 * A fixture account run through `sh`, which appends its pid to `marks/started-ID` and says so on
 * stderr before it becomes the fixture (exec keeps the pid).
 */
export function markedAccount(id: string, marks: string, mark = id): Record<string, unknown> {
  return {
    id,
    service: "fixture",
    command: "sh",
    args: ["-c", `echo $$ >> "${marks}/started-${mark}"; echo "starting as $$" >&2; exec ${FIXTURE}`],
    env: { FIXTURE_ACCOUNT: id },
  };
}

/** The pids of the processes started for this mark, in order. */
export async function starts(marks: string, id: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(`${marks}/started-${id}`)).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The pid that answers the `pid` tool (the fixture's own). */
export async function servingPid(broker: RawStdioBroker, id: string): Promise<string> {
  await broker.send({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "pid" } });
  const result = (await broker.response(id)).result as { content?: { text?: string }[] } | undefined;
  return (result?.content ?? []).map((c) => c.text ?? "").join("");
}

/** The pids the broker said it adopted, started at its launch. */
export function adopted(broker: RawStdioBroker): string[] {
  return broker.stderr.flatMap((line) => /\(pid (\d+)\) was started at launch/.exec(line)?.[1] ?? []);
}

/** One ordinary serve: initialize, list tools, end (the early answers are written on the way). */
export async function serveOnce(configPath: string, env: Record<string, string> = {}): Promise<void> {
  const broker = RawStdioBroker.start(configPath, env);
  try {
    await broker.initialize();
    await broker.send({ jsonrpc: "2.0", id: "list", method: "tools/list" });
    await broker.response("list");
  } finally {
    await broker.end();
  }
}

/** A config written by `freshConfig`, and its marks directory. */
export interface FreshConfig extends AsyncDisposable {
  marks: string;
  configPath: string;
}

/**
 * A fresh config in a fresh directory (no state, no early answers) and a directory for the marks,
 * both removed on dispose.
 */
export async function freshConfig(config: (marks: string) => Record<string, unknown>): Promise<FreshConfig> {
  const marks = await Deno.makeTempDir({ prefix: "janus-marks-" });
  const configPath = await writeConfig(config(marks));
  return {
    marks,
    configPath,
    [Symbol.asyncDispose]: async () => {
      await Deno.remove(marks, { recursive: true });
      await Deno.remove(dirname(configPath), { recursive: true });
    },
  };
}
