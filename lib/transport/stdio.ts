/**
 * The stdio transport: one MCP session over this process's stdin/stdout, either protocol
 * revision (the first message decides). stdout carries MCP frames only.
 */
import process from "node:process";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Broker } from "../broker/broker.ts";
import { createSessionServer, serverNotifier } from "../broker/session_server.ts";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../wire/line_frames.ts";
import { RejectLog } from "../wire/reject_log.ts";
import { StdioWire } from "./stdio_wire.ts";

/** Options for serving over stdio. */
export interface StdioOptions {
  outbound?: <T>(value: T) => T;
  log(line: string): void;
  /** The largest frame accepted on stdin (default 64 MiB). */
  maxMessageBytes?: number;
}

/** Serves the broker over stdio; resolves when the client closes stdin. */
export function serveBrokerOverStdio(broker: Broker, options: StdioOptions): Promise<void> {
  return new Promise((resolve) => {
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      resolve();
    };
    const handle = serveStdio(() => {
      const session = broker.openSession("stdio");
      const server = createSessionServer(broker, session, { outbound: options.outbound });
      session.notifier = serverNotifier(server, options.outbound);
      server.onclose = () => {
        broker.closeSession(session);
        end();
      };
      return server;
    }, {
      // The broker's own reader: explicit size limit, answers for malformed frames, one log line each.
      transport: new StdioWire(
        options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        new RejectLog(options.log),
      ),
      onerror: (error) => options.log(`stdio: ${error.message}`),
    });
    // A client may close stdin before sending anything, when no server instance exists yet.
    process.stdin.once("end", () => void handle.close().finally(end));
    process.stdin.once("close", () => void handle.close().finally(end));
  });
}
