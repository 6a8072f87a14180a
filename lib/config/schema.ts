/**
 * The raw config document, as the user writes it (before defaults). The zod schema is the
 * machine-readable statement of the shape (and the source of a JSON Schema for editors); the
 * hand-written walk in validate.ts uses the same patterns and key lists so the two cannot drift,
 * and adds the messages a person can act on.
 */
import { z } from "zod";
import { parseReferences } from "./references.ts";

/** Account ids and profile names: a letter or digit, then letters, digits, `_` or `-`, at most 64. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Environment variable names a stdio account may set. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** HTTP header names: RFC 9110 tokens. */
export const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The transports an account may use. */
export const TRANSPORTS = ["stdio", "http", "sse"] as const;
/** How a remote account authenticates beyond static headers. */
export const AUTH_KINDS = ["oauth"] as const;
/** The keys of an account's `oauth` section. */
export const OAUTH_KEYS = ["clientId", "clientSecret", "scopes", "loginHint"] as const;
/** One OAuth scope token (RFC 6749 §3.3: printable ASCII except space, `"` and `\`). */
export const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** The binding modes. */
export const BINDING_MODES = ["global", "session", "locked"] as const;
/** The vault backends. */
export const VAULT_BACKENDS = ["keychain", "file"] as const;

/** Stands in for `${...}` references when checking that a URL is well formed. */
const URL_PLACEHOLDER = "1";

/** True when a config URL is acceptable: a whole `vault:NAME`, or http(s) once references are filled. */
export function isAcceptableUrl(value: string): boolean {
  const parsed = parseReferences(value);
  if (!parsed.ok) return false;
  if (value.startsWith("vault:")) return true;
  const filled = parsed.parts.map((part) => part.kind === "text" ? part.text : URL_PLACEHOLDER).join("");
  if (!URL.canParse(filled)) return false;
  const protocol = new URL(filled).protocol;
  return protocol === "http:" || protocol === "https:";
}

const referenceString = z.string().refine((value) => parseReferences(value).ok, {
  message: "malformed reference",
});

/** One account as written. Transport-specific rules are checked in `superRefine`. */
export const RawAccountSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN),
  service: z.string().trim().min(1),
  label: z.string().min(1).optional(),
  // Absent: stdio, or (with a `url`) Streamable HTTP falling back to SSE.
  transport: z.enum(TRANSPORTS).optional(),
  command: z.string().min(1).optional(),
  args: z.array(referenceString).optional(),
  env: z.record(z.string().regex(ENV_NAME_PATTERN), referenceString).optional(),
  cwd: z.string().min(1).optional(),
  url: z.string().optional(),
  headers: z.record(z.string().regex(HEADER_NAME_PATTERN), referenceString).optional(),
  auth: z.enum(AUTH_KINDS).optional(),
  oauth: z.strictObject({
    clientId: z.string().min(1).optional(),
    clientSecret: referenceString.optional(),
    scopes: z.array(z.string().regex(SCOPE_PATTERN)).optional(),
    loginHint: z.string().min(1).optional(),
  }).optional(),
}).superRefine((account, ctx) => {
  const stdioOnly = ["command", "args", "env", "cwd"] as const;
  const remoteOnly = ["url", "headers", "auth", "oauth"] as const;
  const transport = account.transport ??
    (account.url !== undefined && account.command === undefined ? "auto" : "stdio");
  if (account.oauth !== undefined && account.auth !== "oauth") {
    ctx.addIssue({ code: "custom", path: ["oauth"], message: 'only used with "auth": "oauth"' });
  }
  if (transport === "stdio") {
    if (account.command === undefined) {
      ctx.addIssue({ code: "custom", path: ["command"], message: "required for a stdio account" });
    }
    for (const key of remoteOnly) {
      if (account[key] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: "only used by http/sse accounts" });
      }
    }
    return;
  }
  if (account.url === undefined) {
    ctx.addIssue({ code: "custom", path: ["url"], message: `required for an ${transport} account` });
  } else if (!isAcceptableUrl(account.url)) {
    ctx.addIssue({ code: "custom", path: ["url"], message: "expected an http:// or https:// URL" });
  }
  for (const key of stdioOnly) {
    if (account[key] !== undefined) {
      ctx.addIssue({ code: "custom", path: [key], message: "only used by stdio accounts" });
    }
  }
});

/** The built-in token-provider presets. */
export const OAUTH_PRESETS = ["github", "gitlab", "google", "microsoft", "slack", "atlassian"] as const;
/** The keys of one entry of `oauthProviders`. */
export const OAUTH_PROVIDER_KEYS = [
  "preset",
  "issuer",
  "authorizationEndpoint",
  "tokenEndpoint",
  "deviceAuthorizationEndpoint",
  "revocationEndpoint",
  "clientId",
  "clientSecret",
  "scopes",
] as const;

/** One token provider as written (presence of endpoints or a preset is checked by validate.ts). */
export const RawOAuthProviderSchema = z.strictObject({
  preset: z.enum(OAUTH_PRESETS).optional(),
  issuer: z.url().optional(),
  authorizationEndpoint: z.url().optional(),
  tokenEndpoint: z.url().optional(),
  deviceAuthorizationEndpoint: z.url().optional(),
  revocationEndpoint: z.url().optional(),
  clientId: z.string().min(1),
  clientSecret: referenceString.optional(),
  scopes: z.array(z.string().regex(SCOPE_PATTERN)).optional(),
});

/** The vault section as written. */
export const RawVaultSchema = z.strictObject({
  backend: z.enum(VAULT_BACKENDS).default("keychain"),
});

/** The whole config document as written. Cross-references (ids, profiles) are checked by validate.ts. */
export const RawConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  accounts: z.array(RawAccountSchema),
  profiles: z.record(z.string().regex(ID_PATTERN), z.array(z.string()).min(1)).optional(),
  bindingMode: z.enum(BINDING_MODES).default("global"),
  defaultAccount: z.string().optional(),
  vault: RawVaultSchema.default({ backend: "keychain" }),
  oauthProviders: z.record(z.string().regex(ID_PATTERN), RawOAuthProviderSchema).optional(),
});

/** The config document as the user writes it. */
export type RawConfig = z.input<typeof RawConfigSchema>;
/** One account as the user writes it. */
export type RawAccount = z.input<typeof RawAccountSchema>;

/** The keys allowed at the top level of the document. */
export const ROOT_KEYS: readonly string[] = Object.keys(RawConfigSchema.shape);
/** The keys allowed in an account (shared by every transport). */
export const ACCOUNT_KEYS: readonly string[] = Object.keys(RawAccountSchema.shape);
/** The keys allowed in the vault section. */
export const VAULT_KEYS: readonly string[] = Object.keys(RawVaultSchema.shape);
