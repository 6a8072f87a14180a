/**
 * The upstreams `serve` starts at its own start (issue 13, cold start): the stdio launches of its
 * config's default selector, worked out from the config file and state.json themselves, before
 * the SDK and the config schema load, so that their own start overlaps the broker's
 * (lib/cli/early_start.ts starts them, lib/early_processes.ts keeps them until the pool adopts
 * one whose launch is identical).
 *
 * The JSONC is only parsed, not validated: the rules are the broker's own — the selector
 * precedence (selection.ts), `earlyLaunch` below — applied to the fields as written, with the
 * defaults the schema fills; tests/early_launches_match_test.ts holds the result equal to what
 * the same rule gives on the validated config. A field of an unexpected shape makes its account (or the
 * whole file) start nothing early; an invalid config that still yields a launch only costs a
 * process, stopped when `serve` fails on it, and a launch that differs from the pool's is never
 * adopted, so a difference costs a process start, never a wrong upstream.
 *
 * A launch keeps the config's text: `${ENV}` and `vault:` references are resolved
 * (`resolveEarlyLaunch`) only as its process starts, never written anywhere.
 *
 * Pure, plain Deno APIs only: the CLI's entry runs this before anything heavy is loaded.
 */
import { blankJsoncExtras } from "./jsonc.ts";
import { parseReferences, type ReferencePart } from "./references.ts";
import { readSelector, resolveSelector, type SelectableConfig } from "./selection.ts";
import { isRecord } from "./values.ts";

/** Where `vault:` references are read: the OS keychain, or the encrypted file (never read early). */
export type VaultBackend = "keychain" | "file";

/**
 * One process to start early: an account's launch as the config writes it (the account's own env
 * only). Arguments and variables are config text: `${ENV}`, `${vault:NAME}` and `vault:NAME`
 * references unresolved, `$${` not yet unescaped; command and cwd are taken as written.
 */
export interface EarlyLaunch {
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
}

/**
 * The launch of a stdio account that may start early (pure), or undefined: for one without a
 * command, with a reference in its command or cwd (the pool takes those as written), with a
 * malformed or `oauth:` reference anywhere (an OAuth token is the OAuth layer's to refresh).
 */
export function earlyLaunch(account: LaunchFields): EarlyLaunch | undefined {
  if (!account.command) return undefined;
  if (!isLiteral(account.command) || (account.cwd !== undefined && !isLiteral(account.cwd))) return undefined;
  if (!account.args.every((arg) => referencesAllowed(arg) !== undefined)) return undefined;
  if (!Object.values(account.env).every((value) => referencesAllowed(value) !== undefined)) return undefined;
  return {
    account: account.id,
    command: account.command,
    args: [...account.args],
    // Built with fromEntries: a "__proto__" key stays a key.
    env: Object.fromEntries(Object.entries(account.env)),
    ...(account.cwd === undefined ? {} : { cwd: account.cwd }),
  };
}

/** The references a launch makes (names only, each once). */
export function launchReferences(launch: EarlyLaunch): { env: string[]; vault: string[] } {
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
 * A launch with its references resolved as lib/upstream/launch.ts resolves them (pure),
 * or undefined when one is missing (nothing is started early; the pool reports it).
 */
export function resolveEarlyLaunch(
  launch: EarlyLaunch,
  values: EarlyValues,
): Omit<EarlyLaunch, "account"> | undefined {
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

/** A stdio account as written, with the defaults the schema fills (empty args and env). */
type WrittenAccount = LaunchFields & { stdio: boolean };

/**
 * The early launches of the default selector of this config text (JSONC) given this state file
 * text (undefined: none), in the selector's order, and the config's vault backend; no launch
 * when the text does not parse.
 */
export function launchesFromConfig(
  configText: string,
  stateText: string | undefined,
): { launches: EarlyLaunch[]; vault: VaultBackend } {
  const raw = parseJsonc(configText);
  const config = readConfig(raw);
  if (!config) return { launches: [], vault: "file" };
  const { accounts } = resolveSelector(config, { global: readState(stateText) });
  const launches = accounts.flatMap((account) => {
    const launch = account.stdio ? earlyLaunch(account) : undefined;
    return launch ? [launch] : [];
  });
  return { launches, vault: readVault(raw) };
}

/** The vault backend as the schema reads it (default: the keychain); an odd value: the file (never read early). */
function readVault(raw: unknown): VaultBackend {
  const vault = isRecord(raw) ? raw.vault : undefined;
  if (vault === undefined) return "keychain";
  if (!isRecord(vault)) return "file";
  return vault.backend === undefined || vault.backend === "keychain" ? "keychain" : "file";
}

/** The value of JSONC text as the config loader reads it, or undefined when that needs jsonc-parser. */
function parseJsonc(text: string): unknown {
  // As load.ts: a byte-order mark is ignored.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  // Plain JSON first: blanking comments walks the text character by character, milliseconds of
  // a start's critical path for a config of a few kilobytes; JSON.parse fails fast on JSONC.
  try {
    return JSON.parse(body);
  } catch {
    // comments or trailing commas: blanked below
  }
  const plain = blankJsoncExtras(body);
  if (plain === undefined) return undefined;
  try {
    return JSON.parse(plain);
  } catch {
    return undefined;
  }
}

/** The persisted global selector, as StateStore reads it (a damaged file: none). */
function readState(text: string | undefined): ReturnType<typeof readSelector> {
  if (text === undefined) return undefined;
  try {
    const raw: unknown = JSON.parse(text);
    return isRecord(raw) ? readSelector(raw.globalSelector) : undefined;
  } catch {
    return undefined;
  }
}

/** What the selector rule reads of a written config, defaults filled as the schema fills them. */
function readConfig(raw: unknown): SelectableConfig<WrittenAccount> | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.accounts)) return undefined;
  const accounts: WrittenAccount[] = [];
  for (const value of raw.accounts) {
    const account = readAccount(value);
    // Without its id the order and ids of the others cannot be trusted: nothing early.
    if (!account) return undefined;
    accounts.push(account);
  }
  const profiles = readProfiles(raw.profiles ?? {});
  const { bindingMode = "global", defaultAccount } = raw;
  if (!profiles || (bindingMode !== "global" && bindingMode !== "session" && bindingMode !== "locked")) {
    return undefined;
  }
  if (defaultAccount !== undefined && typeof defaultAccount !== "string") return undefined;
  return { accounts, profiles, bindingMode, ...(defaultAccount === undefined ? {} : { defaultAccount }) };
}

/**
 * An account's id and launch fields; `stdio` false when it is not a stdio account with a
 * command, or a launch field has an unexpected shape (it is then never started early).
 */
function readAccount(value: unknown): WrittenAccount | undefined {
  if (!isRecord(value) || typeof value.id !== "string") return undefined;
  const { id, transport, command, args = [], env = {}, cwd } = value;
  const none: WrittenAccount = { id, args: [], env: {}, stdio: false };
  // As the schema implies it: no transport and a command is stdio (a url too makes it invalid).
  if (transport !== undefined && transport !== "stdio") return none;
  if (typeof command !== "string" || (cwd !== undefined && typeof cwd !== "string")) return none;
  if (!isStringList(args) || !isRecord(env)) return none;
  const entries: [string, string][] = [];
  for (const [name, text] of schemaEntries(env)) {
    if (typeof text !== "string") return none;
    entries.push([name, text]);
  }
  return {
    id,
    command,
    args,
    env: Object.fromEntries(entries),
    stdio: true,
    ...(cwd === undefined ? {} : { cwd }),
  };
}

/** Profiles as account-id lists, from either written form (a list, or `{accounts, …}`). */
function readProfiles(value: unknown): Record<string, string[]> | undefined {
  if (!isRecord(value)) return undefined;
  const profiles: [string, string[]][] = [];
  for (const [name, profile] of schemaEntries(value)) {
    const members = isRecord(profile) ? profile.accounts : profile;
    if (!isStringList(members)) return undefined;
    profiles.push([name, members]);
  }
  return Object.fromEntries(profiles);
}

/**
 * A name map's entries without a `"__proto__"` key (JSON.parse keeps it as a key): the config's
 * validation refuses one (lib/config/validate.ts), so whatever starts early for such a config is
 * stopped when `serve` fails on it; left out here, it never names a variable or a profile.
 */
function schemaEntries(map: Record<string, unknown>): [string, unknown][] {
  return Object.entries(map).filter(([name]) => name !== "__proto__");
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
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
