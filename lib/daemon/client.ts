/** The CLI's side of the daemon: health, shutdown and agent operations over loopback HTTP with the token. */
import { isRecord } from "../values.ts";
import type { AgentReply, AgentRequest } from "../broker/mod.ts";
import { isErrorCode, JanusError } from "../errors.ts";
import type { DaemonMetadata } from "./metadata.ts";
import { DAEMON_ROUTES, type DaemonHealth } from "./server.ts";

/** The daemon did not answer at all (nothing listens, or the connection broke before a reply). */
export class DaemonUnreachable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DaemonUnreachable";
  }
}

function headers(metadata: DaemonMetadata): Record<string, string> {
  return { authorization: `Bearer ${metadata.token}`, "content-type": "application/json" };
}

/** The daemon's health, or undefined when it does not answer (in time) or refuses the token. */
export async function fetchHealth(
  metadata: DaemonMetadata,
  timeoutMs = 2000,
): Promise<DaemonHealth | undefined> {
  try {
    const response = await fetch(`${metadata.endpoint}${DAEMON_ROUTES.health}`, {
      headers: headers(metadata),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return await response.json() as DaemonHealth;
  } catch {
    return undefined;
  }
}

/** Asks the daemon to stop; false when it did not answer. */
export async function requestShutdown(metadata: DaemonMetadata): Promise<boolean> {
  try {
    const response = await fetch(`${metadata.endpoint}${DAEMON_ROUTES.shutdown}`, {
      method: "POST",
      headers: headers(metadata),
      signal: AbortSignal.timeout(5000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Runs one agent operation on the daemon. Aborting `signal` closes the connection, which
 * cancels the upstream call there. Failures the daemon reports come back as the same JanusError.
 */
export async function daemonAgentRequest(
  metadata: DaemonMetadata,
  request: AgentRequest,
  signal: AbortSignal,
): Promise<AgentReply> {
  let response: Response;
  try {
    response = await fetch(`${metadata.endpoint}${DAEMON_ROUTES.agent}`, {
      method: "POST",
      headers: headers(metadata),
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new DaemonUnreachable(`the daemon at ${metadata.endpoint} does not answer`, { cause: error });
  }
  if (response.status === 401) {
    await response.body?.cancel();
    throw new JanusError(
      "daemon_unavailable",
      `the daemon at ${metadata.endpoint} refused the token in its metadata; run "janusmcp daemon restart"`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new DaemonUnreachable(`the daemon at ${metadata.endpoint} sent no readable answer`, {
      cause: error,
    });
  }
  if (isRecord(body) && body.ok === true && isRecord(body.reply)) return body.reply as unknown as AgentReply;
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = isErrorCode(error.code) ? error.code : "generic";
  const message = typeof error.message === "string"
    ? error.message
    : `the daemon answered ${response.status}`;
  throw new JanusError(code, message);
}
