/** The per-user background broker: its metadata, lifecycle, the process itself, and the CLI's client for it. */
export type { DaemonMetadata } from "./metadata.ts";
export {
  configFingerprint,
  daemonPort,
  daemonStateDir,
  DEFAULT_DAEMON_PORT,
  logPath,
  metadataPath,
  readMetadata,
  removeMetadata,
} from "./metadata.ts";
export type { DaemonSettings, DaemonState } from "./lifecycle.ts";
export { inspectDaemon, processAlive, settingsMismatch, startDaemon, stopDaemon } from "./lifecycle.ts";
export { daemonAgentRequest, DaemonUnreachable, fetchHealth } from "./client.ts";
export type { DaemonRunOptions } from "./run.ts";
export { DAEMON_HOST, runDaemon } from "./run.ts";
export { spawnDetached } from "./spawn.ts";
export type { DaemonHealth } from "./server.ts";
export { DAEMON_ROUTES } from "./server.ts";
export { usableDaemon } from "./choose.ts";
export { serveStdioThroughDaemon } from "./stdio_proxy.ts";
