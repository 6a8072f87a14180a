/**
 * Building the broker from the command line's context, once for every command that runs one
 * (`serve`, the agent commands in direct mode, the daemon): the config (or the demo), the
 * persisted global choice, the vault, and the scrubber every outbound value and log line
 * passes through. In two steps: `prepareBroker` reads the config and the state (light: no SDK),
 * `build` loads the broker, OAuth and the SDK under them and constructs the broker — at once for
 * most commands (`openBroker`), on the first request for an idle `serve --http` (serve_http.ts).
 */
import { dirname, resolve } from "node:path";
import type { Broker } from "../broker/mod.ts";
import { earlySecret } from "../early_processes.ts";
import { earlyReadEnded } from "../keychain_store.ts";
import { JanusError } from "../errors.ts";
import {
  type JanusConfig,
  loadConfig,
  locateConfigFromEnvironment,
  type Selector,
  StateStore,
} from "../config/mod.ts";
import { MIN_REDACTABLE_LENGTH, openVault, SecretScrubber, type Vault } from "../secrets/mod.ts";
import { shortSecretWarnings } from "../upstream/mod.ts";
import { FileRevisionMemory, type RevisionMemory, revisionsFilePath } from "../upstream/mod.ts";
import type { OAuthRuntime, OAuthRuntimeOptions } from "../oauth/mod.ts";
import type { RemoteSupport } from "../upstream/mod.ts";
import { PRODUCT } from "../version.ts";
import type { CliContext } from "./context.ts";

/** A running broker and what travels with it. */
export interface OpenedBroker {
  broker: Broker;
  /** Scrubs every resolved secret from a value on its way out. */
  outbound: <T>(value: T) => T;
  /** Writes one log line, redacted and prefixed, to the sink given to `openBroker`. */
  log(line: string): void;
  /** The configuration it serves. */
  config: JanusConfig;
  /** One line saying what is served (config path and account count, or the demo). */
  banner: string;
  /** The config file (absent for the demo). */
  configPath?: string;
  /** Where the file vault and state live. */
  configDir: string;
  /** The persisted global selector as it is on disk now (another process may have changed it). */
  loadGlobal(): Promise<Selector | undefined>;
}

/** The broker's config and state, read; `build` constructs the broker. */
export interface PreparedBroker extends Omit<OpenedBroker, "broker"> {
  /** Loads the broker's modules and constructs it, serving `config` (default: the one read). */
  build(config?: JanusConfig): Promise<OpenedBroker>;
}

/** Where the broker's configuration and persisted choice come from. */
interface Setup {
  config: JanusConfig;
  configPath?: string;
  configDir: string;
  initialGlobal?: Selector;
  loadGlobal(): Promise<Selector | undefined>;
  persistGlobal(selector: Selector): Promise<void>;
  /** Upstreams' protocol revisions, remembered beside the state file (in memory for the demo). */
  revisions?: RevisionMemory;
  banner: string;
}

/** The config file the context points at: `--config`, else JANUS_CONFIG / ./config.json / the user dir. */
export function contextConfigPath(ctx: CliContext): string {
  return resolve(ctx.configPath ?? locateConfigFromEnvironment().path);
}

/**
 * Loads the config (or the demo's) and constructs the broker. `sink` receives finished log
 * lines (stderr for `serve`, the log file for the daemon, nowhere for one-shot commands).
 */
export async function openBroker(
  ctx: CliContext,
  options: { demo?: boolean; sink: (text: string) => void },
): Promise<OpenedBroker> {
  return await (await prepareBroker(ctx, options)).build();
}

/** Reads the config (or the demo's) and the persisted choice; logs the config's warnings. */
export async function prepareBroker(
  ctx: CliContext,
  options: { demo?: boolean; sink: (text: string) => void },
): Promise<PreparedBroker> {
  // One scrubber for everything that leaves: results per account (in the broker), errors and
  // notifications (via the session server), and every log line. It learns each value the moment
  // an upstream is given it.
  const scrubber = new SecretScrubber();
  const env = ctx.env ?? ((name: string) => Deno.env.get(name));
  const passphrase = env("JANUS_VAULT_PASSPHRASE");
  if (passphrase) scrubber.addBrokerWide("JANUS_VAULT_PASSPHRASE", passphrase);
  const log = (line: string) => options.sink(scrubber.redactText(`janusmcp: ${line}\n`));
  const setup = options.demo ? await demoSetup() : await fileSetup(ctx, log);
  for (const warning of shortSecretWarnings(setup.config, env)) log(`warning: ${warning}`);

  const opened = {
    outbound: <T>(value: T): T => scrubber.outbound(value),
    log,
    banner: setup.banner,
    config: setup.config,
    configPath: setup.configPath,
    configDir: setup.configDir,
    loadGlobal: setup.loadGlobal,
  };
  return {
    ...opened,
    build: async (config = setup.config) => ({
      ...opened,
      config,
      broker: await buildBroker({ ...setup, config }, scrubber, env, log),
    }),
  };
}

/** Constructs the broker over its config: the vault, OAuth, every resolved secret taught to the scrubber. */
async function buildBroker(
  setup: Setup,
  scrubber: SecretScrubber,
  env: (name: string) => string | undefined,
  log: (line: string) => void,
): Promise<Broker> {
  const { Broker } = await import("../broker/mod.ts");
  const tooShort = new Set<string>();
  const vault = withEarlySecrets(openVault({ config: setup.config, configDir: setup.configDir, env }));
  // OAuth logins of remote accounts and `oauth:NAME` tokens: refreshed safely across processes,
  // every token registered with the scrubber the moment it is seen.
  const remote = lazyRemote({
    vault,
    stateDir: setup.configDir,
    env,
    log: (accountId, line) => log(`[${accountId}] ${line}`),
    tokenSeen: (accountId, value) => void scrubber.addBrokerWide(`oauth:${accountId}`, value),
    providers: setup.config.oauthProviders,
  });
  return new Broker({
    config: setup.config,
    configPath: setup.configPath,
    initialGlobal: setup.initialGlobal,
    persistGlobal: setup.persistGlobal,
    revisions: setup.revisions,
    results: scrubber,
    sources: { env, vault, remote },
    log,
    secretsResolved: (accountId, secrets) => {
      for (const secret of secrets) {
        const added = scrubber.addForAccount(accountId, secret.name, secret.value, secret.reference);
        // Short ${ENV} secrets were reported when the config was loaded.
        if (added.registered || tooShort.has(secret.name) || secret.reference.startsWith("${")) continue;
        tooShort.add(secret.name);
        log(
          `warning: [${accountId}] the value of ${secret.reference} is shorter than ${MIN_REDACTABLE_LENGTH} characters, so it cannot be redacted from output`,
        );
      }
    },
  });
}

/**
 * The keychain vault, answering first with the values the CLI's entry read for the upstreams it
 * started early (lib/early_processes.ts): the pool resolves the same launch without reading the
 * keychain twice, and `secretsResolved` teaches those values to the scrubber as for any start.
 * A read the entry gave up waiting for is waited for first: one keychain prompt at a time.
 */
function withEarlySecrets(vault: Vault): Vault {
  if (vault.backend !== "keychain") return vault;
  return {
    backend: vault.backend,
    get: (name) => {
      const early = earlySecret(name);
      return early === undefined ? earlyReadEnded().then(() => vault.get(name)) : Promise.resolve(early);
    },
    set: (name, value) => vault.set(name, value),
    delete: (name) => vault.delete(name),
    list: () => vault.list(),
  };
}

async function demoSetup(): Promise<Setup> {
  const { demoConfig } = await import("../demo/mod.ts"); // only `serve --demo` needs it
  const config = demoConfig();
  return {
    config,
    configDir: Deno.cwd(),
    loadGlobal: () => Promise.resolve(undefined),
    persistGlobal: () => Promise.resolve(), // the demo keeps its choice in memory only
    banner: `${PRODUCT.title} ${PRODUCT.version}: serving the built-in demo (accounts: ${
      config.accounts.map((a) => a.id).join(", ")
    }). Connect an MCP client to this command, then call janus_use_account.`,
  };
}

async function fileSetup(ctx: CliContext, log: (line: string) => void): Promise<Setup> {
  const configPath = ctx.configPath ?? locateConfigFromEnvironment().path;
  const loaded = await loadConfig(configPath);
  if (!loaded.exists && ctx.configPath !== undefined) {
    // A file named on purpose that is not there is a mistake, not a request for the empty config.
    throw new JanusError("config", `config file ${configPath} does not exist (named by --config)`);
  }
  const state = new StateStore(configPath, { warn: log });
  const loadGlobal = async () => loaded.exists ? (await state.load()).globalSelector : undefined;
  const revisions = loaded.exists
    ? await FileRevisionMemory.load(revisionsFilePath(configPath), (line) => log(`warning: ${line}`))
    : undefined;
  const { accounts, bindingMode } = loaded.config;
  const banner = loaded.exists
    ? `${PRODUCT.title} ${PRODUCT.version}: config ${configPath} (${accounts.length} account${
      accounts.length === 1 ? "" : "s"
    }, bindingMode ${bindingMode})`
    : `${PRODUCT.title} ${PRODUCT.version}: no config file at ${configPath}; serving the control tools only. Create it (see README) or run with --demo.`;
  return {
    config: loaded.config,
    configPath,
    configDir: dirname(configPath),
    initialGlobal: await loadGlobal(),
    loadGlobal,
    persistGlobal: (selector) => state.save({ globalSelector: selector }),
    revisions,
    banner,
  };
}

/**
 * The broker's OAuth (`ReferenceSources.remote`), loaded with the MCP client SDK under it the
 * first time a remote account or an `oauth:` reference needs it: a broker whose upstreams have
 * not started (an idle or freshly connected `serve --http`) does without both.
 */
function lazyRemote(options: OAuthRuntimeOptions): RemoteSupport {
  let loading: Promise<OAuthRuntime> | undefined;
  const runtime = () =>
    loading ??= import("../oauth/mod.ts").then(({ OAuthRuntime }) => new OAuthRuntime(options));
  return {
    authProvider: async (account, clientSecret) => (await runtime()).authProvider(account, clientSecret),
    rememberedTransport: async (accountId, url) => (await runtime()).rememberedTransport(accountId, url),
    rememberTransport: async (accountId, url, kind) =>
      (await runtime()).rememberTransport(accountId, url, kind),
    login: async (account, resolved, io) => (await runtime()).login(account, resolved, io),
    loginToken: async (name) => (await runtime()).loginToken(name),
    openBrowser: async (url) => (await runtime()).openBrowser(url),
    loginStatus: async (accountId) => (await runtime()).loginStatus(accountId),
  };
}
