/**
 * Atomic file replacement (temp file + fsync + rename) with private modes: readers see the old
 * file or the new one, never a torn one, and a crash leaves the old one in place.
 */
import { basename, dirname, join } from "node:path";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const posixModes = Deno.build.os !== "windows";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Follows a symlinked target (a config kept in a dotfiles repo) so the link survives the rename. */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return path;
    throw error;
  }
}

/** Replaces `path` with `content` atomically, mode 0600, creating its directory (mode 0700) if missing. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const target = await resolveTarget(path);
  const dir = dirname(target);
  if (!await exists(dir)) {
    await Deno.mkdir(dir, { recursive: true, mode: DIR_MODE });
    // The umask may have narrowed the mode further; set exactly what the design promises.
    if (posixModes) await Deno.chmod(dir, DIR_MODE);
  }

  const suffix = crypto.randomUUID().slice(0, 8);
  const temp = join(dir, `.${basename(target)}.${suffix}.tmp`);
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(temp, { write: true, createNew: true, mode: FILE_MODE });
    if (posixModes) await Deno.chmod(temp, FILE_MODE);
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
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
  await syncDirectory(dir);
}

/** Makes the rename itself durable; best effort, as not every platform can open a directory. */
async function syncDirectory(dir: string): Promise<void> {
  if (!posixModes) return;
  try {
    const handle = await Deno.open(dir, { read: true });
    try {
      await handle.sync();
    } finally {
      handle.close();
    }
  } catch {
    // Durability of the directory entry is a bonus, not part of the contract.
  }
}
