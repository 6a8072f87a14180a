/**
 * Validation of the raw config document into a `JanusConfig`. The zod schema (schema.ts) decides
 * what is wrong and says it; this turns its issues into one line per problem, named by JSON path,
 * in document order.
 */
import { z } from "zod";
import type { JanusConfig } from "./types.ts";
import { RawConfigSchema } from "./schema.ts";
import { replacesBelow } from "./relations.ts";
import { formatPath, type PathSegment, unknownKeyMessage } from "./wording.ts";

export { formatPath, type PathSegment };

/** One thing wrong with a config document, at a JSON path like `accounts[1].command`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** The outcome of validation: a complete config with defaults filled, or every problem found. */
export type ValidationResult = { ok: true; config: JanusConfig } | { ok: false; problems: ConfigProblem[] };

/** One problem as a line: `accounts[1].command: required for a stdio account`. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.path}: ${problem.message}`;
}

/** Checks a raw (parsed JSON) config document and fills its defaults, reporting every problem. */
export function validateConfig(raw: unknown): ValidationResult {
  const parsed = RawConfigSchema.safeParse(raw);
  const located = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) => locate(issue, RawConfigSchema));
  const dropped = protoKeys(raw, []);
  if (parsed.success && dropped.length === 0) return { ok: true, config: parsed.data };
  const problems = inReadingOrder([...dropped, ...withoutReplaced(located)], raw, RawConfigSchema);
  return { ok: false, problems: problems.map(({ path, message }) => ({ path: formatPath(path), message })) };
}

/**
 * Keys named `__proto__` anywhere in the document. JSON.parse keeps one as a plain key, but the
 * schema's maps drop it without a word (a guard against prototype pollution): an env variable or
 * profile of that name would silently vanish, so it is refused where it is written instead.
 */
function protoKeys(value: unknown, path: PathSegment[]): Located[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => protoKeys(item, [...path, index]));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === "__proto__"
      ? [{ path: [...path, key], message: 'a key named "__proto__" is not allowed', replaces: false }]
      : protoKeys(item, [...path, key])
  );
}

type Schema = z.core.$ZodType;
type Located = { path: PathSegment[]; message: string; replaces: boolean };

/**
 * One zod issue as problems. The schema words every message itself, except for unknown keys: one
 * problem per key, suggesting the closest key that `schema` allows there.
 */
function locate(issue: z.core.$ZodIssue, schema: Schema): Located[] {
  const path = issue.path.map((segment) => typeof segment === "symbol" ? String(segment) : segment);
  if (issue.code !== "unrecognized_keys") {
    return [{ path, message: issue.message, replaces: replacesBelow(issue) }];
  }
  const allowed = objectKeys(schemaAt(schema, path));
  return issue.keys.map((key) => ({
    path: [...path, key],
    message: unknownKeyMessage(key, allowed),
    replaces: false,
  }));
}

/** Drops the problems at or below one that stands for its whole subtree (a misplaced field, a repeat). */
function withoutReplaced(problems: readonly Located[]): Located[] {
  return problems.filter((problem) =>
    !problems.some((other) =>
      other !== problem && other.replaces && startsWith(problem.path, other.path) &&
      (!problem.replaces || other.path.length < problem.path.length)
    )
  );
}

/**
 * Orders problems as a person reads the document: in an object, unknown keys first, then the
 * schema's fields in its order; entries of maps and lists in the document's order.
 */
function inReadingOrder(problems: readonly Located[], raw: unknown, schema: Schema): Located[] {
  return problems
    .map((problem) => ({ problem, rank: rankOf(schema, raw, problem.path) }))
    .sort((a, b) => compareRanks(a.rank, b.rank))
    .map(({ problem }) => problem);
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/** The schema itself, seen through the optional, default and pipe (transform) wrappers. */
function bare(schema: Schema): Schema {
  if (schema instanceof z.core.$ZodOptional || schema instanceof z.core.$ZodDefault) {
    return bare(schema._zod.def.innerType);
  }
  if (schema instanceof z.core.$ZodPipe) return bare(schema._zod.def.in);
  return schema;
}

/** The keys an object schema declares, in its order; none for any other schema. */
function objectKeys(schema: Schema | undefined): string[] {
  const node = schema && bare(schema);
  return node instanceof z.core.$ZodObject ? Object.keys(node._zod.def.shape) : [];
}

function childSchema(schema: Schema | undefined, segment: PathSegment): Schema | undefined {
  const node = schema && bare(schema);
  if (node instanceof z.core.$ZodObject) {
    const shape = node._zod.def.shape;
    return typeof segment === "string" && Object.hasOwn(shape, segment) ? shape[segment] : undefined;
  }
  if (node instanceof z.core.$ZodArray) return node._zod.def.element;
  if (node instanceof z.core.$ZodRecord) return node._zod.def.valueType;
  return undefined;
}

function schemaAt(schema: Schema, path: readonly PathSegment[]): Schema | undefined {
  return path.reduce<Schema | undefined>(childSchema, schema);
}

/**
 * Where a path sits in reading order, one number per segment: a list index; in an object the
 * schema declares, the field's place in the schema (-1, before them all, for an unknown key);
 * in a map, the key's place in the document.
 */
function rankOf(schema: Schema, raw: unknown, path: readonly PathSegment[]): number[] {
  let node: Schema | undefined = schema;
  let value = raw;
  return path.map((segment) => {
    const fields = objectKeys(node);
    const container = typeof value === "object" && value !== null
      ? value as Record<PathSegment, unknown>
      : {};
    const rank = typeof segment === "number"
      ? segment
      : fields.length > 0
      ? fields.indexOf(segment)
      : Object.keys(container).indexOf(segment);
    node = childSchema(node, segment);
    value = container[segment];
    return rank;
  });
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}
