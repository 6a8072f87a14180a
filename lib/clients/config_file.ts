/**
 * Installing into (or removing from) a client's config file: read, edit only our entry, show a
 * diff, keep a timestamped backup of the old file, write atomically. Idempotent: an entry that
 * is already right is left alone, with no backup and no write.
 */
import { writeFileAtomic } from "../atomic_write.ts";
import { JanusError } from "../errors.ts";
import { unifiedDiff } from "./diff.ts";
import { mergeEntry } from "./merge.ts";
import { readJsonEntry, removeJsonEntry, setJsonEntry } from "./json_edit.ts";
import { readTomlEntry, removeTomlEntry, setTomlEntry } from "./toml_edit.ts";
import { type ChangeResult, type ClientEnvironment, type ClientTarget, ENTRY_NAME } from "./types.ts";

/** Options of one change. */
export interface ChangeOptions {
  dryRun: boolean;
  /** The clock, for the backup's name. */
  now?: () => Date;
}

/** The file's text, or undefined when it does not exist. */
async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.IsADirectory) {
      throw new JanusError("config", `${path} is a directory, not a config file`);
    }
    throw error;
  }
}

/** JSON with object keys sorted, so two equal entries compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, inner) =>
      inner !== null && typeof inner === "object" && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
        : inner,
  );
}

/** Our entry as the file holds it now (undefined when absent). */
export function readEntry(target: ClientTarget, path: string, text: string): unknown {
  return target.format === "toml"
    ? readTomlEntry(text, path, target.containerPath[0], ENTRY_NAME)
    : readJsonEntry(text, path, target.containerPath, ENTRY_NAME);
}

function withEntry(target: ClientTarget, path: string, text: string, entry: Record<string, unknown>): string {
  return target.format === "toml"
    ? setTomlEntry(text, path, target.containerPath[0], ENTRY_NAME, entry)
    : setJsonEntry(text, path, target.containerPath, ENTRY_NAME, entry);
}

function withoutEntry(target: ClientTarget, path: string, text: string): string {
  return target.format === "toml"
    ? removeTomlEntry(text, path, target.containerPath[0], ENTRY_NAME)
    : removeJsonEntry(text, path, target.containerPath, ENTRY_NAME);
}

/** `20261125-163000`: sortable, and valid in a file name on every OS. */
function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "").replaceAll("-", "").replaceAll(":", "").replace("T", "-");
}

/** A backup path beside the file that does not exist yet. */
async function backupPath(path: string, now: Date): Promise<string> {
  const base = `${path}.janusmcp-backup-${stamp(now)}`;
  for (let n = 0;; n++) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    if (await readIfExists(candidate) === undefined) return candidate;
  }
}

/**
 * Sets (entry given) or removes (entry undefined) JanusMCP's entry in the target's config file.
 * Nothing is written on a dry run, when nothing changes, or when the file cannot be parsed.
 */
export async function changeConfigFile(
  target: ClientTarget,
  environment: ClientEnvironment,
  entry: Record<string, unknown> | undefined,
  options: ChangeOptions,
): Promise<ChangeResult> {
  const path = target.configPath(environment);
  const original = await readIfExists(path);
  const before = original ?? "";
  const current = readEntry(target, path, before);
  if (entry !== undefined) entry = mergeEntry(current, entry);
  const result = { target: target.id, path, dryRun: options.dryRun, diff: "" };
  if (entry === undefined && current === undefined) return { ...result, action: "absent" };
  if (entry !== undefined && current !== undefined && canonical(current) === canonical(entry)) {
    return { ...result, action: "unchanged" };
  }
  const after = entry === undefined
    ? withoutEntry(target, path, before)
    : withEntry(target, path, before, entry);
  const action = entry === undefined ? "removed" : current === undefined ? "added" : "updated";
  const diff = unifiedDiff(before, after, path);
  if (options.dryRun) return { ...result, action, diff };
  let backup: string | undefined;
  if (original !== undefined) {
    backup = await backupPath(path, (options.now ?? (() => new Date()))());
    await writeFileAtomic(backup, original);
  }
  await writeFileAtomic(path, after);
  return { ...result, action, diff, ...(backup === undefined ? {} : { backup }) };
}

/** Whether the target's config file exists and holds our entry; a broken file is reported, not thrown. */
export async function fileStatus(
  target: ClientTarget,
  environment: ClientEnvironment,
): Promise<{ path: string; exists: boolean; entry?: unknown; error?: string }> {
  const path = target.configPath(environment);
  const text = await readIfExists(path);
  if (text === undefined) return { path, exists: false };
  try {
    const entry = readEntry(target, path, text);
    return { path, exists: true, ...(entry === undefined ? {} : { entry }) };
  } catch (error) {
    return { path, exists: true, error: error instanceof Error ? error.message : String(error) };
  }
}
