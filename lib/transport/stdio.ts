/**
 * The stdio transport: one MCP session over this process's stdin/stdout, either protocol
 * revision (the first message decides). stdout carries MCP frames only.
 */
import process from "node:process";
import type { Transport } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Broker, Session } from "../broker/mod.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, RejectLog } from "../wire/mod.ts";
import { cancelledRequest, listenedResources, ListenResources } from "./listen_resources.ts";
import { createSessionServer, serverNotifier } from "./session_server.ts";
import { StdioWire, type WireStreams } from "./stdio_wire.ts";
import { type FirstAnswers, HandoverWire } from "./stdio_handover.ts";
import type { EarlyAnswered } from "../early_stdio.ts";
import { DirectDispatch } from "./direct_dispatch.ts";

/** Options for serving over stdio. */
export interface StdioOptions {
  outbound?: <T>(value: T) => T;
  log(line: string): void;
  /** A stdio wire already started (by the daemon relay, which read the first message); default: a new one. */
  wire?: Transport;
  /** The largest frame accepted on stdin (default 64 MiB). */
  maxMessageBytes?: number;
  /**
   * The entry read stdin first (lib/early_stdio.ts): the wire reads `stdin` (what was read, then
   * the rest), and the broker's answers to the requests `answered` early are not sent again.
   */
  early?: { stdin: WireStreams["stdin"]; answered: readonly EarlyAnswered[] };
  /** Called once with the client's first initialize and tools/list answers, when that list was complete. */
  record?: (answers: FirstAnswers) => void;
}

/** Serves the broker over stdio; resolves when the client closes stdin. */
export function serveBrokerOverStdio(broker: Broker, options: StdioOptions): Promise<void> {
  let current: Session | undefined;
  const { wire, stdinEnded } = stdioWire(options, () => current);
  return new Promise((resolve) => {
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      resolve();
    };
    const direct = new DirectDispatch();
    const handle = serveStdio(({ era }) => {
      const session = broker.openSession("stdio", { era });
      current = session;
      const server = createSessionServer(broker, session, { outbound: options.outbound });
      direct.adopt(server, era);
      session.notifier = serverNotifier(server, options.outbound);
      server.onclose = () => {
        broker.closeSession(session);
        end();
      };
      return server;
    }, { transport: wire, onerror: (error) => options.log(`stdio: ${error.message}`) });
    const entry = wire.onmessage;
    if (entry) wire.onmessage = direct.wrap(entry);
    followListenedResources(wire, () => current, broker, options.log);
    // A client may close stdin before sending anything, when no server instance exists yet.
    void stdinEnded.then(() => handle.close()).finally(end);
  });
}

/** The wire to serve on, and when the client closed stdin. */
function stdioWire(
  options: StdioOptions,
  session: () => Session | undefined,
): { wire: Transport; stdinEnded: Promise<void> } {
  if (options.wire) {
    // The daemon relay's wire (the SDK's) reads through node's process.stdin.
    const stdinEnded = new Promise<void>((resolve) => {
      process.stdin.once("end", resolve);
      process.stdin.once("close", resolve);
    });
    return { wire: options.wire, stdinEnded };
  }
  // The broker's own reader: explicit size limit, answers for malformed frames, one log line each.
  const { early, record } = options;
  const wire = new StdioWire(
    options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    new RejectLog(options.log),
    early ? { stdin: early.stdin, stdout: Deno.stdout } : undefined,
  );
  if (!early && !record) return { wire, stdinEnded: wire.ended };
  const handover = new HandoverWire(wire, {
    answered: early?.answered ?? [],
    record,
    // Recorded only for the selector a new session starts with, and only when no account failed.
    toolsComplete: () => {
      const listed = session();
      return listed !== undefined && listed.choice === undefined && listed.toolsComplete;
    },
    log: options.log,
  });
  return { wire: handover, stdinEnded: wire.ended };
}

/**
 * A 2026 client names the resources it follows on its `subscriptions/listen` streams, which the
 * SDK serves before the server sees them: read them off the wire and subscribe the session before
 * the stream is acknowledged; unsubscribe when the stream is cancelled. Messages keep their order.
 */
function followListenedResources(
  wire: Transport,
  session: () => Session | undefined,
  broker: Broker,
  log: (line: string) => void,
): void {
  const deliver = wire.onmessage;
  if (!deliver) return;
  const follower = new ListenResources({
    subscribe: (uri) => {
      const current = session();
      return current ? broker.subscribe(current, uri) : Promise.resolve();
    },
    unsubscribe: (uri) => {
      const current = session();
      return current ? broker.unsubscribe(current, uri) : Promise.resolve();
    },
  }, log);
  const streams = new Map<string | number, string[]>();
  let queue: Promise<void> | undefined;
  wire.onmessage = (message) => {
    const listen = listenedResources(message);
    const cancelled = cancelledRequest(message);
    const ours = cancelled !== undefined && streams.has(cancelled);
    if (!listen && !ours && !queue) return deliver(message);
    // In order: a listen is subscribed before it is served, a cancel released after its listen.
    const previous = queue ?? Promise.resolve();
    const mine: Promise<void> = previous.then(async () => {
      if (listen) {
        streams.set(listen.id, listen.uris);
        await follower.acquire(listen.uris);
      }
      const uris = cancelled === undefined ? undefined : streams.get(cancelled);
      if (cancelled !== undefined && uris) {
        streams.delete(cancelled);
        void follower.release(uris);
      }
      deliver(message);
    }).finally(() => {
      if (queue === mine) queue = undefined;
    });
    queue = mine;
  };
}
