/**
 * The project's named permission set (`permissions.janusmcp` in deno.json) as explicit
 * `--allow-*` flags. `deno install` drops `-P=NAME` from the launcher it writes (Deno 2.9.6), so
 * the install and compile scripts pass these flags instead, derived from the one set.
 */
import { isAbsolute, join } from "node:path";

/** One permission's grant as deno.json writes it: everything, nothing, or a list. */
export type Grant = boolean | string[];

/** The permission kinds, in the order their flags are written. */
export const PERMISSION_KINDS = ["read", "write", "net", "env", "run", "ffi", "sys", "import"] as const;

/** Kinds whose list entries are paths, resolved against deno.json's folder like Deno itself does. */
const PATH_KINDS = new Set(["read", "write", "ffi"]);

/** Reads the named set from a deno.json. */
export async function readPermissionSet(
  denoJsonPath: string,
  name = "janusmcp",
): Promise<Record<string, Grant>> {
  const config = JSON.parse(await Deno.readTextFile(denoJsonPath));
  const set = config.permissions?.[name];
  if (set === undefined) throw new Error(`${denoJsonPath} has no permission set "${name}"`);
  for (const kind of Object.keys(set)) {
    if (!(PERMISSION_KINDS as readonly string[]).includes(kind)) {
      throw new Error(
        `${denoJsonPath}: permission set "${name}" has "${kind}", which this script cannot translate`,
      );
    }
  }
  return set;
}

/** The `--allow-*` flags granting exactly `set` (an empty list or false grants nothing). */
export function permissionFlags(set: Record<string, Grant>, configDir: string): string[] {
  const flags: string[] = [];
  for (const kind of PERMISSION_KINDS) {
    const grant = set[kind];
    if (grant === undefined || grant === false || (Array.isArray(grant) && grant.length === 0)) continue;
    if (grant === true) {
      flags.push(`--allow-${kind}`);
      continue;
    }
    const values = PATH_KINDS.has(kind)
      ? grant.map((value) => (isAbsolute(value) ? value : join(configDir, value)))
      : grant;
    flags.push(`--allow-${kind}=${values.join(",")}`);
  }
  return flags;
}
