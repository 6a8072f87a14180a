/**
 * Validation of the reliability fields of the config (secret names, limits, timeouts, idle
 * close, roots, session cap), kept apart from validate.ts's walk so each field is one compact
 * call there. Same style: every problem reported at its JSON path, nothing thrown.
 */
import type { PathSegment } from "./validate.ts";
import { ENV_NAME_PATTERN } from "./schema.ts";
import type { AccountConfig, Limits, UpstreamDefaults } from "./types.ts";

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

/** Bounds for `limits.maxMessageBytes`: at least 64 KiB (a tool list must fit), at most 1 GiB. */
const MIN_MESSAGE_BYTES = 64 * 1024;
const MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;

/** `limits`: `{ "maxMessageBytes": N }`. */
export function limitsField(raw: unknown, path: readonly PathSegment[], sink: ProblemSink): Limits {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    sink.add(path, 'expected an object like {"maxMessageBytes": 67108864, "maxHttpSessions": 1000}');
    return {};
  }
  const out: Limits = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "maxMessageBytes") {
      const n = integerIn(value, MIN_MESSAGE_BYTES, MAX_MESSAGE_BYTES, [...path, key], sink);
      if (n !== undefined) out.maxMessageBytes = n;
    } else if (key === "maxHttpSessions") {
      const n = integerIn(value, 1, 1_000_000, [...path, key], sink);
      if (n !== undefined) out.maxHttpSessions = n;
    } else {
      sink.add([...path, key], "unknown key (expected one of: maxMessageBytes, maxHttpSessions)");
    }
  }
  return out;
}

function integerIn(
  value: unknown,
  min: number,
  max: number,
  path: readonly PathSegment[],
  sink: ProblemSink,
): number | undefined {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    sink.add(path, `expected a whole number from ${min} to ${max}`);
    return undefined;
  }
  return value;
}

/** `roots`: absolute paths or `file://` URIs the account's upstream is told it may work in. */
export function rootsField(raw: unknown, path: readonly PathSegment[], sink: ProblemSink): string[] {
  if (!Array.isArray(raw)) {
    sink.add(path, 'expected an array of absolute paths or file:// URIs, like ["/home/me/project"]');
    return [];
  }
  return raw.flatMap((root: unknown, index) => {
    const ok = typeof root === "string" &&
      (root.startsWith("/") || /^[A-Za-z]:[\\/]/.test(root) ||
        (root.startsWith("file://") && URL.canParse(root)));
    if (ok) return [root as string];
    sink.add([...path, index], "expected an absolute path or a file:// URI");
    return [];
  });
}

/** The longest call timeout accepted: one week. */
const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** `upstreams`: `{ "callTimeoutSeconds": N, "idleCloseSeconds": N }`, defaults for every account. */
export function upstreamsField(
  raw: unknown,
  path: readonly PathSegment[],
  sink: ProblemSink,
): UpstreamDefaults {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    sink.add(path, 'expected an object like {"callTimeoutSeconds": 3600, "idleCloseSeconds": 1800}');
    return {};
  }
  const out: UpstreamDefaults = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "callTimeoutSeconds" || key === "idleCloseSeconds") {
      const n = lifecycleSeconds(key, value, [...path, key], sink);
      if (n !== undefined) out[key] = n;
    } else {
      sink.add([...path, key], "unknown key (expected one of: callTimeoutSeconds, idleCloseSeconds)");
    }
  }
  return out;
}

/** An account's own lifecycle fields: `callTimeoutSeconds`, `idleCloseSeconds`, `keepWarm`. */
export function accountLifecycleFields(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  sink: ProblemSink,
): Pick<AccountConfig, "callTimeoutSeconds" | "idleCloseSeconds" | "keepWarm"> {
  const out: Pick<AccountConfig, "callTimeoutSeconds" | "idleCloseSeconds" | "keepWarm"> = {};
  for (const key of ["callTimeoutSeconds", "idleCloseSeconds"] as const) {
    if (raw[key] === undefined) continue;
    const n = lifecycleSeconds(key, raw[key], [...path, key], sink);
    if (n !== undefined) out[key] = n;
  }
  if (raw.keepWarm !== undefined) {
    if (typeof raw.keepWarm === "boolean") out.keepWarm = raw.keepWarm;
    else sink.add([...path, "keepWarm"], "expected true or false");
  }
  return out;
}

/** A call timeout is at least 1 s; an idle time may be 0 (never close). */
function lifecycleSeconds(
  key: "callTimeoutSeconds" | "idleCloseSeconds",
  value: unknown,
  path: readonly PathSegment[],
  sink: ProblemSink,
): number | undefined {
  return integerIn(value, key === "callTimeoutSeconds" ? 1 : 0, MAX_TIMEOUT_SECONDS, path, sink);
}
