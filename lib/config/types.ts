/** The shape of a validated JanusMCP configuration. Produced only by `validateConfig`. */

/** How an account's upstream is reached. `stdio` spawns a child; `http`/`sse` dial a URL. */
export type UpstreamTransport = "stdio" | "http" | "sse";

/** A remote account's transport: a written one, or `auto` (a `url` without `transport`: Streamable HTTP, else SSE). */
export type AccountTransport = UpstreamTransport | "auto";

/** OAuth settings of a remote account with `auth: "oauth"` (all optional). */
export interface OAuthAccountConfig {
  /** A pre-registered client id (else dynamic client registration). */
  clientId?: string;
  /** Its secret, as a reference (`vault:NAME`, `${ENV}`). */
  clientSecret?: string;
  /** Scopes to ask for (else what the server advertises). */
  scopes?: string[];
  /** Sent as `login_hint` so the provider pre-selects the identity. */
  loginHint?: string;
}

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
  transport: AccountTransport;
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
  /** http/sse: `oauth` to log in with OAuth (tokens kept in the vault, refreshed by JanusMCP). */
  auth?: "oauth";
  /** http/sse with `auth: "oauth"`: client and scope settings. */
  oauth?: OAuthAccountConfig;
}

/** An OAuth token provider for `oauth:NAME` references (`janusmcp login PROVIDER NAME`). */
export interface OAuthProviderConfig {
  /** Built-in endpoints: github, gitlab, google, microsoft, slack, atlassian (default: the provider's name, if it is one). */
  preset?: string;
  /** The issuer the tokens come from (default: the preset's, or the token endpoint's origin). */
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  /** RFC 8628 device authorization endpoint, for logins without a browser. */
  deviceAuthorizationEndpoint?: string;
  /** RFC 7009 revocation endpoint. */
  revocationEndpoint?: string;
  clientId: string;
  /** As a reference (`vault:NAME`, `${ENV}`). */
  clientSecret?: string;
  scopes?: string[];
}

/** Where secrets referenced as `vault:NAME` are kept. */
export interface VaultConfig {
  backend: "keychain" | "file";
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
  /** Token providers for `oauth:NAME` references, by name. */
  oauthProviders?: Record<string, OAuthProviderConfig>;
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
