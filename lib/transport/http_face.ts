/**
 * The HTTP side of the transport layer (Hono, both protocol revisions, the Host/Origin guard and
 * the bearer token), reached through `loadHttp` in mod.ts so that a stdio `serve` never loads it.
 */
export { createHttpApp, DEFAULT_MAX_BODY_BYTES } from "./http.ts";
export { allowedHostsFor, bearerGuard, hostAndOriginGuard } from "./http_guard.ts";
