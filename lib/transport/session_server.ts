/**
 * The broker's MCP face: one SDK `Server` per downstream session, whose handlers hand every
 * request to the routing core with that session. Transports (stdio, HTTP) only connect it.
 * Everything leaving toward the client passes through `outbound` (redaction) here, and only here.
 */
import { ProtocolError, ProtocolErrorCode, Server, type ServerContext } from "@modelcontextprotocol/server";
import type { Broker, ListKind, Session, SessionNotifier } from "../broker/mod.ts";
import { JanusError, jsonRpcCodeFor, messageOf } from "../errors.ts";
import { PRODUCT } from "../version.ts";
import { completionResult, promptResult, readResult, toolResult } from "./relayed_results.ts";
import { clientNameOf, type DownstreamContext, requestContext } from "./request_context.ts";

/** Options for one session's server. */
export interface SessionServerOptions {
  /** Applied to every result, error message and notification sent to the client. */
  outbound?: <T>(value: T) => T;
}

const INSTRUCTIONS = [
  "JanusMCP serves the tools of one account (or one profile of accounts) at a time.",
  "janus_whoami tells which identity the tools act as; janus_list_accounts lists the others;",
  "janus_use_account / janus_use_profile switch (the tool list then changes);",
  "janus_with_account runs one call as another account without switching.",
  "When the list holds janus_search_tools instead of the accounts' tools, find tools with it and call them with janus_call_tool.",
].join(" ");

/**
 * Builds an MCP server whose requests run in `session`. The caller owns the session: it opens
 * and closes it, and sets its notifier (`serverNotifier` for a server that stays connected).
 */
export function createSessionServer(
  broker: Broker,
  session: Session,
  options: SessionServerOptions = {},
): Server {
  return buildSessionServer(broker, session, options).server;
}

/** A session's server, and how many of its handlers are still running. */
export interface BuiltServer {
  server: Server;
  running(): number;
}

/** Builds a session's server, counting its handlers in progress (see `StatelessServers`). */
export function buildSessionServer(
  broker: Broker,
  session: Session,
  options: SessionServerOptions = {},
): BuiltServer {
  let running = 0;
  const outbound = options.outbound ?? (<T>(value: T) => value);
  const server = new Server(
    { name: PRODUCT.name, title: PRODUCT.title, version: PRODUCT.version },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        prompts: { listChanged: true },
        completions: {},
        logging: {},
      },
      instructions: INSTRUCTIONS,
    },
  );

  /** Runs a handler, sending its result through `outbound` and its failure as a JSON-RPC error. */
  const answer = async <T>(work: () => Promise<T>): Promise<T> => {
    running++;
    try {
      return outbound(await work());
    } catch (error) {
      // Rebuilt rather than passed through `outbound` whole: an Error's message is not a plain field.
      const protocolError = toProtocolError(error);
      throw new ProtocolError(
        protocolError.code,
        outbound(protocolError.message),
        outbound(protocolError.data),
      );
    } finally {
      running--;
    }
  };
  /** Like `answer`, for a request relayed upstream with cancellation and progress. */
  const relay = <R>(
    params: { _meta?: { progressToken?: string | number } },
    ctx: ServerContext,
    work: (context: DownstreamContext) => Promise<R>,
  ): Promise<R> =>
    answer(async () => {
      const context = requestContext(params, ctx, {
        session,
        outbound,
        initializeCapabilities: () => server.getClientCapabilities(),
      });
      try {
        // Tracked from the start (an upstream may still be starting), so shutdown answers it.
        return await broker.track(context.signal, () => work(context));
      } finally {
        const settling = context.settled();
        if (settling) await settling;
      }
    });

  server.setRequestHandler(
    "tools/list",
    (_request, ctx) =>
      answer(async () => ({
        tools: await broker.listTools(session, clientNameOf(ctx, () => server.getClientVersion()?.name)),
      })),
  );
  server.setRequestHandler(
    "tools/call",
    (request, ctx) =>
      relay(
        request.params,
        ctx,
        async (context) => toolResult(await broker.callTool(session, request.params, context)),
      ),
  );
  server.setRequestHandler(
    "resources/list",
    () => answer(async () => ({ resources: await broker.list(session, "resources") })),
  );
  server.setRequestHandler(
    "resources/templates/list",
    () => answer(async () => ({ resourceTemplates: await broker.list(session, "resourceTemplates") })),
  );
  server.setRequestHandler(
    "resources/read",
    (request, ctx) =>
      relay(
        request.params,
        ctx,
        async (context) => readResult(await broker.readResource(session, request.params, context)),
      ),
  );
  server.setRequestHandler(
    "prompts/list",
    () => answer(async () => ({ prompts: await broker.list(session, "prompts") })),
  );
  server.setRequestHandler(
    "prompts/get",
    (request, ctx) =>
      relay(
        request.params,
        ctx,
        async (context) => promptResult(await broker.getPrompt(session, request.params, context)),
      ),
  );
  server.setRequestHandler(
    "completion/complete",
    (request, ctx) =>
      relay(
        request.params,
        ctx,
        async (context) => completionResult(await broker.complete(session, request.params, context)),
      ),
  );
  server.setRequestHandler("resources/subscribe", (request) =>
    answer(async () => {
      await broker.subscribe(session, request.params.uri);
      return {};
    }));
  server.setRequestHandler("resources/unsubscribe", (request) =>
    answer(async () => {
      await broker.unsubscribe(session, request.params.uri);
      return {};
    }));
  // The level is kept per session: it filters relayed logs and is passed on to 2026 upstreams.
  server.setRequestHandler("logging/setLevel", (request) => {
    session.logLevel = request.params.level;
    return {};
  });
  return { server, running: () => running };
}

/** Reaches a connected server's client: list changes, and upstream log messages (redacted). */
export function serverNotifier(
  server: Server,
  outbound: <T>(value: T) => T = (value) => value,
): SessionNotifier {
  const quietly = (sending: Promise<void>) => void sending.catch(() => {}); // the client may be gone
  return {
    listChanged(kind: ListKind) {
      if (kind === "tools") quietly(server.sendToolListChanged());
      else if (kind === "resources") quietly(server.sendResourceListChanged());
      else quietly(server.sendPromptListChanged());
    },
    log(params) {
      quietly(server.sendLoggingMessage(outbound(params)));
    },
    resourceUpdated(uri) {
      quietly(server.sendResourceUpdated({ uri }));
    },
  };
}

/** Maps anything thrown by the core to the JSON-RPC error the client receives. */
function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error; // relayed from the upstream as it was
  if (error instanceof JanusError) return new ProtocolError(jsonRpcCodeFor(error.code), error.message);
  return new ProtocolError(ProtocolErrorCode.InternalError, messageOf(error));
}
