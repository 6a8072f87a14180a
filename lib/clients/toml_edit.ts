/**
 * Adding, replacing and removing one `[mcp_servers.NAME]` table in a TOML file (Codex's
 * config.toml) line by line, so every other table, comment and blank line stays as written.
 * smol-toml parses before and after: an edit that would change anything but our entry is refused.
 */
import { parse, stringify, TomlError } from "smol-toml";
import { JanusError } from "../errors.ts";

type Table = Record<string, unknown>;

/** JSON with keys sorted: TOML writes sub-tables after plain keys, so key order says nothing. */
function sorted(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, inner) =>
      inner !== null && typeof inner === "object" && !Array.isArray(inner) && !(inner instanceof Date)
        ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : inner,
  );
}

/** The dotted key of a `[table]` or `[[array]]` header line, split into parts; undefined otherwise. */
function headerKey(line: string): string[] | undefined {
  const header = /^\s*\[\[?(.+?)\]\]?\s*(#.*)?$/.exec(line);
  if (header === null) return undefined;
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(header[1])) !== null) {
    parts.push(match[1] !== undefined ? JSON.parse(`"${match[1]}"`) : match[2] ?? match[3]);
    if (match[4] === "") return parts;
  }
  return undefined;
}

function isOurs(key: string[] | undefined, container: string, name: string): boolean {
  return key !== undefined && key[0] === container && key[1] === name;
}

/** Parses TOML or says where it is broken. */
function parseToml(text: string, path: string): Table {
  try {
    return parse(text) as Table;
  } catch (error) {
    const where = error instanceof TomlError ? `:${error.line}:${error.column}` : "";
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new JanusError(
      "config",
      `${path}${where}: not valid TOML (${reason}); fix the file, then run this again`,
    );
  }
}

function entryOf(document: Table, container: string, name: string): unknown {
  const holder = document[container];
  return typeof holder === "object" && holder !== null ? (holder as Table)[name] : undefined;
}

/** The document with our entry taken out, for comparing everything else. */
function withoutEntry(document: Table, container: string, name: string): Table {
  const holder = document[container];
  if (typeof holder !== "object" || holder === null) return document;
  const { [name]: _dropped, ...others } = holder as Table;
  if (Object.keys(others).length > 0) return { ...document, [container]: others };
  // A container that held only our entry (or was created for it) is not "another setting".
  const { [container]: _empty, ...rest } = document;
  return rest;
}

/** The entry `container.name`, or undefined. */
export function readTomlEntry(text: string, path: string, container: string, name: string): unknown {
  return entryOf(parseToml(text, path), container, name);
}

const isComment = (line: string) => /^\s*#/.test(line);
const isBlank = (line: string) => line.trim() === "";

/** Comment lines at the end of a cut section: they introduce the next table, so they stay. */
function leadingCommentsOfNext(section: string[]): string[] {
  let last = section.length - 1;
  while (last >= 0 && (isBlank(section[last]) || isComment(section[last]))) last--;
  const tail = section.slice(last + 1);
  const firstComment = tail.findIndex(isComment);
  return firstComment < 0 ? [] : tail.slice(firstComment);
}

/** Lines of the text with our tables cut out, and where the first one was. */
function cutOurTables(lines: string[], container: string, name: string): { kept: string[]; at: number } {
  const kept: string[] = [];
  let at = -1;
  let section: string[] | undefined;
  const closeSection = (beforeHeader: boolean) => {
    if (section !== undefined && beforeHeader) kept.push(...leadingCommentsOfNext(section));
    section = undefined;
  };
  for (const line of lines) {
    const key = headerKey(line);
    if (key !== undefined) {
      const ours = isOurs(key, container, name);
      if (!ours) closeSection(true);
      if (ours && section === undefined) {
        if (at < 0) at = kept.length;
        section = [];
      }
    }
    if (section !== undefined) section.push(line);
    else kept.push(line);
  }
  closeSection(false);
  // A blank line that separated our table from the next one goes with it.
  if (at >= 0 && at < kept.length && isBlank(kept[at]) && (at === 0 || isBlank(kept[at - 1]))) {
    kept.splice(at, 1);
  }
  return { kept, at };
}

function edit(
  text: string,
  path: string,
  container: string,
  name: string,
  value: Table | undefined,
): string {
  const before = parseToml(text, path);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  const { kept, at } = cutOurTables(lines, container, name);
  if (entryOf(parseToml(kept.join(eol), path), container, name) !== undefined) {
    throw new JanusError(
      "config",
      `${path}: ${container}.${name} is written inline or with dotted keys, which JanusMCP does not rewrite; ` +
        `replace it with a [${container}.${name}] table (or delete it) and run this again`,
    );
  }
  let out = kept;
  if (value !== undefined) {
    const block = stringify({ [container]: { [name]: value } }).replace(/\n+$/, "").split("\n");
    if (at >= 0) out = [...kept.slice(0, at), ...block, "", ...kept.slice(at)];
    else {out = kept.length === 0
        ? block
        : [...kept, ...(kept[kept.length - 1].trim() === "" ? [] : [""]), ...block];}
  }
  while (out.length > 0 && out[out.length - 1].trim() === "") out = out.slice(0, -1);
  const result = out.length === 0 ? "" : out.join(eol) + eol;
  // The guard: whatever the line edit did, only our entry may differ.
  let after: Table;
  try {
    after = parse(result) as Table;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new JanusError(
      "config",
      `${path}: cannot add a [${container}.${name}] table here (is ${container} an inline table?): ${reason}; ` +
        `edit it by hand`,
    );
  }
  const same = sorted(withoutEntry(after, container, name)) === sorted(withoutEntry(before, container, name));
  const entryRight = sorted(entryOf(after, container, name)) === sorted(value);
  if (!same || !entryRight) {
    throw new JanusError(
      "config",
      `${path}: could not change ${container}.${name} without touching other settings; edit it by hand`,
    );
  }
  return result;
}

/** The text with `[container.name]` set to `value` (replaced where it was, else appended). */
export function setTomlEntry(
  text: string,
  path: string,
  container: string,
  name: string,
  value: Table,
): string {
  return edit(text, path, container, name, value);
}

/** The text without `[container.name]` and its sub-tables (unchanged when absent). */
export function removeTomlEntry(text: string, path: string, container: string, name: string): string {
  if (readTomlEntry(text, path, container, name) === undefined) return text;
  return edit(text, path, container, name, undefined);
}
