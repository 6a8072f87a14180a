/**
 * The broker's MCP face: one SDK `Server` per downstream session, whose handlers hand every
 * request to the routing core with that session. Transports (stdio, HTTP) only connect it.
 * Everything leaving toward the client passes through `outbound` (redaction) here, and only here.
 */
import { ProtocolError, ProtocolErrorCode, Server, type ServerContext } from "@modelcontextprotocol/server";
import type {
  CallToolResult,
  CompleteResult,
  GetPromptResult,
  ReadResourceResult,
} from "@modelcontextprotocol/server";
import { JanusError } from "../errors.ts";
import { PRODUCT } from "../version.ts";
import type { Broker } from "./broker.ts";
import { type DownstreamContext, requestContext } from "./request_context.ts";
import type { ListKind, Session, SessionNotifier } from "./session.ts";

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
    }
  };
  /** Like `answer`, for a request relayed upstream with cancellation and progress. */
  const relay = <T>(
    params: { _meta?: { progressToken?: string | number } },
    ctx: ServerContext,
    work: (context: DownstreamContext) => Promise<unknown>,
  ): Promise<T> =>
    answer(async () => {
      const context = requestContext(params, ctx, {
        session,
        outbound,
        initializeCapabilities: () => server.getClientCapabilities(),
      });
      try {
        // Tracked from the start (an upstream may still be starting), so shutdown answers it.
        return await broker.track(context.signal, () => work(context)) as T;
      } finally {
        await context.settled();
      }
    });

  server.setRequestHandler(
    "tools/list",
    () => answer(async () => ({ tools: await broker.listTools(session) })),
  );
  server.setRequestHandler(
    "tools/call",
    (request, ctx) =>
      relay<CallToolResult>(
        request.params,
        ctx,
        (context) => broker.callTool(session, request.params, context),
      ),
  );
  server.setRequestHandler(
    "resources/list",
    () => answer(async () => ({ resources: await broker.listResources(session) })),
  );
  server.setRequestHandler(
    "resources/templates/list",
    () => answer(async () => ({ resourceTemplates: await broker.listResourceTemplates(session) })),
  );
  server.setRequestHandler(
    "resources/read",
    (request, ctx) =>
      relay<ReadResourceResult>(
        request.params,
        ctx,
        (context) => broker.readResource(session, request.params, context),
      ),
  );
  server.setRequestHandler(
    "prompts/list",
    () => answer(async () => ({ prompts: await broker.listPrompts(session) })),
  );
  server.setRequestHandler(
    "prompts/get",
    (request, ctx) =>
      relay<GetPromptResult>(
        request.params,
        ctx,
        (context) => broker.getPrompt(session, request.params, context),
      ),
  );
  server.setRequestHandler(
    "completion/complete",
    (request, ctx) =>
      relay<CompleteResult>(
        request.params,
        ctx,
        (context) => broker.complete(session, request.params, context),
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
  return server;
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
  if (error instanceof JanusError) {
    const code = error.code === "selector" || error.code === "config" || error.code === "input_required"
      ? ProtocolErrorCode.InvalidParams
      : ProtocolErrorCode.InternalError;
    return new ProtocolError(code, error.message);
  }
  return new ProtocolError(
    ProtocolErrorCode.InternalError,
    error instanceof Error ? error.message : String(error),
  );
}
