/** One live MCP client connection to one account's upstream, with its lists cached. */
import {
  Client,
  type DiscoverResult,
  type LoggingMessageNotification,
  ProtocolError,
  SdkError,
  SdkErrorCode,
} from "@modelcontextprotocol/client";
import { JanusError, JSON_RPC } from "../errors.ts";
import { PRODUCT } from "../version.ts";
import {
  CATALOG_METHODS,
  type CatalogItems,
  type CatalogKind,
  LIST_CHANGED_NOTIFICATIONS,
} from "./catalog.ts";
import { connectFailure, createTransport } from "./dial.ts";
import type { ResolvedLaunch } from "./launch.ts";
import { describeRejected, screenListResponses } from "./list_items.ts";
import { isAuthFailure, openWithFallback } from "./remote_fallback.ts";
import { type ConnectPlan, type Era, ERA_REVISION } from "./revisions.ts";
import { paramHeadersFor } from "../protocol/mod.ts";
import type { Caller, Progress, UpstreamResult } from "./call_types.ts";
import { CallsInFlight } from "./calls_in_flight.ts";
import type { UpstreamSettings } from "./settings.ts";
import { StderrLines } from "./stderr_lines.ts";
import { isRecord } from "../values.ts";
import { ListenStream } from "./listen_stream.ts";
import { StreamResumes } from "./stream_resumes.ts";
import { limitReplies } from "./reply_limit.ts";
import { PASS_THROUGH } from "./pass_through.ts";
import { directReplies } from "./direct_replies.ts";

/** Why a connection may need replacing: no secret values, only when and whom to ask. */
interface Renewal {
  /** When an `oauth:NAME` token baked into a child's env is due for refresh. */
  renewAt?: number;
  /** The remote login, which can tell whether the account logged in again since. */
  authProvider?: { loginChanged?(): Promise<boolean> };
}

/** A defence against an upstream whose `nextCursor` never ends. */
const MAX_LIST_PAGES = 100;
/** How long an upstream may take to start and answer the handshake. */
const CONNECT_TIMEOUT_MS = 30_000;

/** How one relayed request is cancelled, timed out, reports progress and reaches its client. */
export interface RelayOptions {
  signal?: AbortSignal;
  timeout?: number;
  onProgress?: (progress: Progress) => void;
  /** Return a 2026 `input_required` result as a value instead of failing. */
  allowInputRequired?: boolean;
  /** Who makes the call: where its client's answers and log messages come from and go. */
  caller?: Caller;
  /** `_meta` keys sent to a 2026 upstream only (the real client's capabilities and log level). */
  upstreamMeta?: Record<string, unknown>;
  /** The upstream closed this call's stream and it is being resumed (SEP-1699 polling). */
  onStreamResumed?: () => void;
}

/** Requests an upstream may send back mid-call, relayed to the caller's client. */
const CLIENT_REQUESTS = ["elicitation/create", "sampling/createMessage", "roots/list"] as const;

/** What a connection reports to its owner. */
export interface UpstreamHooks {
  /** One line the upstream wrote to stderr. */
  stderr(line: string): void;
  /** The upstream said these lists changed (their caches are already dropped). */
  listChanged(kinds: CatalogKind[]): void;
  /** The connection ended (the child exited, or the remote went away). */
  closed(): void;
  /** A resource the broker subscribed to changed. */
  resourceUpdated(uri: string): void;
  /** The upstream sent a log message (`notifications/message`). */
  message(params: LoggingMessageNotification["params"]): void;
  /** Items of a list were dropped as invalid (one line naming their positions and reasons). */
  invalidItems?(line: string): void;
  /** A whole list was fetched from the upstream (not served from the cache). */
  listed?(kind: CatalogKind, items: readonly unknown[]): void;
}

/** A connected upstream. Create with `UpstreamConnection.open`. */
export class UpstreamConnection {
  readonly #lists = new Map<CatalogKind, Promise<unknown[]>>();
  /** Progress callbacks of in-flight relayed requests, by the progress token the broker chose. */
  readonly #progress = new Map<string, (progress: Progress) => void>();
  #progressSeq = 0;
  /** Calls in flight and who made them, newest last. */
  readonly #callers = new CallsInFlight();
  /** Resources this broker follows on a 2026 upstream, and the stream that carries them. */
  #listening?: ListenStream;
  #closing = false;
  #listed?: UpstreamHooks["listed"];

  private constructor(
    readonly accountId: string,
    private readonly client: Client,
    private readonly resumes: StreamResumes,
    /** Streamable HTTP: the only transport that carries SEP-2243 headers (the launch itself is not kept: it holds secrets). */
    private readonly overHttp: boolean,
    /** What tells this connection it is stale: a token's renewal time, and the login behind it. */
    private readonly renewal: Renewal,
  ) {}

  /** Starts (stdio) or dials (http/sse) the upstream and completes the MCP handshake. */
  static async open(
    accountId: string,
    launch: ResolvedLaunch,
    hooks: UpstreamHooks,
    plan: ConnectPlan = { kind: "auto" },
    settings: UpstreamSettings = {},
  ): Promise<UpstreamConnection> {
    const spec = launch.spec;
    if (spec.transport === "auto") {
      return await openWithFallback(
        spec,
        (kind) =>
          UpstreamConnection.open(
            accountId,
            { ...launch, spec: { ...spec, transport: kind } },
            hooks,
            plan,
            settings,
          ),
      );
    }
    const stderr = new StderrLines(hooks.stderr);
    const refused = (problem: string) => hooks.stderr(`(janusmcp) ${problem}`);
    const resumes = new StreamResumes(limitReplies(settings.maxMessageBytes, refused));
    const transport = createTransport(launch.spec, stderr, resumes, { settings, refused });
    const client = new Client(
      { name: PRODUCT.name, version: PRODUCT.version },
      {
        versionNegotiation: {
          mode: plan.kind !== "try"
            ? "auto"
            : plan.era === "legacy"
            ? "legacy"
            : { pin: ERA_REVISION.modern },
        },
        // Declared so upstreams may ask for input; each request is relayed to the caller's client.
        capabilities: { elicitation: { form: {}, url: {} }, sampling: {}, roots: {} },
      },
    );
    const connection = new UpstreamConnection(accountId, client, resumes, launch.spec.transport === "http", {
      renewAt: launch.renewAt,
      authProvider: launch.spec.transport === "stdio" ? undefined : launch.spec.authProvider,
    });
    connection.#listed = hooks.listed;
    for (const [method, kinds] of Object.entries(LIST_CHANGED_NOTIFICATIONS)) {
      client.setNotificationHandler(method as "notifications/tools/list_changed", () => {
        for (const kind of kinds) connection.#lists.delete(kind);
        hooks.listChanged(kinds);
      });
    }
    // Progress is routed by the broker's own tokens (see `request`), not by the SDK's handler,
    // which forgets a request's progress as soon as its result is read.
    client.setNotificationHandler("notifications/progress", (notification) => {
      const { progressToken, progress, total, message } = notification.params;
      connection.#progress.get(String(progressToken))?.({ progress, total, message });
    });
    client.setNotificationHandler("notifications/resources/updated", (notification) => {
      hooks.resourceUpdated(notification.params.uri);
    });
    // A log message while calls of one conversation run goes with them; otherwise to everyone
    // using this account.
    client.setNotificationHandler("notifications/message", (notification) => {
      const caller = connection.#callers.sole();
      if (caller?.log) caller.log(notification.params);
      else hooks.message(notification.params);
    });
    // An account with configured roots answers roots/list itself: its file access must not depend
    // on which conversation happens to be calling. Without them the calling client is asked.
    const roots = launch.roots;
    if (roots) client.setRequestHandler("roots/list", () => ({ roots }));
    for (const method of CLIENT_REQUESTS) {
      if (roots && method === "roots/list") continue;
      client.setRequestHandler(
        method,
        (request) => connection.#callers.ask(method, request.params) as Promise<never>,
      );
    }
    client.onclose = () => {
      stderr.end();
      if (!connection.#closing) hooks.closed();
    };
    try {
      await client.connect(transport, {
        timeout: CONNECT_TIMEOUT_MS,
        ...(plan.kind === "prior" ? { prior: plan.prior } : {}),
      });
      // A remembered 2026 verdict is adopted without a round trip; one `server/discover` on the
      // started upstream proves it still holds (an upstream changed under the same command).
      if (plan.kind === "prior" && plan.prior.kind === "modern") {
        await client.discover({ timeout: CONNECT_TIMEOUT_MS });
      }
      // The broker's reader checked a stdio upstream's frames: results skip the SDK's sorting.
      if (launch.spec.transport === "stdio") directReplies(transport, client);
      screenListResponses(
        transport,
        (kind, rejected) => hooks.invalidItems?.(describeRejected(kind, rejected)),
      );
    } catch (error) {
      connection.#closing = true;
      await client.close().catch(() => {});
      stderr.end();
      // "Needs a login" is the whole message a person needs; it names the account already.
      if (error instanceof JanusError && isAuthFailure(error)) throw error;
      throw new JanusError(
        isAuthFailure(error) ? "auth" : "upstream",
        connectFailure(accountId, launch.spec, error, stderr.recent),
        { cause: error },
      );
    }
    if (client.getProtocolEra() === "modern") {
      connection.#listening = new ListenStream(client);
      // Without the stream the lists still work; they just are not refreshed on the upstream's word.
      await connection.#listening.refresh().catch((error: Error) =>
        hooks.stderr(`(janusmcp) cannot follow list changes: ${error.message}`)
      );
    }
    return connection;
  }

  /** Asks the upstream to tell of changes to one resource (`notifications/resources/updated`). */
  async subscribe(uri: string): Promise<void> {
    if (this.#listening) await this.#listening.follow(uri);
    else await this.request("resources/subscribe", { uri });
  }

  /** Stops the updates for one resource. */
  async unsubscribe(uri: string): Promise<void> {
    if (this.#listening) await this.#listening.unfollow(uri);
    else await this.request("resources/unsubscribe", { uri });
  }

  /**
   * Why this connection should be replaced before the next call, if it should: the account logged
   * in again (the server session is the old login's), or an `oauth:NAME` token baked into its
   * launch (a child's env) is due for refresh.
   */
  async staleReason(): Promise<string | undefined> {
    if (this.renewal.renewAt !== undefined && Date.now() >= this.renewal.renewAt) {
      return "an oauth: token it was started with is due for refresh; restarting it with a fresh one";
    }
    if ((await this.renewal.authProvider?.loginChanged?.()) === true) {
      return "logged in again; reconnecting with the new login";
    }
    return undefined;
  }

  /** The cached list `list` would return, unless a renewal could make this connection stale (route caches). */
  cachedList(kind: CatalogKind): Promise<unknown[]> | undefined {
    const { renewAt, authProvider } = this.renewal;
    return renewAt === undefined && !authProvider ? this.#lists.get(kind) : undefined;
  }

  /** Whether calls are in flight or resources are followed (an idle close waits for neither). */
  get busy(): boolean {
    return this.#callers.size > 0 || (this.#listening?.following ?? false);
  }

  /** The era this connection speaks. */
  get era(): Era {
    return this.client.getProtocolEra() === "modern" ? "modern" : "legacy";
  }

  /** The upstream's `server/discover` answer (2026-07-28 connections only): the next connect's prior. */
  get discover(): DiscoverResult | undefined {
    return this.client.getDiscoverResult();
  }

  /** One whole list (all pages), cached until the upstream says it changed. */
  list<K extends CatalogKind>(kind: K): Promise<CatalogItems[K][]> {
    let pending = this.#lists.get(kind);
    if (!pending) {
      pending = this.#fetchList(kind);
      this.#lists.set(kind, pending);
      pending.then((items) => this.#listed?.(kind, items), () => this.#lists.delete(kind));
    }
    return pending as Promise<CatalogItems[K][]>;
  }

  /**
   * Relays one request and returns the upstream's result as is. A JSON-RPC error the upstream
   * answered with is rethrown untouched; a local failure (the upstream went away, a timeout)
   * becomes a JanusError naming the account.
   */
  async request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RelayOptions = {},
  ): Promise<UpstreamResult> {
    const { onProgress, caller, upstreamMeta, onStreamResumed, ...requestOptions } = options;
    const watched = onStreamResumed ? this.resumes.watch(onStreamResumed) : undefined;
    if (upstreamMeta && this.client.getProtocolEra() === "modern" && Object.keys(upstreamMeta).length > 0) {
      const meta = isRecord(params?._meta) ? params._meta : {};
      params = { ...params, _meta: { ...meta, ...upstreamMeta } };
    }
    const callerId = this.#callers.add(caller);
    let token: string | undefined;
    if (onProgress) {
      token = `janus-${++this.#progressSeq}`;
      this.#progress.set(token, onProgress);
      const meta = isRecord(params?._meta) ? params._meta : {};
      params = { ...params, _meta: { ...meta, progressToken: token } };
    }
    // Only a 2026 tools/call over HTTP carries parameter headers: other calls skip the await.
    const headed = method === "tools/call" && this.overHttp && this.era === "modern";
    const send = async () => {
      const headers = headed ? await this.#paramHeaders(params) : undefined;
      return await this.client.request({ method, params }, PASS_THROUGH, {
        ...requestOptions,
        headers,
        ...(watched ? { onresumptiontoken: watched.seen } : {}),
      });
    };
    try {
      try {
        return await send();
      } catch (error) {
        // The tool's schema may have changed since it was listed: list again and retry once.
        if (!(error instanceof ProtocolError) || error.code !== JSON_RPC.headerMismatch) throw error;
        this.#lists.delete("tools");
        return await send();
      }
    } catch (error) {
      if (!(error instanceof SdkError)) throw error;
      if (error.code === SdkErrorCode.RequestTimeout) {
        const after = options.timeout
          ? ` after ${Math.round(options.timeout / 1000)} s (callTimeoutSeconds)`
          : "";
        throw new JanusError("timeout", `account "${this.accountId}": ${method} timed out${after}`, {
          cause: error,
        });
      }
      const gone = error.code === SdkErrorCode.ConnectionClosed || error.code === SdkErrorCode.NotConnected;
      const detail = gone
        ? "its upstream went away during the call; it will be restarted on the next call"
        : error.message;
      throw new JanusError("upstream", `account "${this.accountId}": ${method} failed: ${detail}`, {
        cause: error,
      });
    } finally {
      watched?.release();
      this.#callers.remove(callerId);
      if (token) {
        // The SDK dispatches notifications a microtask after reading them, so progress sent just
        // before the result may still be on its way to onProgress: let it arrive, then let go.
        await new Promise((resolve) => setTimeout(resolve, 0));
        this.#progress.delete(token);
      }
    }
  }

  /**
   * SEP-2243: a 2026 tools/call over HTTP mirrors the arguments its tool declares with
   * `x-mcp-header` into `Mcp-Param-*` headers, computed from the upstream's own tool schema.
   */
  async #paramHeaders(
    params: Record<string, unknown> | undefined,
  ): Promise<Record<string, string> | undefined> {
    const tools = await this.list("tools").catch(() => []);
    const tool = tools.find((candidate) => candidate.name === params?.name);
    if (!tool) return undefined;
    const headers = paramHeadersFor(
      tool.inputSchema,
      isRecord(params?.arguments) ? params.arguments : undefined,
    );
    return Object.keys(headers).length ? headers : undefined;
  }

  /** Closes the connection (and so ends a stdio child). */
  async close(): Promise<void> {
    this.#closing = true;
    await this.client.close();
    await this.#listening?.close();
  }

  async #fetchList(kind: CatalogKind): Promise<unknown[]> {
    const { method, field, capability } = CATALOG_METHODS[kind];
    if (!this.client.getServerCapabilities()?.[capability]) return [];
    const items: unknown[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await this.request(method, cursor ? { cursor } : undefined);
      const pageItems = result[field];
      if (Array.isArray(pageItems)) items.push(...pageItems);
      cursor = typeof result.nextCursor === "string" && result.nextCursor ? result.nextCursor : undefined;
      if (!cursor) return items;
    }
    throw new JanusError(
      "upstream",
      `account "${this.accountId}": ${method} returned more than ${MAX_LIST_PAGES} pages; giving up`,
    );
  }
}
