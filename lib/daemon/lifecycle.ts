/**
 * Starting, finding and stopping the per-user daemon. The daemon writes its own metadata once
 * it listens; `start` waits for that (and a healthy answer) before it returns, and cleans up
 * what a dead daemon left behind.
 */
import { type ErrorCode, exitCodeFor, JanusError } from "../errors.ts";
import { fetchHealth, requestShutdown } from "./client.ts";
import { type DaemonMetadata, logPath, metadataPath, readMetadata, removeMetadata } from "./metadata.ts";
import type { DaemonHealth } from "./server.ts";

/** How long `start` waits for the daemon to answer. */
export const READY_TIMEOUT_MS = 10_000;
/** How long `stop` waits for the process to end before signalling it. */
const STOP_TIMEOUT_MS = 10_000;

/** What is known about the daemon. */
export type DaemonState =
  | { state: "running"; metadata: DaemonMetadata; health: DaemonHealth }
  | { state: "stopped" }
  /** Its process was gone; the metadata it left has been removed. */
  | { state: "stale"; metadata: DaemonMetadata }
  /** Its process lives but does not answer with the token. */
  | { state: "unresponsive"; metadata: DaemonMetadata };

/** The settings a daemon is started with, and compared against. */
export interface DaemonSettings {
  stateDir: string;
  port: number;
  version: string;
  configPath: string;
  configFingerprint: string;
}

/** Reads the metadata and asks the daemon; dead daemons' metadata is removed on the way. */
export async function inspectDaemon(stateDir: string): Promise<DaemonState> {
  const path = metadataPath(stateDir);
  const metadata = await readMetadata(path);
  if (!metadata) return { state: "stopped" };
  const health = await fetchHealth(metadata);
  if (health && health.pid === metadata.pid) return { state: "running", metadata, health };
  if (!await processAlive(metadata.pid)) {
    await removeMetadata(path, metadata.pid);
    return { state: "stale", metadata };
  }
  return { state: "unresponsive", metadata };
}

/** Why a running daemon does not fit these settings, or undefined when it does. */
export function settingsMismatch(
  metadata: DaemonMetadata,
  wanted: Omit<DaemonSettings, "stateDir" | "port">,
): string | undefined {
  if (metadata.version !== wanted.version) {
    return `it is version ${metadata.version}, this is ${wanted.version}`;
  }
  if (metadata.configPath !== wanted.configPath) return `it serves another config (${metadata.configPath})`;
  if (metadata.configFingerprint !== wanted.configFingerprint) {
    return `its config ${metadata.configPath} has changed since it started`;
  }
  return undefined;
}

/**
 * Starts the daemon unless one with the same settings runs already (then nothing happens).
 * `launch` spawns the daemon process; its metadata appearing, with a healthy answer, means ready.
 */
export async function startDaemon(
  settings: DaemonSettings,
  launch: () => Deno.ChildProcess,
): Promise<{ started: boolean; metadata: DaemonMetadata; cleaned?: DaemonMetadata }> {
  const current = await inspectDaemon(settings.stateDir);
  if (current.state === "running") {
    const mismatch = settingsMismatch(current.metadata, settings) ??
      (new URL(current.metadata.endpoint).port !== String(settings.port)
        ? `it listens on ${current.metadata.endpoint}, not port ${settings.port}`
        : undefined);
    if (mismatch === undefined) return { started: false, metadata: current.metadata };
    throw new JanusError(
      "usage",
      `a daemon is already running (pid ${current.metadata.pid}) but ${mismatch}; run "janusmcp daemon restart" to replace it`,
    );
  }
  if (current.state === "unresponsive") {
    throw new JanusError(
      "daemon_unavailable",
      `the daemon process ${current.metadata.pid} does not answer; run "janusmcp daemon stop" first`,
    );
  }
  assertPortFree(settings.port);
  const child = launch();
  let exit: Deno.CommandStatus | undefined;
  child.status.then((status) => exit = status);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (exit) {
      throw new JanusError(
        codeForExit(exit.code),
        `the daemon exited before it was ready: ${await lastLogLine(settings.stateDir)} (log: ${
          logPath(settings.stateDir)
        })`,
      );
    }
    const metadata = await readMetadata(metadataPath(settings.stateDir));
    if (metadata?.pid === child.pid && await fetchHealth(metadata, 1000)) {
      child.unref();
      return {
        started: true,
        metadata,
        ...(current.state === "stale" ? { cleaned: current.metadata } : {}),
      };
    }
  }
  try {
    child.kill("SIGTERM");
  } catch {
    // it ended meanwhile
  }
  throw new JanusError(
    "daemon_unavailable",
    `the daemon was not ready within ${READY_TIMEOUT_MS / 1000} s (log: ${logPath(settings.stateDir)})`,
  );
}

/** Stops the daemon (asks it, then signals it); reports whether one was running. */
export async function stopDaemon(
  stateDir: string,
): Promise<{ stopped?: DaemonMetadata; stale?: DaemonMetadata }> {
  const current = await inspectDaemon(stateDir);
  if (current.state === "stopped") return {};
  if (current.state === "stale") return { stale: current.metadata };
  const { metadata } = current;
  if (current.state === "running") await requestShutdown(metadata);
  if (!await exited(metadata.pid, current.state === "running" ? STOP_TIMEOUT_MS : 0)) {
    if (!await looksLikeDaemon(metadata.pid)) {
      throw new JanusError(
        "daemon_unavailable",
        `process ${metadata.pid} named in ${
          metadataPath(stateDir)
        } does not look like a JanusMCP daemon; not signalling it`,
      );
    }
    Deno.kill(metadata.pid, "SIGTERM");
    if (!await exited(metadata.pid, STOP_TIMEOUT_MS)) Deno.kill(metadata.pid, "SIGKILL");
  }
  await removeMetadata(metadataPath(stateDir), metadata.pid);
  return { stopped: metadata };
}

/**
 * Whether a process exists; a zombie (exited, not yet reaped — a detached daemon's parent may
 * never reap it) counts as gone. Asks `ps`: /proc needs more than the shipped permission set.
 */
export async function processAlive(pid: number): Promise<boolean> {
  if (Deno.build.os === "windows") return true; // no cheap check; the health answer decides
  const state = await psField(pid, "stat");
  if (state === undefined) {
    try {
      Deno.kill(pid, "SIGCONT"); // harmless to a running process; fails when there is none
      return true;
    } catch (error) {
      return !(error instanceof Deno.errors.NotFound);
    }
  }
  return state !== "" && !state.startsWith("Z");
}

/** One `ps` column for a process: "" when there is no such process, undefined when ps cannot run. */
async function psField(pid: number, field: "stat" | "args"): Promise<string | undefined> {
  try {
    const output = await new Deno.Command("ps", {
      args: ["-o", `${field}=`, "-p", String(pid)],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return output.success ? new TextDecoder().decode(output.stdout).trim() : "";
  } catch {
    return undefined;
  }
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await processAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Checks the command line before signalling a process the metadata names (pids get reused). */
async function looksLikeDaemon(pid: number): Promise<boolean> {
  const args = await psField(pid, "args");
  return args === undefined || / daemon run\b/.test(args);
}

function assertPortFree(port: number): void {
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port });
    listener.close();
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new JanusError(
        "usage",
        `port ${port} on 127.0.0.1 is already in use by another program; set JANUS_DAEMON_PORT to a free port`,
      );
    }
    throw error;
  }
}

async function lastLogLine(stateDir: string): Promise<string> {
  try {
    const lines = (await Deno.readTextFile(logPath(stateDir))).trim().split("\n");
    // Lines are "<ISO time> janusmcp: <message>".
    return lines.at(-1)?.replace(/^\S+ (janusmcp: )?/, "") || "(empty log)";
  } catch {
    return "(no log)";
  }
}

const CODES: ErrorCode[] = ["usage", "config", "auth", "upstream", "generic"];

/** The error code a daemon's exit code stands for (its startup failure's own code). */
function codeForExit(code: number): ErrorCode {
  return CODES.find((c) => exitCodeFor(c) === code) ?? "daemon_unavailable";
}
