/**
 * `serve`'s head start (issue 13, cold start): before the command's module — the SDK, the broker,
 * the config code, 150-200 ms of loading — the stdio upstreams the config file and state.json name
 * for the default selector are started (lib/early_launches.ts), so that their own start overlaps
 * the broker's; the pool adopts them (lib/early_processes.ts). A launch's `${ENV}` references are
 * resolved from this process's environment, its `vault:` ones from the OS keychain (the file vault
 * needs a passphrase: never early), only now that its process starts; a reference that cannot be
 * resolved starts nothing early for that account (the pool then reports it as usual). Only for a `serve` that starts its
 * default selector's upstreams at once: over stdio or both, not the demo, not relaying to a daemon.
 * Over stdio it also starts reading the client's handshake, to answer it from the early-answer
 * record when that client was served before (lib/early_stdio.ts).
 * Plain Deno APIs only, and nothing here may stop `serve`: any trouble just means no head start.
 */
import { resolve } from "node:path";
import { earlyAnswersPath, locateConfigFromEnvironment, stateFilePath } from "../config_location.ts";
import {
  answerFor,
  type AnswerKeys,
  answerKeys,
  clientDigest,
  parseEarlyAnswers,
  sameKeys,
} from "../early_answers.ts";
import {
  type EarlyLaunch,
  inheritedEnvironment,
  launchesFromConfig,
  launchReferences,
  resolveEarlyLaunch,
  type VaultBackend,
} from "../early_launches.ts";
import { startEarly } from "../early_processes.ts";
import { EarlyStdio } from "../early_stdio.ts";
import { PRODUCT } from "../version.ts";
import type { ParsedArgs } from "./args.ts";

/** The keys computed at launch, for the config they were computed for (see `keysAtLaunch`). */
let atLaunch: { configPath: string; keys: AnswerKeys } | undefined;
/** The handshake being answered early, for the config it was answered for (see `takeEarlyStdio`). */
let earlyStdio: { configPath: string; stdio: EarlyStdio } | undefined;

/** What the entry knows when it gets here: the command line, parsed. */
export interface EarlyLine {
  name: string;
  help: boolean;
  version: boolean;
  configPath?: string;
  args: ParsedArgs;
}

/** Whether this command line runs a `serve` that starts its default selector's stdio upstreams at once (pure). */
export function startsUpstreamsAtOnce(line: EarlyLine, env: (name: string) => string | undefined): boolean {
  if (line.name !== "serve" || line.help || line.version || line.args.positionals.length > 0) return false;
  const { values } = line.args;
  if (values.demo === true) return false;
  const daemon = env("JANUS_DAEMON");
  if (daemon === "auto" || daemon === "require") return false;
  // As serve_options.ts reads it (an invalid one fails there, after this did nothing).
  const transport = values.http === true ? "http" : values.transport ?? env("JANUS_TRANSPORT") ?? "stdio";
  return transport === "stdio" || transport === "both";
}

/**
 * For a `serve` that starts upstreams at once: computes the keys of its config and state files as
 * they are now (kept for the early-answer record `serve` writes) and starts the default
 * selector's launches those files name. Returns how many processes were started.
 */
export async function startEarlyUpstreams(
  line: EarlyLine,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Promise<number> {
  atLaunch = undefined;
  earlyStdio = undefined;
  if (!startsUpstreamsAtOnce(line, env)) return 0;
  try {
    const configPath = resolve(line.configPath ?? locateConfigFromEnvironment().path);
    const config = readIfThere(configPath);
    if (!config) return 0;
    const state = readIfThere(stateFilePath(configPath));
    const { launches, vault } = launchesFromConfig(decode(config), state && decode(state));
    const [direct, vaulted] = partition(launches, (launch) => launchReferences(launch).vault.length === 0);
    let started = startLaunches(direct, env, new Map());
    // After the spawns (the digests wait for an async op): the keys only serve the early answers,
    // and the client's first frame takes a few milliseconds to arrive anyway.
    const keys = await answerKeys(config, state, PRODUCT.version);
    atLaunch = { configPath, keys };
    answerHandshakeEarly(configPath, keys);
    if (vaulted.length > 0 && vaultInForce(vault, env) === "keychain") {
      started += startLaunches(vaulted, env, await readKeychain(vaulted));
    }
    return started;
  } catch {
    return 0; // no head start; serve reports real problems with its config itself
  }
}

/** The longest the broker's loading waits for a client's handshake to be answered early. */
const HANDSHAKE_WAIT_MS = 50;

/**
 * Waits (briefly) for the handshake being answered early, before the broker's modules load and
 * keep the event loop busy (see `EarlyStdio.settled`); at once when there is none.
 */
export async function earlyHandshake(): Promise<void> {
  await earlyStdio?.stdio.settled(HANDSHAKE_WAIT_MS);
}

/**
 * The stdio reader that answered (or is answering) the client's handshake early, for `serve` to
 * hand over to its wire; only for this config file, and only once.
 */
export function takeEarlyStdio(configPath: string): EarlyStdio | undefined {
  const taken = earlyStdio && earlyStdio.configPath === resolve(configPath) ? earlyStdio.stdio : undefined;
  earlyStdio = undefined;
  return taken;
}

/** Starts reading stdin for a handshake the record can answer, when there is a record for these keys. */
function answerHandshakeEarly(configPath: string, keys: AnswerKeys): void {
  if (Deno.stdin.isTerminal()) return;
  const text = readIfThere(earlyAnswersPath(configPath));
  const record = text && parseEarlyAnswers(decode(text));
  if (!record || !sameKeys(record.keys, keys) || record.answers.length === 0) return;
  const lookup = (params: unknown) => answerFor(record, keys, clientDigest(params));
  earlyStdio = { configPath, stdio: new EarlyStdio(lookup, { stdin: Deno.stdin, stdout: Deno.stdout }) };
}

/**
 * Starts the launches whose references resolve (environment variables from `env`, vault secrets
 * from `secrets`), each with the environment every stdio upstream inherits.
 */
function startLaunches(
  launches: EarlyLaunch[],
  env: (name: string) => string | undefined,
  secrets: ReadonlyMap<string, string>,
): number {
  const inherited = inheritedEnvironment(env);
  const values = { env, vault: (name: string) => secrets.get(name) };
  return startEarly(launches.flatMap((launch) => {
    const resolved = resolveEarlyLaunch(launch, values);
    if (!resolved) return [];
    const used = launchReferences(launch).vault.flatMap((name) => {
      const value = secrets.get(name);
      return value === undefined ? [] : [[name, value] as const];
    });
    return [{
      account: launch.account,
      spec: { ...resolved, env: { ...inherited, ...resolved.env } },
      secrets: new Map(used),
    }];
  }));
}

/** The vault `serve` will use, as lib/secrets/open_vault.ts chooses it (an invalid JANUS_VAULT: none). */
function vaultInForce(
  config: VaultBackend,
  env: (name: string) => string | undefined,
): VaultBackend | undefined {
  const override = env("JANUS_VAULT")?.trim();
  if (override === undefined || override === "") return config;
  return override === "keychain" || override === "file" ? override : undefined;
}

/**
 * The longest the entry waits for the keychain (its binding loads in ~20 ms and a read takes ~5 ms
 * here): a locked keychain may be prompting the person, and `serve` must not wait on that to load.
 */
const KEYCHAIN_WAIT_MS = 250;

/**
 * The keychain's values of the secrets these launches name (a missing one is absent). Nothing
 * when the keychain cannot be used (no binding, no Secret Service, locked) or does not answer in
 * time: then nothing that needs it starts early, and the pool's own read reports why.
 */
async function readKeychain(launches: EarlyLaunch[]): Promise<Map<string, string>> {
  const names = new Set(launches.flatMap((launch) => launchReferences(launch).vault));
  // Loaded only here: a start with no vault reference never loads the keychain code.
  const { earlyReadPending, KEYCHAIN_ENTRY_OPTIONS, KEYCHAIN_SERVICE, loadKeyring } = await import(
    "../keychain_store.ts"
  );
  const read = (async () => {
    const keyring = await loadKeyring();
    const values = new Map<string, string>();
    await Promise.all([...names].map(async (name) => {
      const entry = new keyring.AsyncEntry(KEYCHAIN_SERVICE, name, KEYCHAIN_ENTRY_OPTIONS);
      const value = await entry.getPassword();
      if (value !== null && value !== undefined) values.set(name, value);
    }));
    return values;
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) =>
    timer = setTimeout(() => resolve(undefined), KEYCHAIN_WAIT_MS)
  );
  try {
    const values = await Promise.race([read, late]);
    if (values) return values;
    earlyReadPending(read);
    return new Map();
  } catch {
    return new Map();
  } finally {
    clearTimeout(timer);
  }
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/** The keys computed at launch for this config file, when it was this process's `serve` config. */
export function keysAtLaunch(configPath: string): AnswerKeys | undefined {
  return atLaunch && atLaunch.configPath === resolve(configPath) ? atLaunch.keys : undefined;
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** A file's bytes, or undefined when it is not there. */
function readIfThere(path: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Deno.readFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
