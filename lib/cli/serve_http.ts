/**
 * `serve --http` (HTTP alone): reads and checks the config, binds the port, and loads the broker,
 * the HTTP transport and the MCP SDK under them only when the first request arrives (issue 13,
 * idle memory: a broker started ahead of its clients, with 50 accounts configured, costs the
 * runtime, the config and a listener, not the SDK). What a bad config or a taken port makes fail
 * still fails at start; a config with keepWarm accounts builds the broker at start, as they start
 * at launch. Nothing here imports the SDK: the heavy modules come in through `build`.
 */
import type { Broker } from "../broker/mod.ts";
import { type JanusConfig, loadOrCreateHttpToken } from "../config/mod.ts";
import { JanusError, JSON_RPC, messageOf } from "../errors.ts";
import { earlyHandover } from "../early_processes.ts";
import { isLoopbackHost } from "../hosts.ts";
import { type HttpServerHandle, listenHttp, type Served } from "../http_listen.ts";
import { prepareBroker, type PreparedBroker } from "./broker_setup.ts";
import type { Reloadable } from "./config_watch.ts";
import { watchConfig } from "./config_watch.ts";
import type { CliContext } from "./context.ts";
import { DRAIN_MS, type ServeOptions } from "./serve_options.ts";
import { waitForStopSignal } from "./stop_signal.ts";

/** What changed between two account lists, as the pool reports a reconfiguration (pure). */
export function accountChanges(
  before: readonly { id: string }[],
  after: readonly { id: string }[],
): { added: string[]; removed: string[]; changed: string[] } {
  const old = new Map(before.map((account) => [account.id, JSON.stringify(account)]));
  const next = new Map(after.map((account) => [account.id, JSON.stringify(account)]));
  return {
    added: [...next.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !next.has(id)),
    changed: [...next].filter(([id, text]) => old.has(id) && old.get(id) !== text).map(([id]) => id),
  };
}

/**
 * An app built on first use. Until then a config edit only replaces the config it will be built
 * with; after, edits go to the broker. A build that fails is reported to that request and tried
 * again by the next one; after `close` nothing is built.
 */
export class LazyHttpApp<B extends Reloadable = Broker> implements Served, Reloadable {
  #config: JanusConfig;
  #building?: Promise<{ app: Served; broker: B }>;
  #built?: { app: Served; broker: B };
  #closed = false;

  constructor(
    config: JanusConfig,
    private readonly build: (config: JanusConfig) => Promise<{ app: Served; broker: B }>,
    private readonly log: (line: string) => void,
  ) {
    this.#config = config;
  }

  /** The broker, once built. */
  get broker(): B | undefined {
    return this.#built?.broker;
  }

  fetch = (request: Request): Response | Promise<Response> =>
    this.#built ? this.#built.app.fetch(request) : this.#first(request);

  async #first(request: Request): Promise<Response> {
    try {
      return (await this.start()).app.fetch(request);
    } catch (error) {
      const message = `cannot start the broker: ${messageOf(error)}`;
      this.log(`http: ${message}`);
      return Response.json({ jsonrpc: "2.0", error: { code: JSON_RPC.internalError, message }, id: null }, {
        status: 503,
      });
    }
  }

  /** Builds the app now (once; concurrent callers share the build). */
  start(): Promise<{ app: Served; broker: B }> {
    if (this.#closed) return Promise.reject(new Error("the broker is shutting down"));
    this.#building ??= this.#build().catch((error: unknown) => {
      this.#building = undefined;
      throw error;
    });
    return this.#building;
  }

  async #build(): Promise<{ app: Served; broker: B }> {
    const config = this.#config;
    const built = await this.build(config);
    // An edit applied while the broker was loading.
    if (this.#config !== config) await built.broker.reload(this.#config);
    this.#built = built;
    return built;
  }

  async reload(config: JanusConfig): Promise<{ added: string[]; removed: string[]; changed: string[] }> {
    if (this.#built) return await this.#built.broker.reload(config);
    const changes = accountChanges(this.#config.accounts, config.accounts);
    this.#config = config;
    return changes;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const built = await this.#building?.catch(() => undefined);
    await built?.app.close();
  }
}

/** Serves the broker over HTTP alone, loading it on the first request. */
export async function serveHttp(ctx: CliContext, options: ServeOptions): Promise<number> {
  const prepared = await prepareBroker(ctx, { demo: options.demo, sink: (text) => ctx.err(text) });
  const { log, config, configPath } = prepared;
  log(prepared.banner);
  const token = isLoopbackHost(options.host) ? undefined : await remoteToken(prepared);
  const lazy = new LazyHttpApp(config, (current) => buildApp(prepared, current, options, token), log);
  // keepWarm accounts start at launch (broker.warm), so their broker cannot wait for a client.
  if (config.accounts.some((account) => account.keepWarm)) await lazy.start();
  // Hot reload: valid edits apply at once (to the config the broker will be built with, until it is).
  const watch = configPath ? watchConfig(configPath, config, lazy, log) : undefined;
  const stopped = waitForStopSignal();
  earlyHandover(log);
  let http: HttpServerHandle | undefined;
  try {
    http = await listen(lazy, options);
    log(`listening on ${http.url}/mcp (health: ${http.url}/healthz)`);
    await stopped.promise;
  } finally {
    watch?.stop();
    // From here a signal means "hurry" (see serve.ts).
    stopped.hurry();
    if (http) await lazy.broker?.drain(DRAIN_MS);
    stopped.dispose();
    if (http) await http.shutdown();
    else await lazy.close();
    await lazy.broker?.close();
  }
  return 0;
}

/** The bearer token remote clients must send, created on first use. */
async function remoteToken(prepared: PreparedBroker): Promise<string> {
  const stored = await loadOrCreateHttpToken(prepared.configDir);
  prepared.log(
    `remote clients must send "Authorization: Bearer <token>" with the token in ${stored.path}${
      stored.created ? " (just created)" : ""
    }`,
  );
  return stored.token;
}

async function listen(app: Served, options: ServeOptions): Promise<HttpServerHandle> {
  try {
    return await listenHttp(app, options.host, options.port);
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new JanusError("usage", `port ${options.port} on ${options.host} is already in use; pass --port`);
    }
    throw error;
  }
}

/** The broker and the HTTP app over it: the first moment the SDK is loaded. */
async function buildApp(
  prepared: PreparedBroker,
  config: JanusConfig,
  options: ServeOptions,
  token: string | undefined,
): Promise<{ app: Served; broker: Broker }> {
  const { broker, log, outbound } = await prepared.build(config);
  broker.warm(undefined);
  try {
    const { loadHttp } = await import("../transport/mod.ts");
    const { allowedHostsFor, createHttpApp, DEFAULT_MAX_BODY_BYTES } = await loadHttp();
    const app = createHttpApp(broker, {
      guard: { allowedHosts: allowedHostsFor(options.host), token },
      maxBodyBytes: config.limits?.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxSessions: config.limits?.maxHttpSessions,
      sessionIdleMs: options.sessionIdleSeconds * 1000,
      log,
      outbound,
    });
    return { app, broker };
  } catch (error) {
    await broker.close(); // its keepWarm upstreams may have started
    throw error;
  }
}
