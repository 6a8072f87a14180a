/**
 * The building blocks of the config schema: zod types whose problems are worded for a person
 * (one line each, naming what was expected), shared by schema.ts and oauth_schema.ts.
 */
import { z } from "zod";
import { parseReferences } from "../references.ts";
import { describe, oneOf } from "./wording.ts";

/** Runs a refinement even where a field failed, so every problem of the document is reported at once. */
export const evenWithFieldProblems = {
  when: (payload: { value: unknown }) =>
    typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value),
};

/**
 * Error customisation for a schema's own type check: `required` when the key is absent (JSON has
 * no `undefined`), otherwise `expected`; a function of the value when it names what was given.
 */
export function typed(
  expected: string | ((input: unknown) => string),
  required = "required",
): { error: (issue: z.core.$ZodRawIssue) => string | undefined } {
  return {
    error: (issue: z.core.$ZodRawIssue) => {
      if (issue.code !== "invalid_type") return undefined;
      if (issue.input === undefined) return required;
      return typeof expected === "string" ? expected : expected(issue.input);
    },
  };
}

export const text = (required?: string): z.ZodString => z.string(typed("expected a string", required));

export const nonEmpty = (hint = "", required?: string): z.ZodString =>
  text(required).refine((value) => value.trim() !== "", `must not be empty${hint}`);

/** A string that may hold references; a malformed one is reported in the parser's words, then `rule`. */
export function withReferences(rule: (value: string) => string | undefined = () => undefined): z.ZodString {
  return text().superRefine((value, ctx) => {
    const parsed = parseReferences(value);
    const problem = parsed.ok ? rule(value) : parsed.problem;
    if (problem !== undefined) ctx.addIssue(problem);
  });
}

export function choice<const T extends readonly [string, ...string[]]>(
  options: T,
): z.ZodEnum<{ [K in T[number]]: K }> {
  return z.enum(options, { error: (issue) => `expected ${oneOf(options)}, got ${describe(issue.input)}` });
}

/** An object of names to values, the names checked by `pattern` and explained by `badName`. */
export function nameMap<V extends z.ZodType>(
  pattern: RegExp,
  badName: (name: string) => string,
  value: V,
  expected: string,
): z.ZodRecord<z.ZodString, V> {
  return z.record(z.string().regex(pattern), value, {
    error: (issue) => {
      if (issue.code === "invalid_key") return badName(String(issue.input));
      return issue.code === "invalid_type" ? expected : undefined;
    },
  });
}

/** A whole number from `min` to `max`, worded as the range. */
export const wholeNumber = (min: number, max: number): z.ZodNumber =>
  z.number(typed(`expected a whole number from ${min} to ${max}`))
    .int(`expected a whole number from ${min} to ${max}`)
    .min(min, `expected a whole number from ${min} to ${max}`)
    .max(max, `expected a whole number from ${min} to ${max}`);
