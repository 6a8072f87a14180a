/** Whether a command may use the running daemon: healthy, same version, same config file unchanged. */
import { JanusError } from "../errors.ts";
import { PRODUCT } from "../version.ts";
import { fetchHealth } from "./client.ts";
import { processAlive, settingsMismatch } from "./lifecycle.ts";
import {
  configFingerprint,
  type DaemonMetadata,
  daemonStateDir,
  metadataPath,
  readMetadata,
  removeMetadata,
} from "./metadata.ts";

/**
 * The daemon to use for `configPath`, if any. A mismatch is told through `note` (and the caller
 * runs in-process); with `required`, anything but a usable daemon is a `daemon_unavailable` error.
 * A dead daemon's metadata is removed on the way.
 */
export async function usableDaemon(options: {
  env: (name: string) => string | undefined;
  configPath: string;
  required: boolean;
  note(message: string): void;
}): Promise<DaemonMetadata | undefined> {
  const unavailable = (why: string) => {
    if (options.required) throw new JanusError("daemon_unavailable", `cannot use the daemon: ${why}`);
    return undefined;
  };
  const path = metadataPath(daemonStateDir(options.env));
  const metadata = await readMetadata(path);
  if (!metadata) return unavailable(`none is running; start one with "janusmcp daemon start"`);
  const mismatch = settingsMismatch(metadata, {
    version: PRODUCT.version,
    configPath: options.configPath,
    configFingerprint: await configFingerprint(options.configPath),
  });
  if (mismatch) {
    unavailable(`${mismatch}; run "janusmcp daemon restart"`);
    options.note(`not using the daemon: ${mismatch}; running directly`);
    return undefined;
  }
  const health = await fetchHealth(metadata, 1000);
  if (health?.pid === metadata.pid) return metadata;
  if (!await processAlive(metadata.pid)) await removeMetadata(path, metadata.pid); // stale: it died
  return unavailable(`the daemon (pid ${metadata.pid}) does not answer`);
}
