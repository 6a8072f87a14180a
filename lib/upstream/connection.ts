/** One live MCP client connection to one account's upstream, with its lists cached. */
import {
  Client,
  type LoggingMessageNotification,
  type McpSubscription,
  type PriorDiscovery,
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from "@modelcontextprotocol/client";
import { getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
import { z } from "zod";
import { JanusError } from "../errors.ts";
import { PRODUCT } from "../version.ts";
import {
  CATALOG_METHODS,
  type CatalogItems,
  type CatalogKind,
  LIST_CHANGED_NOTIFICATIONS,
} from "./catalog.ts";
import type { LaunchSpec, ResolvedLaunch } from "./launch.ts";
import { StderrLines } from "./stderr_lines.ts";
import { StdioUpstreamTransport } from "./stdio_upstream.ts";
import type { UpstreamSettings } from "./settings.ts";

/** Any JSON object: upstream results are relayed, not re-validated (one odd tool must not break a list). */
const ANY_RESULT = z.looseObject({});
/** A defence against an upstream whose `nextCursor` never ends. */
const MAX_LIST_PAGES = 100;
/** How long an upstream may take to start and answer the handshake. */
const CONNECT_TIMEOUT_MS = 30_000;

/** A relayed JSON-RPC result. */
export type UpstreamResult = Record<string, unknown>;

/** One progress report, as relayed to the client that asked. */
export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/** Asks the client of the call in flight (elicitation, sampling, roots) and returns its answer. */
export type AskClient = (
  request: { method: string; params?: Record<string, unknown> },
) => Promise<UpstreamResult>;

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
}

/** Who made a call in flight. */
export interface Caller {
  session: string;
  /** Asks the caller's client (absent when it cannot be asked mid-call). */
  ask?: AskClient;
  /** Delivers a log message the upstream sent during the call. */
  log?: (params: LoggingMessageNotification["params"]) => void;
}

/** Requests an upstream may send back mid-call, relayed to the caller's client. */
const CLIENT_REQUESTS = ["elicitation/create", "sampling/createMessage"] as const;

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
}

/** A connected upstream. Create with `UpstreamConnection.open`. */
export class UpstreamConnection {
  readonly #lists = new Map<CatalogKind, Promise<unknown[]>>();
  /** Progress callbacks of in-flight relayed requests, by the progress token the broker chose. */
  readonly #progress = new Map<string, (progress: Progress) => void>();
  #progressSeq = 0;
  /** Calls in flight and who made them, newest last. */
  readonly #callers = new Map<number, Caller>();
  /** Resources this broker follows on a 2026 upstream, and the stream that carries them. */
  readonly #resourceSubscriptions = new Set<string>();
  #listening?: McpSubscription;
  #callerSeq = 0;
  #closing = false;

  private constructor(
    readonly accountId: string,
    readonly launch: ResolvedLaunch,
    private readonly client: Client,
  ) {}

  /** Starts (stdio) or dials (http/sse) the upstream and completes the MCP handshake. */
  static async open(
    accountId: string,
    launch: ResolvedLaunch,
    hooks: UpstreamHooks,
    prior?: PriorDiscovery,
    settings: UpstreamSettings = {},
  ): Promise<UpstreamConnection> {
    const stderr = new StderrLines(hooks.stderr);
    const transport = createTransport(launch.spec, stderr, settings, hooks);
    const client = new Client(
      { name: PRODUCT.name, version: PRODUCT.version },
      {
        versionNegotiation: { mode: "auto" },
        // Declared so upstreams may ask for input; each request is relayed to the caller's client.
        // Roots are the account's own (config `roots`), declared only when it has some: an
        // account's file access must not depend on which conversation happens to be calling.
        capabilities: {
          elicitation: { form: {}, url: {} },
          sampling: {},
          ...(launch.roots ? { roots: {} } : {}),
        },
      },
    );
    const connection = new UpstreamConnection(accountId, launch, client);
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
      const caller = connection.#soleCaller();
      if (caller?.log) caller.log(notification.params);
      else hooks.message(notification.params);
    });
    const roots = launch.roots;
    if (roots) client.setRequestHandler("roots/list", () => ({ roots }));
    for (const method of CLIENT_REQUESTS) {
      client.setRequestHandler(
        method,
        (request) => connection.#askCaller(method, request.params) as Promise<never>,
      );
    }
    client.onclose = () => {
      stderr.end();
      if (!connection.#closing) hooks.closed();
    };
    try {
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS, ...(prior ? { prior } : {}) });
    } catch (error) {
      connection.#closing = true;
      await client.close().catch(() => {});
      stderr.end();
      throw new JanusError("upstream", connectFailure(accountId, launch.spec, error, stderr.recent), {
        cause: error,
      });
    }
    if (client.getProtocolEra() === "modern") {
      // Without the stream the lists still work; they just are not refreshed on the upstream's word.
      await connection.#listenForChanges().catch((error: Error) =>
        hooks.stderr(`(janusmcp) cannot follow list changes: ${error.message}`)
      );
    }
    return connection;
  }

  /**
   * On 2026-07-28 an upstream announces list changes and resource updates only on an open
   * `subscriptions/listen` stream, whose filter is fixed when it opens: a new set of resource
   * subscriptions means a new stream (opened before the old one closes, so nothing is missed).
   */
  async #listenForChanges(): Promise<void> {
    const capabilities = this.client.getServerCapabilities() ?? {};
    const filter = {
      toolsListChanged: capabilities.tools?.listChanged === true,
      promptsListChanged: capabilities.prompts?.listChanged === true,
      resourcesListChanged: capabilities.resources?.listChanged === true,
      ...(this.#resourceSubscriptions.size
        ? { resourceSubscriptions: [...this.#resourceSubscriptions] }
        : {}),
    };
    if (!Object.values(filter).some((value) => value === true || Array.isArray(value))) return;
    const previous = this.#listening;
    this.#listening = await this.client.listen(filter);
    await previous?.close();
  }

  /** Asks the upstream to tell of changes to one resource (`notifications/resources/updated`). */
  async subscribe(uri: string): Promise<void> {
    if (this.client.getProtocolEra() === "modern") {
      this.#resourceSubscriptions.add(uri);
      await this.#listenForChanges();
    } else {
      await this.request("resources/subscribe", { uri });
    }
  }

  /** Stops the updates for one resource. */
  async unsubscribe(uri: string): Promise<void> {
    if (this.client.getProtocolEra() === "modern") {
      this.#resourceSubscriptions.delete(uri);
      await this.#listenForChanges();
    } else {
      await this.request("resources/unsubscribe", { uri });
    }
  }

  /** Whether calls are in flight, or a 2026 upstream carries resource subscriptions (idle close waits). */
  get busy(): boolean {
    return this.#callers.size > 0 || this.#resourceSubscriptions.size > 0;
  }

  /** The era verdict to reuse on the next connect (skips the version probe). */
  get prior(): PriorDiscovery {
    const discover = this.client.getDiscoverResult();
    return this.client.getProtocolEra() === "modern" && discover
      ? { kind: "modern", discover }
      : { kind: "legacy" };
  }

  /** The protocol revision negotiated with the upstream. */
  get protocolVersion(): string | undefined {
    return this.client.getNegotiatedProtocolVersion();
  }

  /** One whole list (all pages), cached until the upstream says it changed. */
  list<K extends CatalogKind>(kind: K): Promise<CatalogItems[K][]> {
    let pending = this.#lists.get(kind);
    if (!pending) {
      pending = this.#fetchList(kind);
      this.#lists.set(kind, pending);
      pending.catch(() => this.#lists.delete(kind));
    }
    return pending as Promise<CatalogItems[K][]>;
  }

  /**
   * Relays one request and returns the upstream's result as is. A JSON-RPC error the upstream
   * answered with is rethrown untouched; a local failure (the upstream went away, a timeout)
   * becomes a JanusError naming the account.
   */
  async request(method: string, params: Record<string, unknown> | undefined, options: RelayOptions = {}) {
    const { onProgress, caller, upstreamMeta, ...requestOptions } = options;
    if (upstreamMeta && Object.keys(upstreamMeta).length > 0 && this.client.getProtocolEra() === "modern") {
      const meta = isRecord(params?._meta) ? params._meta : {};
      params = { ...params, _meta: { ...meta, ...upstreamMeta } };
    }
    const callerId = ++this.#callerSeq;
    if (caller) this.#callers.set(callerId, caller);
    let token: string | undefined;
    if (onProgress) {
      token = `janus-${++this.#progressSeq}`;
      this.#progress.set(token, onProgress);
      const meta = isRecord(params?._meta) ? params._meta : {};
      params = { ...params, _meta: { ...meta, progressToken: token } };
    }
    try {
      return await this.client.request({ method, params }, ANY_RESULT, requestOptions) as UpstreamResult;
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
      this.#callers.delete(callerId);
      if (token) {
        // The SDK dispatches notifications a microtask after reading them, so progress sent just
        // before the result may still be on its way to onProgress: let it arrive, then let go.
        await new Promise((resolve) => setTimeout(resolve, 0));
        this.#progress.delete(token);
      }
    }
  }

  /**
   * An upstream asked for input mid-call. The protocol does not say which call it is for, so it
   * goes to the one conversation with calls in flight here; with several, nobody is asked —
   * guessing could show one conversation's prompt to another.
   */
  /** The newest call in flight, when every call in flight comes from one conversation. */
  #soleCaller(): Caller | undefined {
    const callers = [...this.#callers.values()];
    return new Set(callers.map((c) => c.session)).size === 1 ? callers.at(-1) : undefined;
  }

  async #askCaller(method: string, params: Record<string, unknown> | undefined): Promise<UpstreamResult> {
    const callers = [...this.#callers.values()];
    const sessions = new Set(callers.map((c) => c.session));
    if (callers.length === 0) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `${method}: no call is in progress, so there is no client to ask`,
      );
    }
    if (sessions.size > 1) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `${method}: calls from several conversations are in progress on this account; cannot tell which to ask`,
      );
    }
    const ask = callers.at(-1)?.ask;
    if (!ask) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `${method}: the calling client cannot be asked mid-call (it speaks 2026-07-28, which has no server-to-client requests)`,
      );
    }
    return await ask({ method, params });
  }

  /** Closes the connection (and so ends a stdio child). */
  async close(): Promise<void> {
    this.#closing = true;
    await this.client.close();
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

function createTransport(
  spec: LaunchSpec,
  stderr: StderrLines,
  settings: UpstreamSettings,
  hooks: UpstreamHooks,
): Transport {
  if (spec.transport === "stdio") {
    // The broker's own stdio transport: a process group per upstream and an explicit reply limit.
    return new StdioUpstreamTransport({
      command: spec.command,
      args: spec.args,
      // Only a minimal inherited environment plus the account's own: the broker's environment
      // (other accounts' tokens among it) never reaches an upstream.
      env: { ...getDefaultEnvironment(), ...spec.env },
      cwd: spec.cwd,
      stderr: "pipe",
      onStderr: (chunk) => stderr.push(chunk),
      onRefused: (problem) => hooks.stderr(`(janusmcp) ${problem}`),
      ...settings,
    });
  }
  const url = new URL(spec.url);
  const requestInit = { headers: spec.headers };
  return spec.transport === "http"
    ? new StreamableHTTPClientTransport(url, { requestInit })
    : new SSEClientTransport(url, { requestInit });
}

function connectFailure(
  accountId: string,
  spec: LaunchSpec,
  error: unknown,
  recent: readonly string[],
): string {
  const target = spec.transport === "stdio" ? `command "${spec.command}"` : `${spec.transport} ${spec.url}`;
  const reason = error instanceof Error ? error.message : String(error);
  const tail = recent.length ? `; its last output: ${recent.join(" | ")}` : "";
  return `account "${accountId}": could not connect to its upstream (${target}): ${reason}${tail}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
