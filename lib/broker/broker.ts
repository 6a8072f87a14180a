/**
 * The routing core, shared by every transport: sessions, selectors, route tables, routed
 * requests and change notifications. A transport hands it requests with the session they came
 * from; it answers with relayed upstream results. It never touches bytes, files or the wire;
 * multi-round-trip state lives in rounds.ts (and input_bridge.ts for 2025 upstreams asking 2026
 * clients), resource subscriptions in resource_subscriptions.ts, and
 * what the control tools do in control_actions.ts (which reaches the core as a `ControlHost`).
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import type { JanusConfig, Selector } from "../config/mod.ts";
import { JanusError, messageOf } from "../errors.ts";
import {
  type CatalogItems,
  type CatalogKind,
  type Era,
  type ReferenceSources,
  type ResolvedSecret,
  type RevisionMemory,
  UpstreamPool,
  type UpstreamResult,
  type UpstreamStatus,
} from "../upstream/mod.ts";
import type { ControlHost } from "./control_host.ts";
import type { SwitchScope } from "./control_tools.ts";
import { isOwnTool, listedTools, runOwnTool, sessionView } from "./own_tools.ts";
import type { SearchHost, SelectorSearch } from "./search_actions.ts";
import type { RequestContext } from "./request.ts";
import { InFlightCalls } from "./in_flight.ts";
import { Relay, type ResultScrubber } from "./relay.ts";
import { upstreamSettings } from "./upstream_settings.ts";
import { announceAll, announceChanges, announceReload, rememberListed } from "./list_changes.ts";
import { withPrefixedContents } from "./routes.ts";
import { type CompletionRef, SelectorRoutes } from "./selector_routes.ts";
import { accountsOf, describeSelector, type ResolvedSelector, resolveSelector } from "./selector.ts";
import { Session } from "./session.ts";
import { ResourceSubscriptions } from "./resource_subscriptions.ts";
import { toolError } from "./tool_results.ts";

/** What the broker needs from the outside world. */
export interface BrokerOptions {
  config: JanusConfig;
  /** Shown in messages that tell the user where to change things. */
  configPath?: string;
  /** Where `${ENV}` and vault references are looked up when an upstream starts. */
  sources: ReferenceSources;
  /** The persisted global selector, if any (already loaded). */
  initialGlobal?: Selector;
  /** Persists a global switch. */
  persistGlobal(selector: Selector): Promise<void>;
  /** Human log lines (stderr). */
  log(line: string): void;
  /** Called with every secret value resolved for an upstream (for redaction). */
  secretsResolved?(accountId: string, secrets: readonly ResolvedSecret[]): void;
  /** Where upstreams' protocol revisions are remembered across restarts (default: this process only). */
  revisions?: RevisionMemory;
  /** Scrubs each relayed result with the secrets of the account that produced it. */
  results?: ResultScrubber;
}

/** The routing core. One per process. */
export class Broker implements ControlHost, SearchHost {
  #config: JanusConfig;
  readonly #options: BrokerOptions;
  readonly #pool: UpstreamPool;
  readonly #sessions = new Set<Session>();
  readonly #routes: SelectorRoutes;
  /** Takes each routed request to its upstream and back. */
  readonly #relay: Relay;
  /** Client requests not yet answered (shutdown answers each of them). */
  readonly #inFlight = new InFlightCalls();
  /** Resource subscriptions: account + upstream URI → each subscribed session and its URI for it. */
  readonly #subscriptions = new ResourceSubscriptions<Session>();
  #global?: Selector;

  constructor(options: BrokerOptions) {
    this.#options = options;
    this.#config = options.config;
    const saved = options.initialGlobal;
    if (saved && !accountsOf(this.#config, saved)) {
      options.log(`saved selection ${describeSelector(saved)} is no longer in the config; using the default`);
    } else this.#global = saved;
    this.#pool = new UpstreamPool(
      options.config.accounts,
      options.sources,
      {
        log: (accountId, line) => options.log(`[${accountId}] ${line}`),
        listChanged: (accountId, kinds) => this.#upstreamListChanged(accountId, kinds),
        resourceUpdated: (accountId, uri) => {
          for (const [session, exposed] of this.#subscriptions.subscribersOf(accountId, uri)) {
            session.notifier.resourceUpdated?.(exposed);
          }
        },
        message: (accountId, params) => {
          // The client sees which account spoke: the logger name carries the account id.
          const logger = params.logger ? `${accountId}/${params.logger}` : accountId;
          for (const session of this.#sessionsUsing(accountId)) session.notifier.log?.({ ...params, logger });
        },
        secretsResolved: (accountId, secrets) => options.secretsResolved?.(accountId, secrets),
      },
      options.revisions,
      upstreamSettings(options.config, (accountId) => this.#subscriptions.follows(accountId)),
    );
    this.#routes = new SelectorRoutes(this.#pool, options.log, () => this.#config);
    this.#relay = new Relay({
      pool: this.#pool,
      inFlight: this.#inFlight,
      results: options.results,
      callTimeoutMs: (id) =>
        this.#pool.lifecycle.callTimeoutMs(this.#config.accounts.find((a) => a.id === id)),
    });
  }

  /** The configuration the broker runs with. */
  get config(): JanusConfig {
    return this.#config;
  }

  /** Registers a downstream session; its transport sets `notifier` once it can reach the client. */
  openSession(id: string, options: { stateless?: boolean; era?: Era } = {}): Session {
    const session = new Session(id, options.stateless, options.era);
    this.#sessions.add(session);
    return session;
  }

  /**
   * Resolves once no request is in flight, or after `timeoutMs`; requests still running then are
   * answered with an error saying the broker is stopping (for graceful shutdown).
   */
  async drain(timeoutMs: number): Promise<void> {
    await this.#inFlight.drain(timeoutMs);
  }

  /** Runs one client request as "in flight": shutdown waits for it, then answers it with an error. */
  track<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    return this.#inFlight.run(signal, work);
  }

  /** Starts the keepWarm accounts' upstreams now; with `era` (the coming client's), the default selector's too. */
  warm(era?: Era): void {
    this.#pool.warm();
    if (era) this.#pool.prestart(resolveSelector(this.#config, { global: this.#global }).accounts, era);
  }

  /**
   * Applies a new configuration (hot reload): removed accounts' upstreams are closed, changed
   * ones restarted on their next call, and the sessions whose accounts changed are told their
   * lists changed. The persisted choice stays; where it names something gone, the default applies.
   */
  async reload(config: JanusConfig): Promise<{ added: string[]; removed: string[]; changed: string[] }> {
    const viewOf = (session: Session) => sessionView(this.#config, this.resolve(session));
    const before = new Map([...this.#sessions].map((session) => [session, viewOf(session)]));
    this.#config = config;
    const diff = await this.#pool.reconfigure(config.accounts);
    announceReload(before, viewOf, [...diff.removed, ...diff.changed]);
    return diff;
  }

  /** Forgets a session (its client went away), and the resource subscriptions only it held. */
  closeSession(session: Session): void {
    this.#sessions.delete(session);
    this.#subscriptions.removeEverywhere(session);
  }

  /** `resources/subscribe`: the upstream that owns the URI is subscribed once, for every session that asks. */
  async subscribe(session: Session, uri: string): Promise<void> {
    const route = await this.#routes.resource(this.resolve(session), uri, session.era);
    await this.#subscriptions.add(route.accountId, route.upstream, session, uri, async () => {
      const connection = await this.#pool.get(route.accountId, session.era);
      await connection.subscribe(route.upstream);
      return () => connection.unsubscribe(route.upstream);
    });
  }

  /** `resources/unsubscribe`: the upstream is unsubscribed when no session follows the URI any more. */
  async unsubscribe(session: Session, uri: string): Promise<void> {
    const route = await this.#routes.resource(this.resolve(session), uri, session.era);
    await this.#subscriptions.remove(route.accountId, route.upstream, session);
  }

  /** Closes every upstream (ends every child process). */
  async close(): Promise<void> {
    this.#sessions.clear();
    await this.#pool.closeAll();
  }

  /** The selector a session's next call runs against. */
  resolve(session: Session, override?: Selector): ResolvedSelector {
    return resolveSelector(this.#config, { override, session: session.choice, global: this.#global });
  }

  // ---- lists -------------------------------------------------------------------------------

  /** `tools/list`: the control tools, then the selector's tools or the search tools (exposure). */
  async listTools(session: Session, clientName?: string): Promise<Tool[]> {
    const resolved = this.resolve(session);
    const table = await this.#routes.table(resolved, "tools", session.era);
    rememberListed(session, "tools", table.items);
    session.toolsComplete = !table.unavailable;
    return listedTools(this.#config, resolved, table.items, clientName);
  }

  /** The definition of a tool as the session sees it (control tools included), if it has one. */
  async findTool(session: Session, name: string, clientName?: string): Promise<Tool | undefined> {
    // Only what tools/list shows (exposure decides): a client knows nothing else's definition.
    const resolved = this.resolve(session);
    const table = await this.#routes.table(resolved, "tools", session.era);
    return listedTools(this.#config, resolved, table.items, clientName).find((tool) => tool.name === name);
  }

  /** `resources/list`, `resources/templates/list` or `prompts/list` for the session's selector. */
  async list<K extends Exclude<CatalogKind, "tools">>(session: Session, kind: K): Promise<CatalogItems[K][]> {
    const table = await this.#routes.table(this.resolve(session), kind, session.era);
    rememberListed(session, kind, table.items);
    return table.items;
  }

  // ---- routed requests ---------------------------------------------------------------------

  /**
   * `tools/call`. The selector is resolved once, at the start: a switch made while the call
   * runs does not reroute it. Upstream failures come back as tool errors the model can read.
   */
  async callTool(
    session: Session,
    params: { name: string; arguments?: Record<string, unknown> } & Record<string, unknown>,
    context: RequestContext = {},
  ): Promise<CallToolResult | UpstreamResult> {
    if (isOwnTool(params.name)) return await runOwnTool(this, session, params, context);
    const resolved = this.resolve(session);
    // An account waiting out its restart backoff has no tool list: say so, not "unknown tool".
    const table = await this.#routes.table(resolved, "tools", session.era);
    const restarting = table.routes.has(params.name)
      ? undefined
      : resolved.accounts.map((a) => this.#pool.restarting(a.id)).find(Boolean);
    if (restarting) return toolError(restarting.message);
    const route = await this.#routes.toolCall(resolved, params.name, params.arguments, session.era, table);
    if ("problem" in route) return toolError(route.problem);
    return await this.#relay.relayToolCall({
      session,
      accountId: route.accountId,
      method: "tools/call",
      target: params.name,
      params: { ...params, name: route.upstream, arguments: route.arguments },
    }, context);
  }

  /** `resources/read`, routed by URI to the account that owns it. */
  async readResource(
    session: Session,
    params: { uri: string } & Record<string, unknown>,
    context: RequestContext = {},
  ): Promise<UpstreamResult> {
    const route = await this.#routes.resource(this.resolve(session), params.uri, session.era);
    const result = await this.#relay.relay({
      session,
      accountId: route.accountId,
      method: "resources/read",
      target: params.uri,
      params: { ...params, uri: route.upstream },
    }, context);
    // A resource exposed under a janus:// prefix gets its contents back under the same URI.
    if (route.upstream === params.uri) return result;
    const prefixed = withPrefixedContents(result, route.accountId);
    // A copy built from a scrubbed result (no new upstream text in it) stays scrubbed.
    return this.#options.results?.markScrubbed(prefixed) ?? prefixed;
  }

  /** `prompts/get`, routed by prompt name. */
  async getPrompt(
    session: Session,
    params: { name: string } & Record<string, unknown>,
    context: RequestContext = {},
  ): Promise<UpstreamResult> {
    const route = await this.#routes.prompt(this.resolve(session), params.name, session.era);
    return await this.#relay.relay({
      session,
      accountId: route.accountId,
      method: "prompts/get",
      target: params.name,
      params: { ...params, name: route.upstream },
    }, context);
  }

  /** `completion/complete`, routed by the prompt name or resource template it refers to. */
  async complete(
    session: Session,
    params: { ref: CompletionRef } & Record<string, unknown>,
    context: RequestContext = {},
  ): Promise<UpstreamResult> {
    const { route, target, upstreamRef } = await this.#routes.completion(
      this.resolve(session),
      params.ref,
      session.era,
    );
    return await this.#relay.relay({
      session,
      accountId: route.accountId,
      method: "completion/complete",
      target,
      params: { ...params, ref: upstreamRef },
    }, context);
  }

  // ---- operations behind the control tools ------------------------------------------------

  /** Where the config file is, for messages that tell the user what to change. */
  get configPath(): string | undefined {
    return this.#options.configPath;
  }

  /** Where references are looked up, and remote accounts' OAuth (for logins started from chat). */
  get sources(): ReferenceSources {
    return this.#options.sources;
  }

  /** How an account's upstream is doing (never starts it). */
  upstreamState(accountId: string): UpstreamStatus {
    return this.#pool.state(accountId);
  }

  /** An account's own tools, under their upstream names (starts the upstream if needed). */
  async accountTools(accountId: string, need?: Era): Promise<Tool[]> {
    return await (await this.#pool.get(accountId, need)).list("tools");
  }

  /** A selector's tools as a search index (rebuilt when one of its lists changes), with their routes. */
  async toolSearch(resolved: ResolvedSelector, need?: Era): Promise<SelectorSearch> {
    return await this.#routes.search(resolved, need);
  }

  /** How many tools a session sees besides the control tools. */
  async toolCount(session: Session): Promise<{ tools: number; shared: number }> {
    const table = await this.#routes.table(this.resolve(session), "tools", session.era);
    return { tools: table.items.length, shared: [...table.routes.values()].filter((r) => r.folded).length };
  }

  /**
   * Points a session (scope `session`) or everyone (scope `global`, persisted) at a selector.
   * The selector's upstreams are started first; when none can start, nothing changes and the
   * failure is thrown. Sessions whose lists changed are told.
   */
  async select(
    session: Session,
    target: Selector,
    scope: SwitchScope,
  ): Promise<{ failures: string[]; persistWarning?: string }> {
    const accounts = accountsOf(this.#config, target);
    if (!accounts) throw new JanusError("selector", `${describeSelector(target)} is not in the config`);
    // A switch to an account that cannot start is refused, so the session never ends up pointed
    // at something that will fail every call.
    const started = await Promise.allSettled(accounts.map((a) => this.accountTools(a.id, session.era)));
    const failures = started.flatMap((outcome) =>
      outcome.status === "rejected" ? [messageOf(outcome.reason)] : []
    );
    if (failures.length === accounts.length) throw new JanusError("upstream", failures.join("; "));

    let affected: Session[];
    let persistWarning: string | undefined;
    if (scope === "session") {
      session.choice = target;
      affected = [session];
    } else {
      this.#global = target;
      session.choice = undefined;
      const perSession = this.#config.bindingMode === "session";
      affected = [...this.#sessions].filter((s) => s === session || !perSession || s.choice === undefined);
    }
    await announceChanges(
      affected,
      ["tools", "resources", "resourceTemplates", "prompts"],
      async (session, kind) => (await this.#routes.table(this.resolve(session), kind, session.era)).items,
    );
    // Saved after the announcement (no client waits for the fsync); atomic, so a crash keeps the old choice.
    if (scope === "global") {
      try {
        await this.#options.persistGlobal(target);
      } catch (error) {
        persistWarning = `the choice could not be saved and will not survive a restart: ${messageOf(error)}`;
        this.#options.log(`warning: ${persistWarning}`);
      }
    }
    return { failures, ...(persistWarning ? { persistWarning } : {}) };
  }

  /** One tool call as another account, whatever the session's selector (`janus_with_account`). */
  async callAs(
    session: Session,
    accountId: string,
    tool: string,
    args: Record<string, unknown>,
    context: RequestContext,
  ): Promise<CallToolResult | UpstreamResult> {
    return await this.#relay.relayToolCall({
      session,
      accountId,
      method: "tools/call",
      target: `janus_with_account/${accountId}/${tool}`,
      params: { name: tool, arguments: args },
    }, context);
  }

  // ---- routing internals -------------------------------------------------------------------

  /** The upstream said so: every session using it hears, without a comparison (it may never have listed). */
  #upstreamListChanged(accountId: string, kinds: CatalogKind[]): void {
    announceAll(this.#sessionsUsing(accountId), kinds);
  }

  #sessionsUsing(accountId: string): Session[] {
    return [...this.#sessions].filter((s) => this.resolve(s).accounts.some((a) => a.id === accountId));
  }
}
