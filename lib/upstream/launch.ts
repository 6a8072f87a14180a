/**
 * Turns an account's config into what is needed to start or dial its upstream, resolving
 * `${ENV}` and vault references. Runs only when an upstream is connected, so secrets are read
 * at the last moment and never stored anywhere but the child's environment or request headers.
 */
import type { AuthProvider } from "@modelcontextprotocol/client";
import { pathToFileURL } from "node:url";
import { type AccountConfig, isSecretEnv } from "../config/mod.ts";
import { parseReferences } from "../references.ts";
import { JanusError } from "../errors.ts";

/** How to start (stdio) or dial (http/sse) one upstream. */
export type LaunchSpec =
  | { transport: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | RemoteLaunchSpec;

/** How to dial a remote upstream. `auto`: Streamable HTTP, falling back to SSE (remembered). */
export interface RemoteLaunchSpec {
  transport: "http" | "sse" | "auto";
  url: string;
  headers: Record<string, string>;
  /** Bearer tokens for `auth: "oauth"` accounts (refreshed safely; see lib/oauth). */
  authProvider?: AuthProvider & { loginChanged?(): Promise<boolean> };
  /** The resolved `oauth.clientSecret` (for logins and revocation). */
  clientSecret?: string;
  /** `auto`: the transport that worked last time, tried first. */
  remembered?: "http" | "sse";
  /** `auto`: called with the transport that worked. */
  remember?(kind: "http" | "sse"): Promise<void>;
}

/** What remote accounts need beyond references: OAuth tokens and remembered transports (lib/oauth). */
export interface RemoteSupport {
  /** May be a promise: the broker loads its OAuth code (and the client SDK) on first need. */
  authProvider(
    account: AccountConfig,
    clientSecret?: string,
  ):
    | (AuthProvider & { loginChanged?(): Promise<boolean> })
    | Promise<AuthProvider & { loginChanged?(): Promise<boolean> }>;
  rememberedTransport(accountId: string, url: string): Promise<"http" | "sse" | undefined>;
  rememberTransport(accountId: string, url: string, kind: "http" | "sse"): Promise<void>;
  /** Runs a browser login (janus_login); resolves with who logged in, when the server said. */
  login?(
    account: AccountConfig,
    resolved: { url: string; clientSecret?: string },
    io: { showUrl(url: string): void | Promise<void>; signal?: AbortSignal },
  ): Promise<{ identity?: string }>;
  /** The access token of login NAME (an `oauth:NAME` reference), refreshed when due, and when it is due again. */
  loginToken?(name: string): Promise<{ token: string; renewAt?: number }>;
  /** Opens a URL in this machine's browser (for a login started from chat); the reason when it could not. */
  openBrowser?(url: string): Promise<string | undefined>;
  /** Where a remote account's login stands, in words ("connected as alice@…"), when known. */
  loginStatus?(accountId: string): Promise<string | undefined>;
}

/** A value the broker put into an upstream's launch; redacted from everything on the way out. */
export interface ResolvedSecret {
  /** The vault name or environment variable name it came from. */
  name: string;
  value: string;
  /** How the config refers to it: `vault:NAME`, `oauth:NAME` or `${NAME}`. */
  reference: string;
}

/** A launch spec plus every referenced value that went into it. */
export interface ResolvedLaunch {
  spec: LaunchSpec;
  secrets: ResolvedSecret[];
  /** Human warnings (e.g. a secret placed in process arguments). */
  warnings: string[];
  /** When an `oauth:NAME` token in the launch is due for refresh: the upstream is restarted then. */
  renewAt?: number;
  /** What `roots/list` answers for this account (config `roots`); absent: relayed to the calling client. */
  roots?: { uri: string; name: string }[];
}

/** Where references are looked up. The vault is absent when none is configured or reachable. */
export interface ReferenceSources {
  env: (name: string) => string | undefined;
  vault?: { get(name: string): Promise<string | undefined> };
  /** OAuth and remembered transports for remote accounts (absent: OAuth accounts cannot connect). */
  remote?: RemoteSupport;
}

/** Resolves every reference in an account's launch fields. Throws JanusError naming the account. */
export async function resolveLaunch(
  account: AccountConfig,
  sources: ReferenceSources,
): Promise<ResolvedLaunch> {
  const secrets = new Map<string, ResolvedSecret>();
  const warnings: string[] = [];
  let renewAt: number | undefined;
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
      } else if (part.kind === "oauth") {
        if (!sources.remote?.loginToken) {
          throw new JanusError(
            "config",
            `account "${account.id}": ${where}: oauth: references cannot be used here`,
          );
        }
        const login = await sources.remote.loginToken(part.name);
        if (login.renewAt !== undefined) renewAt = Math.min(renewAt ?? Infinity, login.renewAt);
        secrets.set(`oauth:${part.name}`, {
          name: `oauth:${part.name}`,
          value: login.token,
          reference: `oauth:${part.name}`,
        });
        out += login.token;
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
    const url = await resolve(account.url ?? "", "url");
    spec = { transport: account.transport, url, headers: await resolveRecord(account.headers, "headers") };
    spec = { ...spec, ...await remoteExtras(account, url, sources, resolve) };
  }
  const roots = account.roots?.map(rootOf);
  return {
    spec,
    secrets: [...secrets.values()],
    warnings,
    ...(renewAt === undefined ? {} : { renewAt }),
    ...(roots ? { roots } : {}),
  };
}

/** Whether a (well-formed) config string puts a secret into its value. */
function holdsSecret(account: AccountConfig, value: string): boolean {
  const parsed = parseReferences(value);
  return parsed.ok &&
    parsed.parts.some((part) =>
      part.kind === "vault" || part.kind === "oauth" ||
      (part.kind === "env" && isSecretEnv(account, part.name))
    );
}

/** A configured root (an absolute path or a file:// URI) as the protocol lists it. */
function rootOf(root: string): { uri: string; name: string } {
  const uri = root.startsWith("file://") ? root : pathToFileURL(root).href;
  const name = decodeURIComponent(new URL(uri).pathname.replace(/\/+$/, "").split("/").pop() || "/");
  return { uri, name };
}

/** The OAuth token source and remembered transport of a remote account. */
async function remoteExtras(
  account: AccountConfig,
  url: string,
  sources: ReferenceSources,
  resolve: (value: string, where: string) => Promise<string>,
): Promise<Partial<RemoteLaunchSpec>> {
  const extras: Partial<RemoteLaunchSpec> = {};
  if (account.auth === "oauth") {
    if (!sources.remote) {
      throw new JanusError(
        "config",
        `account "${account.id}": OAuth accounts are not supported in this mode`,
      );
    }
    const secret = account.oauth?.clientSecret;
    const clientSecret = secret === undefined ? undefined : await resolve(secret, "oauth.clientSecret");
    extras.authProvider = await sources.remote.authProvider(account, clientSecret);
    if (clientSecret !== undefined) extras.clientSecret = clientSecret;
  }
  if (account.transport === "auto" && sources.remote) {
    const remote = sources.remote;
    extras.remembered = await remote.rememberedTransport(account.id, url);
    extras.remember = (kind) => remote.rememberTransport(account.id, url, kind);
  }
  return extras;
}
