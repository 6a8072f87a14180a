/**
 * What every HTTP request must pass before it reaches MCP: a Host header naming this machine
 * (DNS rebinding), an Origin (if any) from this machine, and — when the broker listens beyond
 * loopback — the bearer token.
 */
import {
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} from "@modelcontextprotocol/server";
import type { MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { constantTimeEqual } from "../crypto.ts";
import { JSON_RPC } from "../errors.ts";

/** How requests are checked. */
export interface GuardOptions {
  /** Hostnames the Host header may name; undefined skips the check (a wildcard bind with a token). */
  allowedHosts?: string[];
  /** Required as `Authorization: Bearer <token>` when set. */
  token?: string;
}

/** The Host names accepted for a bind address: loopback names, plus the address itself. */
export function allowedHostsFor(host: string): string[] | undefined {
  if (host === "0.0.0.0" || host === "::" || host === "[::]") return undefined;
  const named = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  // Host headers are compared as URL hostnames (lower-cased, IPv6 compressed): list ours that way too.
  const hostname = URL.canParse(`http://${named}`) ? new URL(`http://${named}`).hostname : named;
  return [...new Set([...localhostAllowedHostnames(), hostname])];
}

/** Refuses a request whose Host is not this machine's (DNS rebinding) or whose Origin is foreign. */
export function hostAndOriginGuard(allowedHosts: string[] | undefined): MiddlewareHandler {
  // Every request repeats the same Host header: one accepted is not parsed as a URL again.
  const accepted = new Set<string>();
  return async (c, next) => {
    const host = c.req.raw.headers.get("host");
    const knownHost = !allowedHosts || (host !== null && accepted.has(host));
    const refused = (!knownHost && hostHeaderValidationResponse(c.req.raw, allowedHosts)) ||
      originValidationResponse(c.req.raw, localhostAllowedOrigins());
    if (refused) return refused;
    if (!knownHost && host !== null && accepted.size < MAX_REMEMBERED_HOSTS) accepted.add(host);
    await next();
  };
}

/** Distinct accepted Host values remembered (localhost, 127.0.0.1, [::1], with or without port). */
const MAX_REMEMBERED_HOSTS = 16;

/** Requires `Authorization: Bearer <token>` (RFC 6750: a malformed header is 400, a wrong token 401). */
export function bearerGuard(token: string): MiddlewareHandler {
  const refusal = (message: string) => () => ({
    jsonrpc: "2.0",
    error: { code: JSON_RPC.unauthorizedOrUnknownSession, message },
    id: null,
  });
  return bearerAuth({
    // An empty configured token admits nobody (hono would compare it against an empty one).
    verifyToken: (presented) => token !== "" && constantTimeEqual(presented, token),
    realm: "janusmcp",
    noAuthenticationHeader: { message: refusal("missing bearer token") },
    invalidAuthenticationHeader: { message: refusal("malformed Authorization header; send Bearer <token>") },
    invalidToken: { message: refusal("wrong bearer token") },
  });
}
