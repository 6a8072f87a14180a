/**
 * Turns an account's config into what is needed to start or dial its upstream, resolving
 * `${ENV}` and vault references. Runs only when an upstream is connected, so secrets are read
 * at the last moment and never stored anywhere but the child's environment or request headers.
 */
import { pathToFileURL } from "node:url";
import type { AccountConfig } from "../config/types.ts";
import { parseReferences } from "../config/references.ts";
import { isSecretEnv } from "../config/secret_names.ts";
import { JanusError } from "../errors.ts";

/** How to start (stdio) or dial (http/sse) one upstream. */
export type LaunchSpec =
  | { transport: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { transport: "http" | "sse"; url: string; headers: Record<string, string> };

/** A value the broker put into an upstream's launch; redacted from everything on the way out. */
export interface ResolvedSecret {
  /** The vault name or environment variable name it came from. */
  name: string;
  value: string;
  /** How the config refers to it: `vault:NAME` or `${NAME}`. */
  reference: string;
}

/** A launch spec plus every referenced value that went into it. */
export interface ResolvedLaunch {
  spec: LaunchSpec;
  secrets: ResolvedSecret[];
  /** Human warnings (e.g. a secret placed in process arguments). */
  warnings: string[];
  /** What `roots/list` answers for this account (config `roots`); absent: roots are not offered. */
  roots?: { uri: string; name: string }[];
}

/** Where references are looked up. The vault is absent when none is configured or reachable. */
export interface ReferenceSources {
  env: (name: string) => string | undefined;
  vault?: { get(name: string): Promise<string | undefined> };
}

/** Resolves every reference in an account's launch fields. Throws JanusError naming the account. */
export async function resolveLaunch(
  account: AccountConfig,
  sources: ReferenceSources,
): Promise<ResolvedLaunch> {
  const secrets = new Map<string, ResolvedSecret>();
  const warnings: string[] = [];
  const resolve = async (value: string, where: string): Promise<string> => {
    const parsed = parseReferences(value);
    if (!parsed.ok) throw new JanusError("config", `account "${account.id}": ${where}: ${parsed.problem}`);
    let out = "";
    for (const part of parsed.parts) {
      if (part.kind === "text") {
        out += part.text;
      } else if (part.kind === "env") {
        const found = sources.env(part.name);
        if (found === undefined) {
          throw new JanusError(
            "config",
            `account "${account.id}": ${where} uses \${${part.name}}, but that environment variable is not set`,
          );
        }
        // Only credential-like names (or those listed in secretEnv) are secrets: redacting a
        // home directory or a year would garble results the model needs to read.
        if (isSecretEnv(account, part.name)) {
          secrets.set(part.name, { name: part.name, value: found, reference: `\${${part.name}}` });
        }
        out += found;
      } else {
        const found = await sources.vault?.get(part.name);
        if (found === undefined) {
          throw new JanusError(
            "auth",
            `account "${account.id}": secret vault:${part.name} is not set — run: janusmcp vault set ${part.name}`,
          );
        }
        secrets.set(`vault:${part.name}`, { name: part.name, value: found, reference: `vault:${part.name}` });
        out += found;
      }
    }
    return out;
  };
  const resolveRecord = async (record: Record<string, string>, field: string) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) out[key] = await resolve(value, `${field}.${key}`);
    return out;
  };

  let spec: LaunchSpec;
  if (account.transport === "stdio") {
    const args: string[] = [];
    for (const [i, arg] of account.args.entries()) {
      args.push(await resolve(arg, `args[${i}]`));
      if (holdsSecret(account, arg)) {
        warnings.push(
          `account "${account.id}": args[${i}] holds a secret; other local users can read process arguments — pass it through "env" instead`,
        );
      }
    }
    spec = {
      transport: "stdio",
      command: account.command ?? "",
      args,
      env: await resolveRecord(account.env, "env"),
      cwd: account.cwd,
    };
  } else {
    spec = {
      transport: account.transport,
      url: await resolve(account.url ?? "", "url"),
      headers: await resolveRecord(account.headers, "headers"),
    };
  }
  const roots = account.roots?.map(rootOf);
  return { spec, secrets: [...secrets.values()], warnings, ...(roots ? { roots } : {}) };
}

/** Whether a (well-formed) config string puts a secret into its value. */
function holdsSecret(account: AccountConfig, value: string): boolean {
  const parsed = parseReferences(value);
  return parsed.ok &&
    parsed.parts.some((part) =>
      part.kind === "vault" || (part.kind === "env" && isSecretEnv(account, part.name))
    );
}

/** A configured root (an absolute path or a file:// URI) as the protocol lists it. */
function rootOf(root: string): { uri: string; name: string } {
  const uri = root.startsWith("file://") ? root : pathToFileURL(root).href;
  const name = decodeURIComponent(new URL(uri).pathname.replace(/\/+$/, "").split("/").pop() || "/");
  return { uri, name };
}
