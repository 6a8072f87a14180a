/** The daemon process itself: listen on loopback, announce itself in the metadata, serve until told to stop. */
import type { Broker } from "../broker/mod.ts";
import { randomToken } from "../random.ts";
import type { Selector } from "../config/mod.ts";
import { JanusError } from "../errors.ts";
import { listenHttp } from "../http_listen.ts";
import { PRODUCT } from "../version.ts";
import { type DaemonMetadata, metadataPath, removeMetadata, writeMetadata } from "./metadata.ts";
import { createDaemonApp } from "./server.ts";

/** The daemon's bind address: loopback only, always. */
export const DAEMON_HOST = "127.0.0.1";

/** What the daemon process runs with. */
export interface DaemonRunOptions {
  broker: Broker;
  outbound: <T>(value: T) => T;
  log(line: string): void;
  loadGlobal(): Promise<Selector | undefined>;
  stateDir: string;
  port: number;
  configPath: string;
  configFingerprint: string;
  logPath: string;
  /** Resolves when the process is told to stop (SIGTERM, SIGINT). */
  stopped: Promise<void>;
}

/** Serves until the shutdown route or a signal; the metadata exists exactly while it serves. */
export async function runDaemon(options: DaemonRunOptions): Promise<void> {
  const token = randomToken(); // new on every start: a restart rotates it
  let requestShutdown = () => {};
  const shutdownRequested = new Promise<void>((resolve) => requestShutdown = resolve);
  const startedAt = new Date().toISOString();
  const app = await createDaemonApp({
    broker: options.broker,
    host: DAEMON_HOST,
    token,
    outbound: options.outbound,
    log: options.log,
    loadGlobal: options.loadGlobal,
    identity: {
      pid: Deno.pid,
      configPath: options.configPath,
      configFingerprint: options.configFingerprint,
      startedAt,
    },
    onShutdown: () => requestShutdown(),
  });
  let server;
  try {
    server = await listenHttp(app, DAEMON_HOST, options.port);
  } catch (error) {
    await app.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new JanusError(
        "usage",
        `port ${options.port} on ${DAEMON_HOST} is already in use; set JANUS_DAEMON_PORT to a free port`,
      );
    }
    throw error;
  }
  const path = metadataPath(options.stateDir);
  const metadata: DaemonMetadata = {
    pid: Deno.pid,
    endpoint: server.url,
    token,
    version: PRODUCT.version,
    configPath: options.configPath,
    configFingerprint: options.configFingerprint,
    startedAt,
    logPath: options.logPath,
  };
  try {
    await writeMetadata(path, metadata);
    options.log(`daemon ${PRODUCT.version} (pid ${Deno.pid}) listening on ${server.url}`);
    await Promise.race([shutdownRequested, options.stopped]);
    options.log("daemon stopping");
  } finally {
    // Gone from the metadata first, so no new CLI call picks a daemon that is going away.
    await removeMetadata(path, Deno.pid);
    await server.shutdown();
    await options.broker.close();
  }
}
