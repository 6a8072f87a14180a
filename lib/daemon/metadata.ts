/**
 * The daemon's metadata file (`daemon.json` in the per-user state directory): how the CLI finds
 * the running daemon, proves it is the one it started (the bearer token) and tells whether it
 * serves the same config and version. Written atomically, mode 0600; the token is never logged.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic_write.ts";
import { userConfigDir } from "../config/mod.ts";
import { JanusError } from "../errors.ts";

/** The daemon's default port (never the HTTP mode's 7332). */
export const DEFAULT_DAEMON_PORT = 7335;

/** What the running daemon wrote about itself. */
export interface DaemonMetadata {
  pid: number;
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  /** Every request must carry it as `Authorization: Bearer <token>`. */
  token: string;
  version: string;
  configPath: string;
  configFingerprint: string;
  /** ISO 8601. */
  startedAt: string;
  logPath: string;
}

/** Where the daemon's files live: `JANUS_STATE_DIR`, else the user config directory. */
export function daemonStateDir(env: (name: string) => string | undefined): string {
  const explicit = env("JANUS_STATE_DIR");
  if (explicit) return explicit;
  return userConfigDir({ env, os: Deno.build.os });
}

/** The metadata file in a state directory. */
export function metadataPath(stateDir: string): string {
  return join(stateDir, "daemon.json");
}

/** The daemon's log file in a state directory. */
export function logPath(stateDir: string): string {
  return join(stateDir, "daemon.log");
}

/** The port from `JANUS_DAEMON_PORT`, else the default. */
export function daemonPort(env: (name: string) => string | undefined): number {
  const text = env("JANUS_DAEMON_PORT");
  if (text === undefined || text === "") return DEFAULT_DAEMON_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new JanusError("usage", `JANUS_DAEMON_PORT must be a port number from 1 to 65535, not "${text}"`);
  }
  return port;
}

/** Identifies a config: its absolute path and its bytes (a missing file is a config too). */
export async function configFingerprint(configPath: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(configPath);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    bytes = new TextEncoder().encode("(no config file)");
  }
  const hash = createHash("sha256").update(configPath).update("\0").update(bytes);
  return `sha256:${hash.digest("hex")}`;
}

/** Reads the metadata; undefined when there is none or it is not in a shape this version wrote. */
export async function readMetadata(path: string): Promise<DaemonMetadata | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
    throw error;
  }
  return isMetadata(raw) ? raw : undefined;
}

/** Writes the metadata atomically (temp + rename), mode 0600. */
export async function writeMetadata(path: string, metadata: DaemonMetadata): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(metadata, null, 2)}\n`);
}

/** Removes the metadata if it still describes `pid` (a newer daemon's file is left alone). */
export async function removeMetadata(path: string, pid?: number): Promise<void> {
  if (pid !== undefined) {
    const current = await readMetadata(path).catch(() => undefined);
    if (current && current.pid !== pid) return;
  }
  await Deno.remove(path).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

function isMetadata(value: unknown): value is DaemonMetadata {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return Number.isInteger(v.pid) &&
    ["endpoint", "token", "version", "configPath", "configFingerprint", "startedAt", "logPath"].every((key) =>
      typeof v[key] === "string" && v[key] !== ""
    );
}
