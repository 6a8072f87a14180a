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
import { constantTimeEqual } from "../crypto.ts";

/** How requests are checked. */
export interface GuardOptions {
  /** Hostnames the Host header may name; undefined skips the check (a wildcard bind with a token). */
  allowedHosts?: string[];
  /** Required as `Authorization: Bearer <token>` when set. */
  token?: string;
}

/** Whether a bind address stays on this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** The Host names accepted for a bind address: loopback names, plus the address itself. */
export function allowedHostsFor(host: string): string[] | undefined {
  if (host === "0.0.0.0" || host === "::" || host === "[::]") return undefined;
  const named = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  // Host headers are compared as URL hostnames (lower-cased, IPv6 compressed): list ours that way too.
  const hostname = URL.canParse(`http://${named}`) ? new URL(`http://${named}`).hostname : named;
  return [...new Set([...localhostAllowedHostnames(), hostname])];
}

/** A refusal for a request that fails a check, or undefined when it may proceed. */
export function guardRequest(request: Request, options: GuardOptions): Response | undefined {
  if (options.allowedHosts) {
    const refused = hostHeaderValidationResponse(request, options.allowedHosts);
    if (refused) return refused;
  }
  const refused = originValidationResponse(request, localhostAllowedOrigins());
  if (refused) return refused;
  if (options.token !== undefined && !bearerMatches(request.headers.get("authorization"), options.token)) {
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32001, message: "missing or wrong bearer token" }, id: null },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="janusmcp"' } },
    );
  }
  return undefined;
}

function bearerMatches(header: string | null, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1] ?? "";
  return constantTimeEqual(presented, token) && presented.length > 0;
}
