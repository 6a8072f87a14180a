/**
 * The routing core, shared by every transport: sessions, selectors, route tables, control
 * tools and change notifications. A transport hands it requests with the session they came
 * from; it answers with relayed upstream results. It never touches bytes or files.
 */
import { UriTemplate } from "@modelcontextprotocol/server";
import type { CallToolResult, LoggingMessageNotification, Tool } from "@modelcontextprotocol/server";
import type { JanusConfig, Selector } from "../config/types.ts";
import { JanusError } from "../errors.ts";
import type { CatalogItems, CatalogKind } from "../upstream/catalog.ts";
import type { AskClient, Progress, UpstreamResult } from "../upstream/connection.ts";
import type { ReferenceSources, ResolvedSecret } from "../upstream/launch.ts";
import { UpstreamPool } from "../upstream/pool.ts";
import { CONTROL_TOOL_NAMES, CONTROL_TOOLS, parseControlCall, type SwitchScope } from "./control_tools.ts";
import {
  type AccountItems,
  parsePrefixedUri,
  prefixedUri,
  type Route,
  routeByName,
  routeByTemplate,
  routeByUri,
  type RouteTable,
} from "./routes.ts";
import { accountsOf, describeSelector, type ResolvedSelector, resolveSelector } from "./selector.ts";
import { runControlAction } from "./control_actions.ts";
import { labelProfileTools } from "./account_labels.ts";
import { InFlightCalls } from "./in_flight.ts";
import { upstreamSettings } from "./upstream_settings.ts";
import { RequestStateSigner } from "./request_state.ts";
import { type ListKind, Session } from "./session.ts";
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
  /** Scrubs each relayed result with the secrets of the account that produced it. */
  results?: ResultScrubber;
}

/** Scrubs relayed results per account; `markScrubbed` vouches for a copy made of scrubbed parts. */
export interface ResultScrubber {
  scrubResult<T>(accountId: string, result: T): T;
  markScrubbed<T>(value: T): T;
}

/** Per-request information from the transport. */
export interface RequestContext {
  /** Aborted when the client cancels the request. */
  signal?: AbortSignal;
  /** Reports progress to the client (only when the client asked for it). */
  onProgress?: (progress: Progress) => void;
  /** The retry channel of a multi-round-trip request (2026-07-28), when the client sent one. */
  retry?: { requestState?: string; inputResponses?: Record<string, unknown> };
  /** Asks this request's client mid-call; only 2025-11-25 clients can be asked. */
  ask?: AskClient;
  /** Log messages the upstream sends while this call runs. */
  onLog?: (params: LoggingMessageNotification["params"]) => void;
  /** `_meta` keys for a 2026 upstream: the client's capabilities and log level. */
  upstreamMeta?: Record<string, unknown>;
}

/** One request on its way to an upstream. */
interface RelayedCall {
  session: Session;
  accountId: string;
  method: string;
  /** What the client called it (tool or prompt name, resource URI): a retry must name the same. */
  target: string;
  /** The params for the upstream (names and URIs already translated back). */
  params: Record<string, unknown>;
}

/** The methods whose results may be `input_required` (2026-07-28 multi-round-trip). */
const ROUND_TRIP_METHODS = new Set(["tools/call", "prompts/get", "resources/read"]);

/** Which notification a catalog kind's change is announced with. */
const LIST_KIND_OF: Record<CatalogKind, ListKind> = {
  tools: "tools",
  resources: "resources",
  resourceTemplates: "resources",
  prompts: "prompts",
};

/** Failures of the upstream itself, which a model reads as a tool error rather than a protocol error. */
const TOOL_FAILURES = new Set(["upstream", "auth", "config", "timeout", "generic"]);

/** The routing core. One per process. */
export class Broker {
  #config: JanusConfig;
  readonly #options: BrokerOptions;
  readonly #pool: UpstreamPool;
  readonly #sessions = new Set<Session>();
  /** Relayed requests not yet answered (shutdown answers each of them). */
  readonly #inFlight = new InFlightCalls();
  /** Resource subscriptions: account + upstream URI → each subscribed session and its URI for it. */
  readonly #subscriptions = new Map<string, Map<Session, string>>();
  /** Signs the requestState handed to clients between rounds of a multi-round-trip call. */
  readonly #rounds = new RequestStateSigner();
  #global?: Selector;

  constructor(options: BrokerOptions) {
    this.#options = options;
    this.#config = options.config;
    if (options.initialGlobal && !accountsOf(this.#config, options.initialGlobal)) {
      options.log(
        `saved selection ${
          describeSelector(options.initialGlobal)
        } is no longer in the config; using the default`,
      );
    } else {
      this.#global = options.initialGlobal;
    }
    this.#pool = new UpstreamPool(options.config.accounts, options.sources, {
      log: (accountId, line) => options.log(`[${accountId}] ${line}`),
      listChanged: (accountId, kinds) => this.#upstreamListChanged(accountId, kinds),
      resourceUpdated: (accountId, uri) => {
        for (const [session, exposed] of this.#subscriptions.get(subscriptionKey(accountId, uri)) ?? []) {
          session.notifier.resourceUpdated?.(exposed);
        }
      },
      message: (accountId, params) => {
        // The client sees which account spoke: the logger name carries the account id.
        const logger = params.logger ? `${accountId}/${params.logger}` : accountId;
        for (const session of this.#sessionsUsing(accountId)) session.notifier.log?.({ ...params, logger });
      },
      secretsResolved: (accountId, secrets) => options.secretsResolved?.(accountId, secrets),
    }, upstreamSettings(options.config, (accountId) => this.#pinned(accountId)));
  }

  /** The configuration the broker runs with. */
  get config(): JanusConfig {
    return this.#config;
  }

  /** Registers a downstream session; its transport sets `notifier` once it can reach the client. */
  openSession(id: string, options: { stateless?: boolean } = {}): Session {
    const session = new Session(id, options.stateless);
    this.#sessions.add(session);
    return session;
  }

  /**
   * Resolves once no relayed request is in flight, or after `timeoutMs`; requests still running
   * then are answered with an error saying the broker is stopping (for graceful shutdown).
   */
  async drain(timeoutMs: number): Promise<void> {
    await this.#inFlight.drain(timeoutMs);
  }

  /** Runs one client request as "in flight": shutdown waits for it, then answers it with an error. */
  track<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    return this.#inFlight.run(signal, work);
  }

  /** Forgets a session (its client went away), and the resource subscriptions only it held. */
  closeSession(session: Session): void {
    this.#sessions.delete(session);
    for (const [key, subscribers] of this.#subscriptions) {
      if (!subscribers.delete(session) || subscribers.size > 0) continue;
      this.#subscriptions.delete(key);
      const [accountId, uri] = JSON.parse(key) as [string, string];
      void this.#pool.connected(accountId)?.unsubscribe(uri).catch(() => {});
    }
  }

  /** `resources/subscribe`: the upstream that owns the URI is subscribed once, for every session that asks. */
  async subscribe(session: Session, uri: string): Promise<void> {
    const route = await this.#routeUri(this.resolve(session), uri);
    const key = subscriptionKey(route.accountId, route.upstream);
    const subscribers = this.#subscriptions.get(key) ?? new Map<Session, string>();
    if (subscribers.size === 0) await (await this.#pool.get(route.accountId)).subscribe(route.upstream);
    subscribers.set(session, uri);
    this.#subscriptions.set(key, subscribers);
  }

  /** `resources/unsubscribe`: the upstream is unsubscribed when no session follows the URI any more. */
  async unsubscribe(session: Session, uri: string): Promise<void> {
    const route = await this.#routeUri(this.resolve(session), uri);
    const key = subscriptionKey(route.accountId, route.upstream);
    const subscribers = this.#subscriptions.get(key);
    if (!subscribers?.delete(session) || subscribers.size > 0) return;
    this.#subscriptions.delete(key);
    await this.#pool.connected(route.accountId)?.unsubscribe(route.upstream);
  }

  /** Starts the upstreams of `keepWarm` accounts now instead of on first use. */
  warm(): void {
    this.#pool.warm();
  }

  /**
   * Applies a new configuration (hot reload): removed accounts' upstreams are closed, changed
   * ones restarted on their next call, and the sessions whose accounts changed are told their
   * lists changed. The persisted choice stays; where it names something gone, the default applies.
   */
  async reload(config: JanusConfig): Promise<{ added: string[]; removed: string[]; changed: string[] }> {
    const before = new Map([...this.#sessions].map((s) => [s, this.resolve(s).accounts.map((a) => a.id)]));
    this.#config = config;
    const diff = await this.#pool.reconfigure(config.accounts);
    const touched = new Set([...diff.removed, ...diff.changed]);
    for (const [session, previous] of before) {
      const now = this.resolve(session).accounts.map((a) => a.id);
      const affected = previous.join("\n") !== now.join("\n") || now.some((id) => touched.has(id));
      if (!affected) continue;
      const kinds = new Set([...session.lastListed.keys()].map((kind) => LIST_KIND_OF[kind]));
      for (const kind of kinds) session.notifier.listChanged(kind);
    }
    return diff;
  }

  /** Whether a resource subscription holds an account's upstream open (it is not closed for idleness). */
  #pinned(accountId: string): boolean {
    for (const key of this.#subscriptions.keys()) if (JSON.parse(key)[0] === accountId) return true;
    return false;
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

  /** `tools/list`: the control tools, then the selector's tools. */
  async listTools(session: Session): Promise<Tool[]> {
    const table = await this.#table(this.resolve(session), "tools");
    this.#remember(session, "tools", table.items);
    return [...CONTROL_TOOLS, ...table.items];
  }

  /** The definition of a tool as the session sees it (control tools included), if it has one. */
  async findTool(session: Session, name: string): Promise<Tool | undefined> {
    return CONTROL_TOOLS.find((tool) => tool.name === name) ??
      (await this.#table(this.resolve(session), "tools")).items.find((tool) => tool.name === name);
  }

  /** `resources/list` for the session's selector. */
  async listResources(session: Session): Promise<CatalogItems["resources"][]> {
    const table = await this.#table(this.resolve(session), "resources");
    this.#remember(session, "resources", table.items);
    return table.items;
  }

  /** `resources/templates/list` for the session's selector. */
  async listResourceTemplates(session: Session): Promise<CatalogItems["resourceTemplates"][]> {
    const table = await this.#table(this.resolve(session), "resourceTemplates");
    this.#remember(session, "resourceTemplates", table.items);
    return table.items;
  }

  /** `prompts/list` for the session's selector. */
  async listPrompts(session: Session): Promise<CatalogItems["prompts"][]> {
    const table = await this.#table(this.resolve(session), "prompts");
    this.#remember(session, "prompts", table.items);
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
    if (CONTROL_TOOL_NAMES.has(params.name)) {
      const parsed = parseControlCall(params.name, params.arguments);
      return parsed.ok
        ? await runControlAction(this, session, parsed.action, context)
        : toolError(parsed.problem);
    }
    const resolved = this.resolve(session);
    const { routes } = await this.#table(resolved, "tools");
    const route = routes.get(params.name);
    // An account waiting out its restart backoff has no tool list: say so, not "unknown tool".
    const restarting = route
      ? undefined
      : resolved.accounts.map((a) => this.#pool.restarting(a.id)).find(Boolean);
    if (restarting) return toolError(restarting.message);
    if (!route) {
      throw new JanusError(
        "selector",
        `unknown tool "${params.name}" for ${
          describeSelector(resolved.selector)
        }; the tool list may be out of date — list tools again, or call janus_whoami`,
      );
    }
    return await this.#relayToolCall({
      session,
      accountId: route.accountId,
      method: "tools/call",
      target: params.name,
      params: { ...params, name: route.upstream },
    }, context);
  }

  /** `resources/read`, routed by URI to the account that owns it. */
  async readResource(
    session: Session,
    params: { uri: string } & Record<string, unknown>,
    context: RequestContext = {},
  ): Promise<UpstreamResult> {
    const resolved = this.resolve(session);
    const route = await this.#routeUri(resolved, params.uri);
    const result = await this.#relay({
      session,
      accountId: route.accountId,
      method: "resources/read",
      target: params.uri,
      params: { ...params, uri: route.upstream },
    }, context);
    if (route.upstream === params.uri || !Array.isArray(result.contents)) return result;
    // The resource was exposed under a janus:// prefix: give its contents the same URI back.
    const contents = result.contents.map((item: unknown) =>
      isRecord(item) && typeof item.uri === "string"
        ? { ...item, uri: prefixedUri(route.accountId, item.uri) }
        : item
    );
    return this.#options.results?.markScrubbed({ ...result, contents }) ?? { ...result, contents };
  }

  /** `prompts/get`, routed by prompt name. */
  async getPrompt(
    session: Session,
    params: { name: string } & Record<string, unknown>,
    context: RequestContext = {},
  ): Promise<UpstreamResult> {
    const resolved = this.resolve(session);
    const route = (await this.#table(resolved, "prompts")).routes.get(params.name);
    if (!route) {
      throw new JanusError(
        "selector",
        `unknown prompt "${params.name}" for ${describeSelector(resolved.selector)}`,
      );
    }
    return await this.#relay({
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
    params: { ref: { type: string; name?: string; uri?: string } } & Record<string, unknown>,
    context: RequestContext = {},
  ): Promise<UpstreamResult> {
    const resolved = this.resolve(session);
    const { ref } = params;
    let route: Route | undefined;
    if (ref.type === "ref/prompt" && ref.name) {
      route = (await this.#table(resolved, "prompts")).routes.get(ref.name);
      if (route) {
        const forward = withRef(params, { name: route.upstream });
        return await this.#relay({
          session,
          accountId: route.accountId,
          method: "completion/complete",
          target: ref.name,
          params: forward,
        }, context);
      }
    } else if (ref.type === "ref/resource" && ref.uri) {
      route = (await this.#table(resolved, "resourceTemplates")).routes.get(ref.uri) ??
        (await this.#table(resolved, "resources")).routes.get(ref.uri);
      if (route) {
        const forward = withRef(params, { uri: route.upstream });
        return await this.#relay({
          session,
          accountId: route.accountId,
          method: "completion/complete",
          target: ref.uri,
          params: forward,
        }, context);
      }
    }
    throw new JanusError(
      "selector",
      `nothing to complete: ${ref.type} "${ref.name ?? ref.uri ?? ""}" is not offered by ${
        describeSelector(resolved.selector)
      }`,
    );
  }

  // ---- operations behind the control tools ------------------------------------------------

  /** Where the config file is, for messages that tell the user what to change. */
  get configPath(): string | undefined {
    return this.#options.configPath;
  }

  /** How an account's upstream is doing (never starts it). */
  upstreamState(accountId: string): ReturnType<UpstreamPool["state"]> {
    return this.#pool.state(accountId);
  }

  /** An account's own tools, under their upstream names (starts the upstream if needed). */
  async accountTools(accountId: string): Promise<Tool[]> {
    return await (await this.#pool.get(accountId)).list("tools");
  }

  /** How many tools a session sees besides the control tools. */
  async toolCount(session: Session): Promise<number> {
    return (await this.#table(this.resolve(session), "tools")).items.length;
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
    const started = await Promise.allSettled(accounts.map((a) => this.accountTools(a.id)));
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
      try {
        await this.#options.persistGlobal(target);
      } catch (error) {
        persistWarning = `the choice could not be saved and will not survive a restart: ${messageOf(error)}`;
        this.#options.log(`warning: ${persistWarning}`);
      }
    }
    await this.#announceChanges(affected, ["tools", "resources", "resourceTemplates", "prompts"]);
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
    return await this.#relayToolCall({
      session,
      accountId,
      method: "tools/call",
      target: `janus_with_account/${accountId}/${tool}`,
      params: { name: tool, arguments: args },
    }, context);
  }

  // ---- routing internals -------------------------------------------------------------------

  async #relayToolCall(call: RelayedCall, context: RequestContext): Promise<CallToolResult | UpstreamResult> {
    try {
      return await this.#relay(call, context);
    } catch (error) {
      // A dead or unstartable upstream is a tool failure the model can read and act on; a bad
      // request (a refused retry, say) stays a protocol error.
      if (error instanceof JanusError && TOOL_FAILURES.has(error.code)) return toolError(error.message);
      throw error;
    }
  }

  async #relay(call: RelayedCall, context: RequestContext): Promise<UpstreamResult> {
    const { session, accountId, method, target } = call;
    // A retry carrying our requestState resumes a round; answers without one go on as they are.
    const params = context.retry?.requestState !== undefined
      ? this.#resumeRound(call, context.retry.requestState, context.retry.inputResponses)
      : {
        ...call.params,
        ...(context.retry?.inputResponses ? { inputResponses: context.retry.inputResponses } : {}),
      };
    const connection = await this.#pool.get(accountId);
    const raw = await this.#inFlight.run(context.signal, (signal) =>
      connection.request(method, params, {
        signal,
        timeout: this.#pool.lifecycle.callTimeoutMs(this.#config.accounts.find((a) => a.id === accountId)),
        onProgress: context.onProgress,
        allowInputRequired: ROUND_TRIP_METHODS.has(method),
        caller: { session: session.id, ask: context.ask, log: context.onLog },
        upstreamMeta: context.upstreamMeta,
      }));
    const result = this.#options.results?.scrubResult(accountId, raw) ?? raw;
    if (result.resultType !== "input_required") return this.#marked(withoutUpstreamServerInfo(result));
    // The upstream needs input: the client gets its questions and a signed state naming the
    // account, so the retry comes back here (and only here) with the answers.
    const upstream = typeof result.requestState === "string" ? result.requestState : undefined;
    const requestState = this.#rounds.wrap({
      account: accountId,
      session: session.id,
      method,
      target,
      upstream,
    });
    return this.#marked({ ...withoutUpstreamServerInfo(result), requestState });
  }

  /** A copy built from a scrubbed result (no new upstream text in it) stays scrubbed. */
  #marked(result: UpstreamResult): UpstreamResult {
    return this.#options.results?.markScrubbed(result) ?? result;
  }

  /** Checks a retry's requestState and puts the upstream's own state and the answers back. */
  #resumeRound(
    call: RelayedCall,
    requestState: string,
    inputResponses: Record<string, unknown> | undefined,
  ): Record<string, unknown> {
    const again = `call ${call.target} again from the start`;
    const unwrapped = this.#rounds.unwrap(requestState);
    if (!unwrapped.ok) throw new JanusError("input_required", `${unwrapped.problem}; ${again}`);
    const round = unwrapped.round;
    if (round.session !== call.session.id || round.method !== call.method || round.target !== call.target) {
      throw new JanusError(
        "input_required",
        `this requestState belongs to another request (${round.method} ${round.target}); ${again}`,
      );
    }
    if (round.account !== call.accountId) {
      throw new JanusError(
        "input_required",
        `the active account changed since this call asked for input (it was "${round.account}", now "${call.accountId}"); ${again}`,
      );
    }
    return {
      ...call.params,
      inputResponses: inputResponses ?? {},
      ...(round.upstream === undefined ? {} : { requestState: round.upstream }),
    };
  }

  async #routeUri(resolved: ResolvedSelector, uri: string): Promise<Route> {
    const exact = (await this.#table(resolved, "resources")).routes.get(uri);
    if (exact) return exact;
    const prefixed = parsePrefixedUri(uri);
    if (prefixed && resolved.accounts.some((a) => a.id === prefixed.accountId)) return prefixed;
    for (const [template, route] of (await this.#table(resolved, "resourceTemplates")).routes) {
      if (template === route.upstream && new UriTemplate(template).match(uri)) {
        return { accountId: route.accountId, upstream: uri };
      }
    }
    if (resolved.accounts.length === 1) return { accountId: resolved.accounts[0].id, upstream: uri };
    throw new JanusError(
      "selector",
      `no account of ${describeSelector(resolved.selector)} offers resource "${uri}"`,
    );
  }

  /** The merged, routed list of one kind for a selector. Accounts that fail are left out and logged. */
  async #table<K extends CatalogKind>(
    resolved: ResolvedSelector,
    kind: K,
  ): Promise<RouteTable<CatalogItems[K]>> {
    const catalogs = await Promise.all(
      resolved.accounts.map(async (account): Promise<AccountItems<CatalogItems[K]>> => {
        try {
          return { accountId: account.id, items: await (await this.#pool.get(account.id)).list(kind) };
        } catch (error) {
          this.#options.log(`[${account.id}] ${kind} unavailable: ${messageOf(error)}`);
          return { accountId: account.id, items: [] };
        }
      }),
    );
    // Each kind is routed by its own key; the casts only restate what CatalogItems[K] is.
    if (kind === "tools") {
      const table = routeByName(catalogs as AccountItems<Tool>[], CONTROL_TOOL_NAMES);
      return labelProfileTools(table, resolved.accounts.length) as RouteTable<CatalogItems[K]>;
    }
    if (kind === "prompts") {
      return routeByName(catalogs as AccountItems<CatalogItems["prompts"]>[]) as RouteTable<CatalogItems[K]>;
    }
    if (kind === "resources") {
      return routeByUri(catalogs as AccountItems<CatalogItems["resources"]>[]) as RouteTable<CatalogItems[K]>;
    }
    return routeByTemplate(catalogs as AccountItems<CatalogItems["resourceTemplates"]>[]) as RouteTable<
      CatalogItems[K]
    >;
  }

  #remember(session: Session, kind: CatalogKind, items: readonly unknown[]): void {
    session.lastListed.set(kind, JSON.stringify(items));
  }

  /** Tells each session whose lists now differ from what it was last given. */
  async #announceChanges(sessions: readonly Session[], kinds: readonly CatalogKind[]): Promise<void> {
    await Promise.all(sessions.map(async (session) => {
      const changed = new Set<ListKind>();
      const resolved = this.resolve(session);
      for (const kind of kinds) {
        const before = session.lastListed.get(kind);
        if (before === undefined) continue; // never listed: nothing stale to replace
        const now = JSON.stringify((await this.#table(resolved, kind)).items);
        if (now !== before) changed.add(LIST_KIND_OF[kind]);
      }
      for (const kind of changed) session.notifier.listChanged(kind);
    }));
  }

  /** The upstream said so: every session using it hears, without a comparison (it may never have listed). */
  #upstreamListChanged(accountId: string, kinds: CatalogKind[]): void {
    const changed = new Set(kinds.map((kind) => LIST_KIND_OF[kind]));
    for (const session of this.#sessionsUsing(accountId)) {
      for (const kind of changed) session.notifier.listChanged(kind);
    }
  }

  #sessionsUsing(accountId: string): Session[] {
    return [...this.#sessions].filter((s) => this.resolve(s).accounts.some((a) => a.id === accountId));
  }
}

function subscriptionKey(accountId: string, uri: string): string {
  return JSON.stringify([accountId, uri]);
}

function withRef(
  params: Record<string, unknown> & { ref: Record<string, unknown> },
  ref: Record<string, unknown>,
) {
  return { ...params, ref: { ...params.ref, ...ref } };
}

const SERVER_INFO_META_KEY = "io.modelcontextprotocol/serverInfo";

/** Drops the upstream's own server identity; the broker's is stamped on the way out. */
function withoutUpstreamServerInfo(result: UpstreamResult): UpstreamResult {
  if (!isRecord(result._meta) || !(SERVER_INFO_META_KEY in result._meta)) return result;
  const { [SERVER_INFO_META_KEY]: _dropped, ...meta } = result._meta;
  const { _meta: _old, ...rest } = result;
  return Object.keys(meta).length ? { ...rest, _meta: meta } : rest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
