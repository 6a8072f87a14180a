/**
 * A `url` without `transport`: try Streamable HTTP, and when the server does not answer as one
 * fall back to the legacy HTTP+SSE transport; remember what worked so the next connect tries it
 * first. An authorization failure is final (the other transport would fail the same way, and a
 * second attempt would only spend a refresh).
 */
import { UnauthorizedError } from "@modelcontextprotocol/client";
import { JanusError } from "../errors.ts";
import type { RemoteLaunchSpec } from "./launch.ts";

/** True for failures that trying another transport cannot fix. */
export function isAuthFailure(error: unknown): boolean {
  if (error instanceof JanusError) return error.code === "auth";
  if (error instanceof UnauthorizedError) return true;
  const cause = error instanceof Error ? error.cause : undefined;
  return cause !== undefined && cause !== error && isAuthFailure(cause);
}

/** Opens with each transport in turn (remembered one first) until one works. */
export async function openWithFallback<T>(
  spec: RemoteLaunchSpec,
  open: (kind: "http" | "sse") => Promise<T>,
): Promise<T> {
  const order: ("http" | "sse")[] = spec.remembered === "sse" ? ["sse", "http"] : ["http", "sse"];
  const failures: unknown[] = [];
  for (const kind of order) {
    try {
      const opened = await open(kind);
      if (kind !== spec.remembered) await spec.remember?.(kind).catch(() => {});
      return opened;
    } catch (error) {
      if (isAuthFailure(error)) throw error;
      failures.push(error);
    }
  }
  const reasons = failures.map((error, i) =>
    `${order[i]}: ${error instanceof Error ? error.message : String(error)}`
  );
  throw new JanusError("upstream", `neither Streamable HTTP nor SSE worked — ${reasons.join("; ")}`, {
    cause: failures[0],
  });
}
