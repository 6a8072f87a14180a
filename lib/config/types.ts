/**
 * The shape of a validated JanusMCP configuration, derived from the zod schema (schema.ts), which
 * is its only statement. Produced only by `validateConfig`.
 */
import type { z } from "zod";
import { RawConfigSchema } from "./schema.ts";
import type { RawAccountSchema, RawVaultSchema } from "./schema.ts";

/** One identity at one service, defaults filled. String values may hold references (`${ENV}`, `vault:NAME`). */
export type AccountConfig = z.output<typeof RawAccountSchema>;

/** A whole, validated configuration. */
export type JanusConfig = z.output<typeof RawConfigSchema>;

/** A written transport, or `auto` (a `url` without `transport`: Streamable HTTP, else SSE). */
export type AccountTransport = AccountConfig["transport"];

/** How an upstream is actually reached: `stdio` spawns a child; `http`/`sse` dial a URL. */
export type UpstreamTransport = Exclude<AccountTransport, "auto">;

/** OAuth settings of a remote account with `auth: "oauth"` (all optional). */
export type OAuthAccountConfig = NonNullable<AccountConfig["oauth"]>;

/** An OAuth token provider for `oauth:NAME` references (`janusmcp login PROVIDER NAME`). */
export type OAuthProviderConfig = NonNullable<JanusConfig["oauthProviders"]>[string];

/** Who may switch identities, and how far a switch reaches. */
export type BindingMode = JanusConfig["bindingMode"];

/** Size limits (absent fields take their defaults). */
export type Limits = NonNullable<JanusConfig["limits"]>;

/** Defaults for every upstream (accounts may override). */
export type UpstreamDefaults = NonNullable<JanusConfig["upstreams"]>;

/** Where secrets referenced as `vault:NAME` are kept. */
export type VaultConfig = z.output<typeof RawVaultSchema>;

/** What a session is pointed at (lib/selection.ts, which the CLI's entry reads without this layer). */
export type { Selector } from "../selection.ts";
import type { Selector } from "../selection.ts";

/** The broker's persisted state (kept next to the config file). */
export interface PersistedState {
  /** The global selector chosen with a global-scope switch, if any. */
  globalSelector?: Selector;
}

/** The configuration used when no file exists: no accounts, control tools only (the schema's defaults). */
export const EMPTY_CONFIG: JanusConfig = RawConfigSchema.parse({ accounts: [] });
