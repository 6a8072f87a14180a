/**
 * Reading the config file: JSONC (comments, trailing commas), then validation. Loading only
 * reads; a broken file is reported and left exactly as it is.
 */
import { JanusError, messageOf } from "../errors.ts";
import { blankJsoncExtras } from "../jsonc.ts";
import type { ParseError } from "jsonc-parser";
import { EMPTY_CONFIG, type JanusConfig } from "./types.ts";
import { formatProblem, validateConfig } from "./validate.ts";

/** A config as loaded: where from, whether the file exists, and the validated result. */
export interface LoadedConfig {
  path: string;
  exists: boolean;
  config: JanusConfig;
}

/** jsonc-parser's error names, in words. */
const SYNTAX_PROBLEMS: Record<string, string> = {
  InvalidSymbol: "unexpected character (strings and keys need double quotes)",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "expected a key in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: "expected a colon",
  CommaExpected: "expected a comma",
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: "expected the end of the file (only one top-level value is allowed)",
  InvalidCommentToken: "invalid comment",
  UnexpectedEndOfComment: "unclosed comment",
  UnexpectedEndOfString: "unclosed string",
  UnexpectedEndOfNumber: "incomplete number",
  InvalidUnicode: "invalid \\u escape",
  InvalidEscapeCharacter: "invalid escape sequence in a string",
  InvalidCharacter: "invalid character in a string (control characters must be escaped)",
};

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * `path:line:column: problem` for a JSONC syntax error at `offset`; `name` is jsonc-parser's
 * name of the error (`printParseErrorCode`).
 */
export function syntaxMessage(path: string, text: string, offset: number, name: string): string {
  const { line, column } = lineAndColumn(text, offset);
  return `${path}:${line}:${column}: ${SYNTAX_PROBLEMS[name] ?? name}`;
}

/**
 * The value of JSONC text: `JSON.parse` once comments and trailing commas are blanked; what that
 * does not read, jsonc-parser reads (loaded only then), and words the first syntax error.
 */
async function parseJsonc(body: string, path: string): Promise<unknown> {
  const plain = blankJsoncExtras(body);
  if (plain !== undefined) {
    try {
      return JSON.parse(plain);
    } catch {
      // jsonc-parser below reads it or says where it is broken
    }
  }
  const { parse, printParseErrorCode } = await import("jsonc-parser");
  const errors: ParseError[] = [];
  const raw: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false });
  // Later errors are mostly the parser recovering from the first one; the first is the useful one.
  if (errors.length > 0) {
    throw new JanusError(
      "config",
      syntaxMessage(path, body, errors[0].offset, printParseErrorCode(errors[0].error)),
    );
  }
  return raw;
}

/** Parses and validates config text (JSONC); `path` only names the file in errors. */
export async function parseConfigText(text: string, path: string): Promise<JanusConfig> {
  // A byte-order mark is invisible in editors; jsonc-parser would call it an unexpected character.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") {
    throw new JanusError("config", `config ${path} is empty (write {"accounts": []} or remove the file)`);
  }
  const result = validateConfig(await parseJsonc(body, path));
  if (!result.ok) {
    const lines = result.problems.map((problem) => `  ${formatProblem(problem)}`);
    throw new JanusError("config", [`invalid config ${path}:`, ...lines].join("\n"));
  }
  return result.config;
}

/** Reads and validates the config at `path`; a missing file gives the empty config, not an error. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { path, exists: false, config: structuredClone(EMPTY_CONFIG) };
    }
    const reason = messageOf(error);
    throw new JanusError("config", `cannot read config ${path}: ${reason}`, { cause: error });
  }
  return { path, exists: true, config: await parseConfigText(text, path) };
}
