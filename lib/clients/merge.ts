/**
 * Updating an entry the user may have touched: JanusMCP owns how it is started (command, args,
 * type, and JANUS_CONFIG in env); whatever else the user added to the entry (a client's
 * `disabled`, `trust`, `timeout`; extra env such as JANUS_VAULT) is theirs and is kept.
 */

type Entry = Record<string, unknown>;

/** Environment variables JanusMCP sets or clears itself. */
const OWNED_ENV = ["JANUS_CONFIG"];

function isPlainObject(value: unknown): value is Entry {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The entry to write: ours, over what the user keeps from the current one. */
export function mergeEntry(current: unknown, ours: Entry): Entry {
  if (!isPlainObject(current)) return ours;
  const merged: Entry = { ...current, ...ours };
  const theirEnv = isPlainObject(current.env)
    ? Object.fromEntries(Object.entries(current.env).filter(([name]) => !OWNED_ENV.includes(name)))
    : {};
  const env = { ...theirEnv, ...(isPlainObject(ours.env) ? ours.env : {}) };
  if (Object.keys(env).length > 0 || "env" in ours) merged.env = env;
  else delete merged.env;
  return merged;
}
