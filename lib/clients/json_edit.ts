/**
 * Adding, replacing and removing one named entry in a JSONC file while leaving every other
 * byte alone: comments, trailing commas, the file's indentation and line endings. jsonc-parser
 * finds the nodes; the text is spliced here because its formatter reflows neighbouring entries.
 */
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { syntaxMessage } from "../config/mod.ts";
import { JanusError } from "../errors.ts";

interface Style {
  unit: string;
  eol: string;
}

interface Splice {
  start: number;
  end: number;
  content: string;
}

const BOM = "\uFEFF";

/** The indentation unit and line ending the file already uses (2 spaces and LF for a new file). */
function detectStyle(text: string): Style {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indented = /^([ \t]+)\S/m.exec(text);
  const unit = indented === null ? "  " : indented[1].startsWith("\t") ? "\t" : indented[1];
  return { unit, eol };
}

/** Parses the file's text into a tree, or names the syntax problem (nothing is changed then). */
function parseDocument(text: string, path: string): Node | undefined {
  // An empty (or whitespace-only) file is a new one: clients create it lazily.
  if (text.trim() === "") return undefined;
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    throw new JanusError(
      "config",
      `${
        syntaxMessage(path, text, errors[0].offset, printParseErrorCode(errors[0].error))
      }; fix the file, then run this again`,
    );
  }
  if (tree !== undefined && tree.type !== "object") {
    throw new JanusError("config", `${path}: expected a JSON object at the top level, found ${tree.type}`);
  }
  return tree;
}

/** The object holding the entries, checking that each level on the way is an object. */
function container(tree: Node | undefined, containerPath: string[], path: string): Node | undefined {
  let node = tree;
  for (let depth = 0; depth < containerPath.length && node !== undefined; depth++) {
    node = findNodeAtLocation(node, [containerPath[depth]]);
    if (node !== undefined && node.type !== "object") {
      const where = containerPath.slice(0, depth + 1).join(".");
      throw new JanusError(
        "config",
        `${path}: "${where}" should be an object, found ${node.type}; fix it by hand`,
      );
    }
  }
  return node;
}

/** The parsed entry named `name` in the container, or undefined. */
export function readJsonEntry(text: string, path: string, containerPath: string[], name: string): unknown {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const tree = parseDocument(body, path);
  const holder = container(tree, containerPath, path);
  const node = holder === undefined ? undefined : findNodeAtLocation(holder, [name]);
  return node === undefined ? undefined : nodeValue(node);
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case "object":
      return Object.fromEntries(
        (node.children ?? []).flatMap((property) => {
          const [key, value] = property.children ?? [];
          return key && value ? [[String(key.value), nodeValue(value)]] : [];
        }),
      );
    case "array":
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** The whitespace a line starts with. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? "";
}

/** `value` as indented JSON whose continuation lines start at `indent`. */
function pretty(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit).split("\n").join(style.eol + indent);
}

/** Splices `key: value` into an object node as its last property. */
function insertProperty(text: string, object: Node, key: string, value: unknown, style: Style): Splice {
  const properties = object.children ?? [];
  const objectEnd = object.offset + object.length;
  if (properties.length === 0) {
    const indent = lineIndent(text, object.offset);
    const inner = indent + style.unit;
    const property = `${JSON.stringify(key)}: ${pretty(value, inner, style)}`;
    if (text.slice(object.offset + 1, objectEnd - 1).trim() === "") {
      const content = `{${style.eol}${inner}${property}${style.eol}${indent}}`;
      return { start: object.offset, end: objectEnd, content };
    }
    // Comments inside the empty object stay where they are, after the new property.
    return { start: object.offset + 1, end: object.offset + 1, content: `${style.eol}${inner}${property}` };
  }
  const last = properties[properties.length - 1];
  const valueEnd = last.offset + last.length;
  const indent = lineIndent(text, properties[0].offset);
  const property = `${JSON.stringify(key)}: ${pretty(value, indent, style)}`;
  // After the last value: an optional (trailing) comma and a line comment belong to that value.
  const tail = /^[ \t]*(,)?[ \t]*(\/\/[^\r\n]*)?(?=\r?\n)/.exec(text.slice(valueEnd));
  if (tail === null) {
    return { start: valueEnd, end: valueEnd, content: `,${style.eol}${indent}${property}` };
  }
  const hadTrailingComma = tail[1] !== undefined;
  const lineEnd = valueEnd + tail[0].length;
  const content = `${style.eol}${indent}${property}${hadTrailingComma ? "," : ""}`;
  if (hadTrailingComma) return { start: lineEnd, end: lineEnd, content };
  // The old last value needs a comma now; put it right after the value, before any comment.
  return {
    start: valueEnd,
    end: lineEnd,
    content: `,${text.slice(valueEnd, lineEnd)}${content}`,
  };
}

/** Splices that remove one property, its separating comma, and its line when it had one alone. */
function removeProperty(text: string, object: Node, index: number): Splice[] {
  const properties = object.children ?? [];
  const property = properties[index];
  let start = property.offset;
  let end = property.offset + property.length;
  const comma = /^[ \t]*,/.exec(text.slice(end));
  const splices: Splice[] = [];
  if (comma !== null) end += comma[0].length;
  else if (index > 0) {
    // The last property without a comma of its own: the previous one's comma must go instead.
    const previousEnd = properties[index - 1].offset + properties[index - 1].length;
    const previousComma = /^[ \t]*,/.exec(text.slice(previousEnd));
    if (previousComma !== null) {
      const at = previousEnd + previousComma[0].length - 1;
      splices.push({ start: at, end: at + 1, content: "" });
    }
  }
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const rest = /^[ \t]*(\/\/[^\r\n]*)?\r?\n/.exec(text.slice(end));
  if (text.slice(lineStart, start).trim() === "" && rest !== null) {
    start = lineStart;
    end += rest[0].length;
  }
  splices.push({ start, end, content: "" });
  return splices;
}

function apply(text: string, splices: Splice[]): string {
  let out = text;
  for (const splice of [...splices].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, splice.start) + splice.content + out.slice(splice.end);
  }
  return out;
}

/** Wraps a value in the objects named by `keys` (innermost last). */
function nest(keys: string[], value: unknown): unknown {
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** The text with `containerPath.name` set to `value` (added, or replaced in place). */
export function setJsonEntry(
  text: string,
  path: string,
  containerPath: string[],
  name: string,
  value: unknown,
): string {
  const bom = text.startsWith(BOM) ? BOM : "";
  const body = text.slice(bom.length);
  const style = detectStyle(body);
  const tree = parseDocument(body, path);
  if (tree === undefined) {
    return `${bom}${pretty(nest([...containerPath, name], value), "", style)}${style.eol}`;
  }
  const holder = container(tree, containerPath, path);
  const existing = holder === undefined ? undefined : findNodeAtLocation(holder, [name]);
  if (existing !== undefined) {
    const indent = lineIndent(body, existing.parent?.offset ?? existing.offset);
    const content = pretty(value, indent, style);
    return bom + apply(body, [{ start: existing.offset, end: existing.offset + existing.length, content }]);
  }
  // Insert into the deepest object that exists on the way, creating the missing levels.
  let parent = tree;
  let depth = 0;
  while (depth < containerPath.length) {
    const next = findNodeAtLocation(parent, [containerPath[depth]]);
    if (next === undefined) break;
    parent = next;
    depth++;
  }
  const [key, ...below] = [...containerPath.slice(depth), name];
  const splice = insertProperty(body, parent, key, nest(below, value), style);
  return bom + apply(body, [splice]);
}

/** The text without `containerPath.name` (unchanged when it is not there). */
export function removeJsonEntry(text: string, path: string, containerPath: string[], name: string): string {
  const bom = text.startsWith(BOM) ? BOM : "";
  const body = text.slice(bom.length);
  const holder = container(parseDocument(body, path), containerPath, path);
  if (holder === undefined) return text;
  const index = (holder.children ?? []).findIndex((property) => property.children?.[0].value === name);
  if (index < 0) return text;
  return bom + apply(body, removeProperty(body, holder, index));
}
