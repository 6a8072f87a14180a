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
  transport: z.enum(TRANSPORTS).default("stdio"),
  command: z.string().min(1).optional(),
  args: z.array(referenceString).optional(),
  env: z.record(z.string().regex(ENV_NAME_PATTERN), referenceString).optional(),
  cwd: z.string().min(1).optional(),
  url: z.string().optional(),
  headers: z.record(z.string().regex(HEADER_NAME_PATTERN), referenceString).optional(),
  secretEnv: z.array(z.string().regex(ENV_NAME_PATTERN)).optional(),
  roots: z.array(z.string().min(1)).optional(),
  callTimeoutSeconds: z.int().min(1).max(604800).optional(),
  idleCloseSeconds: z.int().min(0).max(604800).optional(),
  keepWarm: z.boolean().optional(),
}).superRefine((account, ctx) => {
  const stdioOnly = ["command", "args", "env", "cwd"] as const;
  const remoteOnly = ["url", "headers"] as const;
  if (account.transport === "stdio") {
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
    ctx.addIssue({ code: "custom", path: ["url"], message: `required for an ${account.transport} account` });
  } else if (!isAcceptableUrl(account.url)) {
    ctx.addIssue({ code: "custom", path: ["url"], message: "expected an http:// or https:// URL" });
  }
  for (const key of stdioOnly) {
    if (account[key] !== undefined) {
      ctx.addIssue({ code: "custom", path: [key], message: "only used by stdio accounts" });
    }
  }
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
  limits: z.strictObject({
    maxMessageBytes: z.int().min(65536).max(1073741824).optional(),
    maxHttpSessions: z.int().min(1).max(1_000_000).optional(),
  }).optional(),
  upstreams: z.strictObject({
    callTimeoutSeconds: z.int().min(1).max(604800).optional(),
    idleCloseSeconds: z.int().min(0).max(604800).optional(),
  }).optional(),
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
