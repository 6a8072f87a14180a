/**
 * The transports: stdio, and the Hono app for Streamable HTTP (both protocol revisions, the
 * Host/Origin guard, the bearer token). Each turns wire messages into calls on the one broker
 * through the SDK `Server` adapter (session_server.ts); none holds routing logic.
 */
export type { StdioOptions } from "./stdio.ts";
export type { FirstAnswers } from "./stdio_handover.ts";
export { serveBrokerOverStdio } from "./stdio.ts";
export type { HttpApp, HttpOptions, HttpServerHandle } from "./http.ts";
export { createHttpApp, DEFAULT_MAX_BODY_BYTES, listenHttp } from "./http.ts";
export type { GuardOptions } from "./http_guard.ts";
export { allowedHostsFor, bearerGuard, hostAndOriginGuard } from "./http_guard.ts";
