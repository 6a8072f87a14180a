/**
 * The launch plan (issue 13, cold start): the stdio upstreams `serve` starts at once — its
 * default selector's — written beside state.json after a start, so that the next `serve` can
 * start the same processes within tens of milliseconds of its own start, before the SDK and the
 * config code are loaded, and the pool adopts them (lib/early_processes.ts).
 *
 * A plan holds each launch as the config file writes it: `${ENV}` and `vault:` references stay
 * references (names only), resolved by the entry when it starts the process — never a secret
 * nor a value taken from the environment. Launches with an `oauth:` reference (tokens refresh
 * through the OAuth layer) or a literal value in a credential-named variable are left out. A plan
 * is keyed by digests of the config file's bytes and of state.json's (the saved selection) and
 * by the broker's version, so any change to either starts nothing early; and a planned process is
 * adopted only when its launch is the very one the pool would start, so a stale plan costs a
 * process start, never a wrong upstream.
 *
 * Plain Deno APIs only: the CLI's entry reads this before anything heavy is loaded.
 */
import { parseReferences, type ReferencePart } from "./references.ts";
import { isSecretEnv } from "./secret_names.ts";
import { isRecord } from "./values.ts";

const FORMAT = 2;

/** Where `vault:` references are read: the OS keychain, or the encrypted file (never read early). */
export type PlanVault = "keychain" | "file";

/** What a plan is valid for: the broker's version and digests of the config and state files. */
export interface PlanKeys {
  broker: string;
  config: string;
  state: string;
}

/**
 * One process to start early: an account's launch as the config writes it (the account's own env
 * only). Arguments and variables are config text: `${ENV}`, `${vault:NAME}` and `vault:NAME`
 * references unresolved, `$${` not yet unescaped; command and cwd are taken as written.
 */
export interface PlannedLaunch {
  account: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

/** What `earlyLaunch` reads of a stdio account (a validated one, or one the entry only JSON-parsed). */
export interface LaunchFields {
  id: string;
  command?: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
  secretEnv?: readonly string[];
}

/**
 * The launch of a stdio account that may start early (pure), or undefined: for one without a
 * command, with a reference in its command or cwd (the pool takes those as written), with a
 * malformed or `oauth:` reference anywhere, or with a credential-named variable whose value is
 * not references only (a literal token would otherwise be copied into the plan).
 */
export function earlyLaunch(account: LaunchFields): PlannedLaunch | undefined {
  if (!account.command) return undefined;
  if (!isLiteral(account.command) || (account.cwd !== undefined && !isLiteral(account.cwd))) return undefined;
  if (!account.args.every((arg) => referencesAllowed(arg) !== undefined)) return undefined;
  for (const [name, value] of Object.entries(account.env)) {
    const parts = referencesAllowed(value);
    if (parts === undefined) return undefined;
    if (isSecretEnv(account, name) && parts.some((part) => part.kind === "text")) return undefined;
  }
  return {
    account: account.id,
    command: account.command,
    args: [...account.args],
    // Built with fromEntries: a "__proto__" key stays a key.
    env: Object.fromEntries(Object.entries(account.env)),
    ...(account.cwd === undefined ? {} : { cwd: account.cwd }),
  };
}

/** The references a planned launch makes (names only, each once). */
export function launchReferences(launch: PlannedLaunch): { env: string[]; vault: string[] } {
  const env = new Set<string>();
  const vault = new Set<string>();
  for (const value of [...launch.args, ...Object.values(launch.env)]) {
    for (const part of referencesAllowed(value) ?? []) {
      if (part.kind === "env") env.add(part.name);
      if (part.kind === "vault") vault.add(part.name);
    }
  }
  return { env: [...env], vault: [...vault] };
}

/** Where a launch's references are looked up at spawn time (undefined: not there). */
export interface EarlyValues {
  env(name: string): string | undefined;
  vault(name: string): string | undefined;
}

/**
 * A planned launch with its references resolved as lib/upstream/launch.ts resolves them (pure),
 * or undefined when one is missing (nothing is started early; the pool reports it).
 */
export function resolvePlanned(
  launch: PlannedLaunch,
  values: EarlyValues,
): Omit<PlannedLaunch, "account"> | undefined {
  const resolve = (value: string): string | undefined => {
    const parts = referencesAllowed(value);
    if (parts === undefined) return undefined;
    let out = "";
    for (const part of parts) {
      const text = part.kind === "text"
        ? part.text
        : part.kind === "env"
        ? values.env(part.name)
        : part.kind === "vault"
        ? values.vault(part.name)
        : undefined;
      if (text === undefined) return undefined;
      out += text;
    }
    return out;
  };
  const args: string[] = [];
  for (const arg of launch.args) {
    const text = resolve(arg);
    if (text === undefined) return undefined;
    args.push(text);
  }
  const env: [string, string][] = [];
  for (const [name, value] of Object.entries(launch.env)) {
    const text = resolve(value);
    if (text === undefined) return undefined;
    env.push([name, text]);
  }
  return {
    command: launch.command,
    args,
    env: Object.fromEntries(env),
    ...(launch.cwd === undefined ? {} : { cwd: launch.cwd }),
  };
}

/** A config string's parts when it makes only references an early start may resolve (no `oauth:`). */
function referencesAllowed(value: string): ReferencePart[] | undefined {
  const parsed = parseReferences(value);
  if (!parsed.ok || parsed.parts.some((part) => part.kind === "oauth")) return undefined;
  return parsed.parts;
}

/** The text a config string stands for when it holds no reference (nor a malformed one); else undefined. */
function literalText(value: string): string | undefined {
  const parsed = parseReferences(value);
  if (!parsed.ok) return undefined;
  let text = "";
  for (const part of parsed.parts) {
    if (part.kind !== "text") return undefined;
    text += part.text;
  }
  return text;
}

function isLiteral(value: string): boolean {
  return literalText(value) !== undefined;
}

/** A launch plan as written to disk. */
export interface LaunchPlan {
  format: typeof FORMAT;
  keys: PlanKeys;
  /** The config's vault backend (JANUS_VAULT, read at launch, may override it). */
  vault: PlanVault;
  launches: PlannedLaunch[];
}

/** The keys for these file contents (`state` undefined: there is no state file). */
export async function planKeys(
  config: Uint8Array<ArrayBuffer>,
  state: Uint8Array<ArrayBuffer> | undefined,
  broker: string,
): Promise<PlanKeys> {
  return {
    broker,
    config: await sha256(config),
    state: state === undefined ? "none" : await sha256(state),
  };
}

/** Plan keys read back from a file written by this module, or undefined when they are not. */
export function readPlanKeys(value: unknown): PlanKeys | undefined {
  if (!isRecord(value)) return undefined;
  const { broker, config, state } = value;
  if (typeof broker !== "string" || typeof config !== "string" || typeof state !== "string") return undefined;
  return { broker, config, state };
}

/** Whether a plan was made for exactly these files and this broker. */
export function sameKeys(a: PlanKeys, b: PlanKeys): boolean {
  return a.broker === b.broker && a.config === b.config && a.state === b.state;
}

/** The text of the plan for these keys and launches: one JSON document. */
export function formatPlan(keys: PlanKeys, vault: PlanVault, launches: PlannedLaunch[]): string {
  const plan: LaunchPlan = { format: FORMAT, keys, vault, launches };
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** A plan read back, or undefined when the text is not one this version wrote. */
export function parsePlan(text: string): LaunchPlan | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || raw.format !== FORMAT || !Array.isArray(raw.launches)) return undefined;
  const { vault } = raw;
  if (vault !== "keychain" && vault !== "file") return undefined;
  const keys = readPlanKeys(raw.keys);
  if (!keys) return undefined;
  const launches: PlannedLaunch[] = [];
  for (const launch of raw.launches) {
    const read = readLaunch(launch);
    if (!read) return undefined;
    launches.push(read);
  }
  return { format: FORMAT, keys, vault, launches };
}

/**
 * The variables every stdio upstream inherits from the broker (the rest of its environment,
 * other accounts' tokens among it, never reaches one). The pool uses it too (dial.ts), so the
 * SDK's stdio client module need not load for it; its names and rule are those of the SDK's
 * `getDefaultEnvironment`, and a test holds the two equal.
 */
export function inheritedEnvironment(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
  os: typeof Deno.build.os = Deno.build.os,
): Record<string, string> {
  const names = os === "windows" ? WINDOWS_INHERITED : POSIX_INHERITED;
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = env(name);
    // Exported shell functions look like "() { …": never passed on.
    if (value !== undefined && !value.startsWith("()")) out[name] = value;
  }
  return out;
}

const POSIX_INHERITED = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"];
const WINDOWS_INHERITED = [
  "APPDATA",
  "COMSPEC",
  "HOMEDRIVE",
  "HOMEPATH",
  "LOCALAPPDATA",
  "PATH",
  "PATHEXT",
  "PROCESSOR_ARCHITECTURE",
  "PROGRAMDATA",
  "PROGRAMFILES",
  "PROGRAMFILES(X86)",
  "PROGRAMW6432",
  "SYSTEMDRIVE",
  "SYSTEMROOT",
  "TEMP",
  "USERNAME",
  "USERPROFILE",
  "WINDIR",
];

function readLaunch(value: unknown): PlannedLaunch | undefined {
  if (!isRecord(value)) return undefined;
  const { account, command, args, env, cwd } = value;
  if (typeof account !== "string" || typeof command !== "string" || command === "") return undefined;
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === "string")) return undefined;
  if (!isRecord(env) || !Object.values(env).every((v) => typeof v === "string")) return undefined;
  if (cwd !== undefined && typeof cwd !== "string") return undefined;
  return {
    account,
    command,
    args: args as string[],
    env: env as Record<string, string>,
    ...(cwd === undefined ? {} : { cwd }),
  };
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return digest.toHex();
}
