/** The shape of a validated JanusMCP configuration. Produced only by `validateConfig`. */

/** How an account's upstream is reached. `stdio` spawns a child; `http`/`sse` dial a URL. */
export type UpstreamTransport = "stdio" | "http" | "sse";

/** Who may switch identities, and how far a switch reaches. */
export type BindingMode = "global" | "session" | "locked";

/** One identity at one service. String values may hold references (`${ENV}`, `vault:NAME`). */
export interface AccountConfig {
  /** Stable id, `[A-Za-z0-9][A-Za-z0-9_-]{0,63}`; used in namespaced tool names. */
  id: string;
  /** The service this identity belongs to (`github`, `supabase`…). */
  service: string;
  /** Human label; defaults to the id. */
  label: string;
  transport: UpstreamTransport;
  /** stdio: the program to run. */
  command?: string;
  /** stdio: its arguments. */
  args: string[];
  /** stdio: extra environment for the child (on top of a minimal inherited set). */
  env: Record<string, string>;
  /** stdio: working directory of the child. */
  cwd?: string;
  /** http/sse: the server URL. */
  url?: string;
  /** http/sse: extra request headers. */
  headers: Record<string, string>;
  /** `${ENV}` names whose values are secrets although their names do not look like credentials. */
  secretEnv?: string[];
  /** stdio/http: what `roots/list` answers for this account (absolute paths or file:// URIs). */
  roots?: string[];
  /** Limit on one call to this upstream, in seconds (overrides `upstreams.callTimeoutSeconds`). */
  callTimeoutSeconds?: number;
  /** Close this upstream after this many quiet seconds; 0 never (overrides `upstreams.idleCloseSeconds`). */
  idleCloseSeconds?: number;
  /** Connect at start and never close for idleness. */
  keepWarm?: boolean;
}

/** Where secrets referenced as `vault:NAME` are kept. */
export interface VaultConfig {
  backend: "keychain" | "file";
}

/** Size limits (absent fields take their defaults). */
export interface Limits {
  /** The largest JSON-RPC message accepted from a client or an upstream (default 64 MiB). */
  maxMessageBytes?: number;
  /** The most 2025-11-25 HTTP sessions open at once (default 1000). */
  maxHttpSessions?: number;
}

/** Defaults for every upstream (accounts may override). */
export interface UpstreamDefaults {
  /** Limit on one relayed call, in seconds (default 3600). */
  callTimeoutSeconds?: number;
  /** Close an upstream after this many quiet seconds (default 1800; 0 never). */
  idleCloseSeconds?: number;
}

/** A whole, validated configuration. */
export interface JanusConfig {
  accounts: AccountConfig[];
  /** Profile name → account ids activated together, in order. */
  profiles: Record<string, string[]>;
  bindingMode: BindingMode;
  /** Account id used when nothing else selects one. */
  defaultAccount?: string;
  vault: VaultConfig;
  limits?: Limits;
  upstreams?: UpstreamDefaults;
}

/** What a session is pointed at. */
export type Selector = { kind: "account"; id: string } | { kind: "profile"; name: string };

/** The broker's persisted state (kept next to the config file). */
export interface PersistedState {
  /** The global selector chosen with a global-scope switch, if any. */
  globalSelector?: Selector;
}

/** The configuration used when no file exists: no accounts, control tools only. */
export const EMPTY_CONFIG: JanusConfig = {
  accounts: [],
  profiles: {},
  bindingMode: "global",
  vault: { backend: "keychain" },
};
