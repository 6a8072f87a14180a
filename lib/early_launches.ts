/**
 * The launches a `serve` of a config would start at once, read from the config file itself
 * (issue 13, cold start, when no launch plan matches: a config's first start, and every start
 * after an edit). The entry calls this before the SDK and the config schema load, so the JSONC
 * is only parsed, not validated: the rules are the broker's own — the selector precedence
 * (selection.ts), `earlyLaunch` (launch_plan.ts: `${ENV}` and `vault:` references kept as
 * written, no `oauth:`) — applied to the fields as written. A field of an unexpected shape makes its account
 * (or the whole file) start nothing early; an invalid config that still yields a launch only
 * costs a process, stopped when `serve` fails on it; the pool adopts only a launch identical to
 * the one it would start (early_processes.ts).
 *
 * Pure.
 */
import { blankJsoncExtras } from "./jsonc.ts";
import { earlyLaunch, type LaunchFields, type PlannedLaunch, type PlanVault } from "./launch_plan.ts";
import { readSelector, resolveSelector, type SelectableConfig } from "./selection.ts";
import { isRecord } from "./values.ts";

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
): { launches: PlannedLaunch[]; vault: PlanVault } {
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
function readVault(raw: unknown): PlanVault {
  const vault = isRecord(raw) ? raw.vault : undefined;
  if (vault === undefined) return "keychain";
  if (!isRecord(vault)) return "file";
  return vault.backend === undefined || vault.backend === "keychain" ? "keychain" : "file";
}

/** The value of JSONC text as the config loader reads it, or undefined when that needs jsonc-parser. */
function parseJsonc(text: string): unknown {
  // As load.ts: a byte-order mark is ignored.
  const plain = blankJsoncExtras(text.startsWith("\uFEFF") ? text.slice(1) : text);
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
  const { id, transport, command, args = [], env = {}, cwd, secretEnv = [] } = value;
  const none: WrittenAccount = { id, args: [], env: {}, stdio: false };
  // As the schema implies it: no transport and a command is stdio (a url too makes it invalid).
  if (transport !== undefined && transport !== "stdio") return none;
  if (typeof command !== "string" || (cwd !== undefined && typeof cwd !== "string")) return none;
  if (!isStringList(args) || !isStringList(secretEnv) || !isRecord(env)) return none;
  const entries: [string, string][] = [];
  for (const [name, text] of Object.entries(env)) {
    if (typeof text !== "string") return none;
    entries.push([name, text]);
  }
  // Built with fromEntries: a "__proto__" key stays a key, as it does in the parsed file.
  const envText = Object.fromEntries(entries);
  return { id, command, args, env: envText, secretEnv, stdio: true, ...(cwd === undefined ? {} : { cwd }) };
}

/** Profiles as account-id lists, from either written form (a list, or `{accounts, …}`). */
function readProfiles(value: unknown): Record<string, string[]> | undefined {
  if (!isRecord(value)) return undefined;
  const profiles: [string, string[]][] = [];
  for (const [name, profile] of Object.entries(value)) {
    const members = isRecord(profile) ? profile.accounts : profile;
    if (!isStringList(members)) return undefined;
    profiles.push([name, members]);
  }
  return Object.fromEntries(profiles);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
