/**
 * The transports: stdio, and the Hono app for Streamable HTTP (both protocol revisions, the
 * Host/Origin guard, the bearer token). Each turns wire messages into calls on the one broker
 * through the SDK `Server` adapter (session_server.ts); none holds routing logic.
 */
export type { StdioOptions } from "./stdio.ts";
export type { FirstAnswers } from "./stdio_handover.ts";
export { serveBrokerOverStdio } from "./stdio.ts";
export type { HttpApp, HttpOptions, HttpServerHandle } from "./http.ts";
export type { GuardOptions } from "./http_guard.ts";

/** The HTTP transport's values (`createHttpApp`, the guards, the body limit); `listenHttp` is lib/http_listen.ts. */
export type HttpTransport = typeof import("./http_face.ts");

/**
 * Loads the HTTP transport. Only on demand: Hono and the HTTP handlers of both revisions
 * cost a stdio `serve` ~7 ms of its start before its first answer (issue 13, cold
 * start), and it never uses them.
 */
export function loadHttp(): Promise<HttpTransport> {
  return import("./http_face.ts");
}
