/**
 * Writing a private binary file atomically: temp file (mode 0600) + fsync + rename, in a
 * directory created with mode 0700. Readers see the old bytes or the new ones, never a mix, and
 * a failed write leaves the old file untouched. (lib/config/atomic_write.ts does the same for
 * text; the vault file is binary.)
 */
import { basename, dirname, join } from "node:path";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const posixModes = Deno.build.os !== "windows";

async function ensureDirectory(dir: string): Promise<void> {
  try {
    await Deno.stat(dir);
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(dir, { recursive: true, mode: DIR_MODE });
  // The umask may have narrowed the mode further; set exactly what the design promises.
  if (posixModes) await Deno.chmod(dir, DIR_MODE);
}

/** Follows a symlinked target (say, into a synced folder) so the link survives the rename. */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return path;
    throw error;
  }
}

/** Replaces `path` with `bytes` atomically, mode 0600, creating its directory (mode 0700) if missing. */
export async function writePrivateFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const target = await resolveTarget(path);
  const dir = dirname(target);
  await ensureDirectory(dir);
  const temp = join(dir, `.${basename(target)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(temp, { write: true, createNew: true, mode: FILE_MODE });
    if (posixModes) await Deno.chmod(temp, FILE_MODE);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
    file.close();
    file = undefined;
    await Deno.rename(temp, target);
  } catch (error) {
    try {
      file?.close();
    } catch {
      // Already closed; the original error is the one worth reporting.
    }
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
