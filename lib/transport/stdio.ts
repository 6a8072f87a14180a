/**
 * The stdio transport: one MCP session over this process's stdin/stdout, either protocol
 * revision (the first message decides). stdout carries MCP frames only.
 */
import process from "node:process";
import type { Transport } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Broker } from "../broker/broker.ts";
import { createSessionServer, serverNotifier } from "../broker/session_server.ts";

/** Options for serving over stdio. */
export interface StdioOptions {
  outbound?: <T>(value: T) => T;
  log(line: string): void;
  /** A stdio wire already started (by the daemon relay, which read the first message); default: a new one. */
  wire?: Transport;
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
    }, { transport: options.wire, onerror: (error) => options.log(`stdio: ${error.message}`) });
    // A client may close stdin before sending anything, when no server instance exists yet.
    process.stdin.once("end", () => void handle.close().finally(end));
    process.stdin.once("close", () => void handle.close().finally(end));
  });
}
