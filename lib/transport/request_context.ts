/**
 * What one downstream request carries to the upstream besides its params: cancellation,
 * progress, log messages, the multi-round-trip retry channel, a way to ask its client, and the
 * client's capabilities and log level (so a 2026 upstream sees the real client, not the broker).
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  type ClientCapabilities,
  LOG_LEVEL_META_KEY,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import type { RequestContext, Session } from "../broker/mod.ts";
import { isRecord } from "../values.ts";
import { atLeast, isLoggingLevel } from "./log_levels.ts";

/** A client's answer is relayed to the upstream as it is; the upstream's SDK validates it. */
const ANY_RESULT = z.looseObject({});

/**
 * A request context plus what settles once every notification it sent is written (nothing when
 * it sent none, the usual case: the handler then need not wait a turn).
 */
export type DownstreamContext = RequestContext & { settled(): Promise<unknown> | undefined };

/** Builds the context of one downstream request (once per relayed call: kept free of spare objects). */
export function requestContext(
  params: { _meta?: { progressToken?: string | number } },
  ctx: ServerContext,
  options: {
    session: Session;
    outbound: <T>(value: T) => T;
    /** The capabilities a 2025 client declared at initialize. */
    initializeCapabilities: () => ClientCapabilities | undefined;
  },
): DownstreamContext {
  const { outbound, session } = options;
  const sent: Promise<void>[] = [];
  const notify = (method: string, notificationParams: Record<string, unknown>) =>
    sent.push(ctx.mcpReq.notify(outbound({ method, params: notificationParams })));

  // A 2025-11-25 request has no per-request envelope; only it can be asked mid-call.
  const envelope = ctx.mcpReq.envelope;
  const legacy = envelope === undefined;
  const fields: Record<string, unknown> = isRecord(envelope) ? envelope : {};
  const declaredCapabilities = fields[CLIENT_CAPABILITIES_META_KEY];
  const capabilities: Record<string, unknown> | undefined = legacy
    ? options.initializeCapabilities()
    : isRecord(declaredCapabilities)
    ? declaredCapabilities
    : undefined;
  // A level the broker does not know is ignored rather than trusted: it would filter out every log.
  const declaredLevel = fields[LOG_LEVEL_META_KEY];
  const logLevel = legacy ? session.logLevel : isLoggingLevel(declaredLevel) ? declaredLevel : undefined;

  const upstreamMeta: Record<string, unknown> = {};
  if (capabilities) upstreamMeta[CLIENT_CAPABILITIES_META_KEY] = capabilities;
  // A 2025 client that set no level hears every log (below); a 2026 upstream logs only when asked.
  if (logLevel || legacy) upstreamMeta[LOG_LEVEL_META_KEY] = logLevel ?? "debug";
  const context: DownstreamContext = {
    signal: ctx.mcpReq.signal,
    settled: () => sent.length > 0 ? Promise.allSettled(sent) : undefined,
    upstreamMeta,
    // 2026-07-28 asks for logs per request: without a level in its `_meta` the server must not
    // send any (a 2025-only upstream logs regardless). A 2025 client gets them all until it sets one.
    onLog: (log) => {
      if (logLevel ? atLeast(log.level, logLevel) : legacy) notify("notifications/message", log);
    },
  };
  if (ctx.http?.closeSSE) context.closeStream = ctx.http.closeSSE;
  const progressToken = params._meta?.progressToken;
  if (progressToken !== undefined) {
    context.onProgress = (progress) => notify("notifications/progress", { progressToken, ...progress });
  }
  const requestState = ctx.mcpReq.requestState<unknown>();
  const inputResponses = ctx.mcpReq.inputResponses;
  if (requestState !== undefined || inputResponses !== undefined) {
    context.retry = {
      requestState: typeof requestState === "string" ? requestState : undefined,
      inputResponses,
    };
  }
  if (legacy) context.ask = (request) => ctx.mcpReq.send(request, ANY_RESULT);
  return context;
}

/**
 * The calling client's `clientInfo.name` (it decides `exposure: "auto"`): per request from the
 * 2026-07-28 envelope, where one stateless session stands for many clients; from initialize on
 * 2025-11-25.
 */
export function clientNameOf(
  ctx: ServerContext,
  initializeName: () => string | undefined,
): string | undefined {
  const envelope = ctx.mcpReq.envelope;
  return envelope === undefined ? initializeName() : clientNameInEnvelope(envelope);
}

/** `clientInfo.name` from a 2026-07-28 request's `_meta` envelope, when it names one. */
export function clientNameInEnvelope(envelope: unknown): string | undefined {
  const info = isRecord(envelope) ? envelope[CLIENT_INFO_META_KEY] : undefined;
  return isRecord(info) && typeof info.name === "string" ? info.name : undefined;
}
