/**
 * Remembered protocol revisions of each upstream (`upstream-revisions.json`, beside the state
 * file), so a restart adopts the verdict instead of probing again. Entries are keyed by a digest
 * of how the account's upstream is reached (transport, command, args, url — config text, which
 * holds references, never secret values): changing the command or URL forgets the verdict.
 * Like state, the file is a convenience: a damaged one is ignored with one warning.
 */
import { isRecord } from "../values.ts";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../atomic_write.ts";
import type { AccountConfig } from "../config/mod.ts";
import type { Revisions } from "./revisions.ts";

/** Where an upstream's revisions are read and saved. */
export interface RevisionMemory {
  /** The remembered verdict for an account, if any. */
  get(account: AccountConfig): Revisions | undefined;
  /** Remembers a verdict (persisted in the background; a failure is only logged). */
  set(account: AccountConfig, revisions: Revisions): void;
}

/** A memory that lives as long as the process (the demo, tests of the pool). */
export class InMemoryRevisions implements RevisionMemory {
  readonly #entries = new Map<string, Revisions>();
  get(account: AccountConfig): Revisions | undefined {
    return this.#entries.get(upstreamKey(account));
  }
  set(account: AccountConfig, revisions: Revisions): void {
    this.#entries.set(upstreamKey(account), revisions);
  }
}

/** The revisions file that belongs to a config file. */
export function revisionsFilePath(configPath: string): string {
  return join(dirname(configPath), "upstream-revisions.json");
}

/** A memory kept in a JSON file; writes are atomic and applied in call order. */
export class FileRevisionMemory implements RevisionMemory {
  readonly #entries: Map<string, Revisions>;
  #queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    entries: Map<string, Revisions>,
    private readonly warn: (line: string) => void,
  ) {
    this.#entries = entries;
  }

  /** Loads the file (missing → empty; unreadable or malformed → empty, with one warning). */
  static async load(path: string, warn: (line: string) => void): Promise<FileRevisionMemory> {
    let entries = new Map<string, Revisions>();
    try {
      entries = parseRevisionsFile(await Deno.readTextFile(path));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        warn(
          `ignoring ${path}: ${
            error instanceof Error ? error.message : String(error)
          }; upstreams will be probed`,
        );
      }
    }
    return new FileRevisionMemory(path, entries, warn);
  }

  get(account: AccountConfig): Revisions | undefined {
    return this.#entries.get(upstreamKey(account));
  }

  set(account: AccountConfig, revisions: Revisions): void {
    this.#entries.set(upstreamKey(account), revisions);
    const text = `${JSON.stringify(Object.fromEntries(this.#entries), null, 2)}\n`;
    this.#queue = this.#queue
      .then(() => writeFileAtomic(this.path, text))
      .catch((error) =>
        this.warn(`cannot save ${this.path}: ${error instanceof Error ? error.message : error}`)
      );
  }

  /** Resolves once every save asked so far is written (for tests and shutdown). */
  flushed(): Promise<void> {
    return this.#queue;
  }
}

/** Parses the file's text; entries of an unknown shape are dropped, a non-object is an error. */
export function parseRevisionsFile(text: string): Map<string, Revisions> {
  const raw: unknown = JSON.parse(text);
  if (!isRecord(raw)) throw new Error("expected a JSON object");
  const entries = new Map<string, Revisions>();
  for (const [key, value] of Object.entries(raw)) {
    if (!isRecord(value)) continue;
    const revisions: Revisions = {};
    if (typeof value.legacy === "boolean") revisions.legacy = value.legacy;
    if (value.modern === false) revisions.modern = false;
    else if (isRecord(value.modern) && Array.isArray(value.modern.supportedVersions)) {
      revisions.modern = value.modern as unknown as Revisions["modern"];
    }
    entries.set(key, revisions);
  }
  return entries;
}

/** Identifies how an account's upstream is reached, without any secret (config text only). */
export function upstreamKey(account: AccountConfig): string {
  // Asked on every pool.get; an account's definition never changes (a reload brings new objects).
  let key = keys.get(account);
  if (key === undefined) {
    const how = account.transport === "stdio"
      ? [account.id, "stdio", account.command ?? "", ...account.args]
      : [account.id, account.transport, account.url ?? ""];
    key = JSON.stringify(how);
    keys.set(account, key);
  }
  return key;
}

const keys = new WeakMap<AccountConfig, string>();
