/**
 * A cross-process mutex on a file in the state directory: an OS advisory lock (flock) that every
 * JanusMCP process on the machine honours — the stdio broker of one client, the HTTP broker of
 * another and a CLI call. Inside one process callers also queue on a promise, so a waiting
 * caller does not tie up a blocking thread.
 */
import { dirname } from "node:path";

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const queues = new Map<string, Promise<unknown>>();

/** Runs `work` while holding the exclusive lock on `path` (created if missing), then releases it. */
export function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => lockAndRun(path, work));
  const tail = run.catch(() => {});
  queues.set(path, tail);
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  return run;
}

async function lockAndRun<T>(path: string, work: () => Promise<T>): Promise<T> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: DIR_MODE });
  const file = await Deno.open(path, { read: true, write: true, create: true, mode: FILE_MODE });
  try {
    await file.lock(true);
    try {
      return await work();
    } finally {
      await file.unlock();
    }
  } finally {
    file.close();
  }
}
