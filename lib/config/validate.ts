/**
 * Validation of the raw config document into a `JanusConfig`. A hand-written walk (rather than
 * zod's own errors) so that every problem is reported at once, with a JSON path and a message a
 * person can act on; the patterns and key lists come from schema.ts.
 */
import type { AccountConfig, BindingMode, JanusConfig, UpstreamTransport, VaultConfig } from "./types.ts";
import { parseReferences } from "./references.ts";
import {
  ACCOUNT_KEYS,
  BINDING_MODES,
  ENV_NAME_PATTERN,
  HEADER_NAME_PATTERN,
  ID_PATTERN,
  isAcceptableUrl,
  ROOT_KEYS,
  TRANSPORTS,
  VAULT_BACKENDS,
  VAULT_KEYS,
} from "./schema.ts";
import {
  accountLifecycleFields,
  limitsField,
  rootsField,
  secretEnvField,
  upstreamsField,
} from "./validate_reliability.ts";

/** One thing wrong with a config document, at a JSON path like `accounts[1].command`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** The outcome of validation: a complete config with defaults filled, or every problem found. */
export type ValidationResult = { ok: true; config: JanusConfig } | { ok: false; problems: ConfigProblem[] };

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

const ID_RULE = 'use 1–64 letters, digits, "_" or "-", starting with a letter or digit';
const ENV_NAME_RULE = 'letters, digits and "_", not starting with a digit';
const HEADER_NAME_RULE = "letters, digits and !#$%&'*+-.^_`|~, no spaces or colons";
const STDIO_ONLY_KEYS = ["command", "args", "env", "cwd"] as const;
const REMOTE_ONLY_KEYS = ["url", "headers"] as const;
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders a JSON path as `accounts[1].env.TOKEN` (odd keys quoted: `headers["X-Key"]`); `(root)` when empty. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === "" ? "(root)" : out;
}

/** One problem as a line: `accounts[1].command: required for a stdio account`. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.path}: ${problem.message}`;
}

/** Checks a raw (parsed JSON) config document and fills its defaults, reporting every problem. */
export function validateConfig(raw: unknown): ValidationResult {
  const walk = new Walk();
  const config = walk.root(raw);
  if (walk.problems.length > 0 || config === undefined) return { ok: false, problems: walk.problems };
  return { ok: true, config };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Names a value's kind for "got …" in enum messages (strings are quoted, long ones cut). */
function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return String(value);
}

function oneOf(options: readonly string[]): string {
  const quoted = options.map((option) => JSON.stringify(option));
  return quoted.length === 1
    ? quoted[0]
    : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[i].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2][j - 2] + 1);
      }
      rows[i].push(best);
    }
  }
  return rows[a.length][b.length];
}

/** The closest allowed key to a misspelt one, if it is close enough to be a plausible typo. */
function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 && bestDistance < key.length ? best : undefined;
}

class Walk {
  readonly problems: ConfigProblem[] = [];

  add(path: readonly PathSegment[], message: string): void {
    this.problems.push({ path: formatPath(path), message });
  }

  unknownKeys(object: Json, allowed: readonly string[], path: readonly PathSegment[]): void {
    for (const key of Object.keys(object)) {
      if (allowed.includes(key)) continue;
      const suggestion = suggestKey(key, allowed);
      this.add(
        [...path, key],
        suggestion === undefined
          ? `unknown key (expected one of: ${allowed.join(", ")})`
          : `unknown key (did you mean "${suggestion}"?)`,
      );
    }
  }

  /** A string that may hold references; reports the reference problem at its own path. */
  referenceString(value: unknown, path: readonly PathSegment[]): string | undefined {
    if (typeof value !== "string") {
      this.add(path, "expected a string");
      return undefined;
    }
    const parsed = parseReferences(value);
    if (!parsed.ok) {
      this.add(path, parsed.problem);
      return undefined;
    }
    return value;
  }

  nonEmptyString(value: unknown, path: readonly PathSegment[], emptyHint = ""): string | undefined {
    if (typeof value !== "string") {
      this.add(path, "expected a string");
      return undefined;
    }
    if (value.trim() === "") {
      this.add(path, `must not be empty${emptyHint}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(
    value: unknown,
    options: readonly T[],
    path: readonly PathSegment[],
  ): T | undefined {
    const match = options.find((option) => option === value);
    if (match === undefined) this.add(path, `expected ${oneOf(options)}, got ${describe(value)}`);
    return match;
  }

  root(raw: unknown): JanusConfig | undefined {
    if (!isObject(raw)) {
      this.add([], `expected an object with an "accounts" list, got ${describe(raw)}`);
      return undefined;
    }
    this.unknownKeys(raw, ROOT_KEYS, []);
    if ("$schema" in raw && typeof raw.$schema !== "string") this.add(["$schema"], "expected a string");

    const accounts = this.accounts(raw.accounts);
    const knownIds = this.knownIds(raw.accounts);
    const profiles = "profiles" in raw ? this.profiles(raw.profiles, knownIds) : {};

    let bindingMode: BindingMode = "global";
    if ("bindingMode" in raw) {
      bindingMode = this.oneOf(raw.bindingMode, BINDING_MODES, ["bindingMode"]) ?? "global";
    }

    let defaultAccount: string | undefined;
    if ("defaultAccount" in raw) defaultAccount = this.defaultAccount(raw.defaultAccount, knownIds);

    const vault = "vault" in raw ? this.vault(raw.vault) : { backend: "keychain" as const };
    const limits = raw.limits === undefined ? undefined : limitsField(raw.limits, ["limits"], this);
    const upstreams = raw.upstreams === undefined
      ? undefined
      : upstreamsField(raw.upstreams, ["upstreams"], this);

    return {
      accounts,
      profiles,
      bindingMode,
      ...(defaultAccount === undefined ? {} : { defaultAccount }),
      vault,
      ...(limits === undefined ? {} : { limits }),
      ...(upstreams === undefined ? {} : { upstreams }),
    };
  }

  /** Every id written as a string, valid or not, so a bad id is reported once and not again where it is used. */
  knownIds(raw: unknown): string[] {
    if (!Array.isArray(raw)) return [];
    const ids = raw.flatMap((account) =>
      isObject(account) && typeof account.id === "string" ? [account.id] : []
    );
    return [...new Set(ids)];
  }

  accounts(raw: unknown): AccountConfig[] {
    if (raw === undefined) {
      this.add(["accounts"], "required (a list of accounts; it may be empty)");
      return [];
    }
    if (!Array.isArray(raw)) {
      this.add(["accounts"], "expected an array of accounts");
      return [];
    }
    const firstIndexOf = new Map<string, number>();
    const accounts: AccountConfig[] = [];
    raw.forEach((entry: unknown, index) => {
      const path = ["accounts", index];
      if (!isObject(entry)) {
        this.add(path, `expected an object (one account), got ${describe(entry)}`);
        return;
      }
      if (typeof entry.id === "string") {
        const first = firstIndexOf.get(entry.id);
        if (first === undefined) firstIndexOf.set(entry.id, index);
        else this.add([...path, "id"], `"${entry.id}" is already used by accounts[${first}]`);
      }
      const account = this.account(entry, path);
      if (account) accounts.push(account);
    });
    return accounts;
  }

  account(raw: Json, path: readonly PathSegment[]): AccountConfig | undefined {
    const at = (key: PathSegment) => [...path, key];
    const before = this.problems.length;
    this.unknownKeys(raw, ACCOUNT_KEYS, path);

    let id: string | undefined;
    if (raw.id === undefined) this.add(at("id"), "required");
    else if (typeof raw.id !== "string") this.add(at("id"), "expected a string");
    else if (!ID_PATTERN.test(raw.id)) {
      this.add(at("id"), `${describe(raw.id)} is not a valid id: ${ID_RULE}`);
    } else id = raw.id;

    let service: string | undefined;
    if (raw.service === undefined) this.add(at("service"), 'required (the service, e.g. "github")');
    else service = this.nonEmptyString(raw.service, at("service"));

    let label: string | undefined;
    if (raw.label !== undefined) {
      label = this.nonEmptyString(raw.label, at("label"), " (leave it out to use the id)");
    }

    let transport: UpstreamTransport | undefined = "stdio";
    if (raw.transport !== undefined) transport = this.oneOf(raw.transport, TRANSPORTS, at("transport"));

    // A field of the other transport is reported once, as misplaced, not also checked; with an
    // unknown transport only the types of the fields present can be checked.
    const stdio = transport === "stdio";
    const remote = transport === "http" || transport === "sse";
    const misplaced = (key: string): boolean => {
      if (raw[key] === undefined) return false;
      if (stdio && (REMOTE_ONLY_KEYS as readonly string[]).includes(key)) {
        this.add(at(key), "only used by http/sse accounts");
        return true;
      }
      if (remote && (STDIO_ONLY_KEYS as readonly string[]).includes(key)) {
        this.add(at(key), "only used by stdio accounts");
        return true;
      }
      return false;
    };

    let command: string | undefined;
    if (!misplaced("command")) {
      if (raw.command !== undefined) command = this.nonEmptyString(raw.command, at("command"));
      else if (stdio) this.add(at("command"), "required for a stdio account");
    }

    let args: string[] = [];
    if (!misplaced("args") && raw.args !== undefined) args = this.args(raw.args, at("args"));

    let env: Record<string, string> = {};
    if (!misplaced("env") && raw.env !== undefined) env = this.env(raw.env, at("env"));

    let cwd: string | undefined;
    if (!misplaced("cwd") && raw.cwd !== undefined) cwd = this.nonEmptyString(raw.cwd, at("cwd"));

    let url: string | undefined;
    if (!misplaced("url")) {
      if (raw.url !== undefined) url = this.url(raw.url, at("url"));
      else if (remote) this.add(at("url"), `required for an ${transport} account`);
    }

    let headers: Record<string, string> = {};
    if (!misplaced("headers") && raw.headers !== undefined) {
      headers = this.headers(raw.headers, at("headers"));
    }

    const secretEnv = raw.secretEnv === undefined
      ? undefined
      : secretEnvField(raw.secretEnv, at("secretEnv"), this);
    const roots = raw.roots === undefined ? undefined : rootsField(raw.roots, at("roots"), this);
    const lifecycle = accountLifecycleFields(raw, path, this);

    if (this.problems.length > before || !id || !service || !transport) return undefined;
    return {
      id,
      service,
      label: label ?? id,
      transport,
      ...(command === undefined ? {} : { command }),
      args,
      env,
      ...(cwd === undefined ? {} : { cwd }),
      ...(url === undefined ? {} : { url }),
      headers,
      ...(secretEnv === undefined ? {} : { secretEnv }),
      ...(roots === undefined ? {} : { roots }),
      ...lifecycle,
    };
  }

  args(raw: unknown, path: readonly PathSegment[]): string[] {
    if (!Array.isArray(raw)) {
      this.add(path, "expected an array of strings");
      return [];
    }
    return raw.flatMap((arg: unknown, index) => {
      const value = this.referenceString(arg, [...path, index]);
      return value === undefined ? [] : [value];
    });
  }

  env(raw: unknown, path: readonly PathSegment[]): Record<string, string> {
    if (!isObject(raw)) {
      this.add(path, "expected an object mapping variable names to strings");
      return {};
    }
    const entries: [string, string][] = [];
    for (const [name, value] of Object.entries(raw)) {
      if (!ENV_NAME_PATTERN.test(name)) {
        this.add([...path, name], `not a valid environment variable name (${ENV_NAME_RULE})`);
        continue;
      }
      const checked = this.referenceString(value, [...path, name]);
      if (checked !== undefined) entries.push([name, checked]);
    }
    return Object.fromEntries(entries);
  }

  url(raw: unknown, path: readonly PathSegment[]): string | undefined {
    const value = this.referenceString(raw, path);
    if (value === undefined) return undefined;
    if (!isAcceptableUrl(value)) {
      this.add(path, 'expected a URL starting with http:// or https:// (or a whole "vault:NAME")');
      return undefined;
    }
    return value;
  }

  headers(raw: unknown, path: readonly PathSegment[]): Record<string, string> {
    if (!isObject(raw)) {
      this.add(path, "expected an object mapping header names to strings");
      return {};
    }
    const entries: [string, string][] = [];
    const seen = new Map<string, string>();
    for (const [name, value] of Object.entries(raw)) {
      const at = [...path, name];
      if (!HEADER_NAME_PATTERN.test(name)) {
        this.add(at, `not a valid HTTP header name (${HEADER_NAME_RULE})`);
        continue;
      }
      const first = seen.get(name.toLowerCase());
      if (first !== undefined) {
        this.add(at, `same header as ${formatPath([...path, first])} (header names ignore case)`);
        continue;
      }
      seen.set(name.toLowerCase(), name);
      const checked = this.referenceString(value, at);
      if (checked === undefined) continue;
      if (/[\r\n]/.test(checked)) {
        this.add(at, "must not contain line breaks");
        continue;
      }
      entries.push([name, checked]);
    }
    return Object.fromEntries(entries);
  }

  profiles(raw: unknown, knownIds: readonly string[]): Record<string, string[]> {
    if (!isObject(raw)) {
      this.add(["profiles"], "expected an object mapping profile names to lists of account ids");
      return {};
    }
    const entries: [string, string[]][] = [];
    for (const [name, members] of Object.entries(raw)) {
      const path = ["profiles", name];
      if (!ID_PATTERN.test(name)) {
        this.add(path, `${describe(name)} is not a valid profile name: ${ID_RULE}`);
      } else if (knownIds.includes(name)) {
        this.add(path, `"${name}" is also an account id (profiles and accounts share one namespace)`);
      }
      if (!Array.isArray(members)) {
        this.add(path, "expected an array of account ids");
        continue;
      }
      if (members.length === 0) {
        this.add(path, "must list at least one account");
        continue;
      }
      const firstIndexOf = new Map<string, number>();
      const ids: string[] = [];
      members.forEach((member: unknown, index) => {
        const at = [...path, index];
        if (typeof member !== "string") {
          this.add(at, "expected a string (an account id)");
          return;
        }
        const first = firstIndexOf.get(member);
        if (first !== undefined) {
          this.add(at, `"${member}" is already listed at ${formatPath([...path, first])}`);
          return;
        }
        firstIndexOf.set(member, index);
        if (!knownIds.includes(member)) this.add(at, `unknown account ${describe(member)}`);
        ids.push(member);
      });
      entries.push([name, ids]);
    }
    return Object.fromEntries(entries);
  }

  defaultAccount(raw: unknown, knownIds: readonly string[]): string | undefined {
    if (typeof raw !== "string") {
      this.add(["defaultAccount"], "expected a string (an account id)");
      return undefined;
    }
    if (!knownIds.includes(raw)) {
      const known = knownIds.length === 0 ? "no accounts are configured" : `known: ${knownIds.join(", ")}`;
      this.add(["defaultAccount"], `unknown account ${describe(raw)} (${known})`);
      return undefined;
    }
    return raw;
  }

  vault(raw: unknown): VaultConfig {
    if (!isObject(raw)) {
      this.add(["vault"], 'expected an object like {"backend": "keychain"}');
      return { backend: "keychain" };
    }
    this.unknownKeys(raw, VAULT_KEYS, ["vault"]);
    if (raw.backend === undefined) return { backend: "keychain" };
    return { backend: this.oneOf(raw.backend, VAULT_BACKENDS, ["vault", "backend"]) ?? "keychain" };
  }
}
