/**
 * Config hot reload: the broker watches its config file and applies valid edits without a
 * restart (accounts and profiles added, removed or changed); an invalid edit is reported on
 * stderr and the last good config stays in force. The directory is watched, not the file, so an
 * editor's or `janusmcp`'s atomic save (write a temp file, rename it over) is seen too.
 */
import { basename, dirname } from "node:path";
import { parseConfigText } from "../config/mod.ts";
import type { JanusConfig } from "../config/mod.ts";

/** Edits closer together than this are applied once. */
const DEBOUNCE_MS = 250;

/** What the watcher needs from the broker. */
export interface Reloadable {
  reload(config: JanusConfig): Promise<{ added: string[]; removed: string[]; changed: string[] }>;
}

/** Settings that cannot change under a running broker: an edit to them is reported, not applied. */
const RESTART_ONLY: (keyof JanusConfig)[] = ["vault", "limits", "upstreams"];

/** Watches `path` and reloads the broker on each valid edit; `stop()` ends the watch. */
export function watchConfig(
  path: string,
  initial: JanusConfig,
  broker: Reloadable,
  log: (line: string) => void,
): { stop(): void } {
  let current = initial;
  let lastText: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain = Promise.resolve();
  let watcher: Deno.FsWatcher | undefined;
  try {
    lastText = Deno.readTextFileSync(path);
  } catch {
    // Not there yet: creating it later is an edit like any other.
  }
  try {
    watcher = Deno.watchFs(dirname(path), { recursive: false });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      log(`config: cannot watch ${path} for changes (${(error as Error).message}); edits need a restart`);
    }
    return { stop() {} };
  }
  void (async () => {
    for await (const event of watcher) {
      if (!event.paths.some((changed) => basename(changed) === basename(path))) continue;
      clearTimeout(timer);
      timer = setTimeout(() => {
        chain = chain.then(apply);
      }, DEBOUNCE_MS);
    }
  })().catch(() => {});

  async function apply(): Promise<void> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return; // mid-rename, or removed: keep what runs
      log(`config: cannot read ${path} (${(error as Error).message}); keeping the last good config`);
      return;
    }
    if (text === lastText) return;
    lastText = text;
    let next: JanusConfig;
    try {
      next = await parseConfigText(text, path);
    } catch (error) {
      log(`config: edit not applied, keeping the last good config — ${(error as Error).message}`);
      return;
    }
    for (const key of RESTART_ONLY) {
      if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) {
        log(`config: "${key}" changed; that takes effect after a restart`);
      }
    }
    const diff = await broker.reload({ ...next, ...pick(current, RESTART_ONLY) });
    current = next;
    const parts = [
      diff.added.length ? `added ${diff.added.join(", ")}` : "",
      diff.removed.length ? `removed ${diff.removed.join(", ")}` : "",
      diff.changed.length ? `changed ${diff.changed.join(", ")}` : "",
    ].filter(Boolean);
    log(`config: reloaded ${path}${parts.length ? ` (${parts.join("; ")})` : ""}`);
  }

  return {
    stop() {
      clearTimeout(timer);
      try {
        watcher?.close();
      } catch {
        // already closed
      }
    },
  };
}

function pick(config: JanusConfig, keys: (keyof JanusConfig)[]): Partial<JanusConfig> {
  return Object.fromEntries(keys.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
}
