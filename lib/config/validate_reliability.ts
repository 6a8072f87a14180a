/**
 * Validation of the reliability fields of the config (secret names, limits, timeouts, idle
 * close, roots, session cap), kept apart from validate.ts's walk so each field is one compact
 * call there. Same style: every problem reported at its JSON path, nothing thrown.
 */
import type { PathSegment } from "./validate.ts";
import { ENV_NAME_PATTERN } from "./schema.ts";

/** Where problems go (validate.ts's walk). */
export interface ProblemSink {
  add(path: readonly PathSegment[], message: string): void;
}

/** `secretEnv`: a list of environment variable names. */
export function secretEnvField(raw: unknown, path: readonly PathSegment[], sink: ProblemSink): string[] {
  if (!Array.isArray(raw)) {
    sink.add(path, "expected an array of environment variable names");
    return [];
  }
  return raw.flatMap((name: unknown, index) => {
    if (typeof name === "string" && ENV_NAME_PATTERN.test(name)) return [name];
    sink.add([...path, index], 'expected an environment variable name (letters, digits and "_")');
    return [];
  });
}
