/**
 * The broker's persisted state (`state.json`, next to the config file). State is a convenience:
 * a damaged file must never stop the broker, so loading falls back to empty state with a warning.
 */
import { stateFilePath } from "../config_location.ts";

/** The state file that belongs to a config file (it lives beside the config, see config_location.ts). */
export { stateFilePath };
import { writeFileAtomic } from "../atomic_write.ts";
import { writeAll } from "../write_all.ts";
import type { PersistedState } from "./types.ts";
import { readSelector } from "../selection.ts";
import { isRecord } from "../values.ts";
import { messageOf } from "../errors.ts";

/** Options for a StateStore. */
export interface StateStoreOptions {
  /** Receives one line when the state file is ignored; defaults to stderr. */
  warn?: (message: string) => void;
}

/** Keeps only the fields this version understands. */
function normalize(state: PersistedState): PersistedState {
  const globalSelector = readSelector(state.globalSelector);
  return globalSelector === undefined ? {} : { globalSelector };
}

/** Reads and writes `state.json` beside a config file; saves are applied one at a time, in call order. */
export class StateStore {
  /** The state file's path. */
  readonly path: string;
  readonly #warn: (message: string) => void;
  #queue: Promise<void> = Promise.resolve();

  constructor(configPath: string, options: StateStoreOptions = {}) {
    this.path = stateFilePath(configPath);
    this.#warn = options.warn ?? ((message) => writeAll(Deno.stderr, `${message}\n`));
  }

  /** The saved state; `{}` if there is none, or (with one warning) if the file cannot be used. */
  async load(): Promise<PersistedState> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return {};
      const reason = messageOf(error);
      return this.#ignore(`cannot read it (${reason})`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.#ignore("it is not valid JSON");
    }
    if (!isRecord(raw)) return this.#ignore("expected a JSON object");
    const globalSelector = readSelector(raw.globalSelector);
    return globalSelector === undefined ? {} : { globalSelector };
  }

  /** Writes the state atomically; when saves overlap, the last call is what ends up on disk. */
  save(state: PersistedState): Promise<void> {
    // Serialize now, so a caller mutating its object afterwards cannot change what is written.
    const text = `${JSON.stringify(normalize(state), null, 2)}\n`;
    const write = () => writeFileAtomic(this.path, text);
    const done = this.#queue.then(write);
    this.#queue = done.catch(() => {});
    return done;
  }

  #ignore(reason: string): PersistedState {
    this.#warn(`warning: ignoring state file ${this.path}: ${reason}; starting with empty state`);
    return {};
  }
}
