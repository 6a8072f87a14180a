/**
 * The config document: its one statement of shape, defaults and the message for each problem.
 * validate.ts only runs it and turns zod's issues into lines; types.ts derives the types from it.
 *
 * Adding a field is one line in a shape below: a field every account has goes in `accountShape`,
 * one that only a stdio or only an http/sse account may set goes in `stdioFields` / `remoteFields`
 * (misplacing it is then reported for free; its default, if any, goes in `withAccountDefaults`).
 */
import { z } from "zod";
import { ENV_NAME_PATTERN, parseReferences } from "../references.ts";
import { crossReferences, transportRules } from "./relations.ts";
import { oauthProvider, oauthSection, tokenEndpoints, withPresets } from "./oauth_schema.ts";
import {
  choice,
  evenWithFieldProblems,
  nameMap,
  nonEmpty,
  text,
  typed,
  wholeNumber,
  withReferences,
} from "./schema_parts.ts";
import { describe, unknownKeyMessage } from "./wording.ts";
import { isRecord } from "../values.ts";

/** Account ids and profile names: a letter or digit, then letters, digits, `_` or `-`, at most 64. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ID_RULE = 'use 1–64 letters, digits, "_" or "-", starting with a letter or digit';
/** HTTP header names: RFC 9110 tokens. */
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const URL_RULE = 'expected a URL starting with http:// or https:// (or a whole "vault:NAME")';
/** True when a config URL is acceptable: a whole `vault:NAME`, or http(s) once references are filled. */
export function isAcceptableUrl(value: string): boolean {
  const parsed = parseReferences(value);
  if (!parsed.ok) return false;
  if (value.startsWith("vault:")) return true;
  // Any reference could be filled with "1"; the rest must already make an http(s) URL.
  const filled = parsed.parts.map((part) => part.kind === "text" ? part.text : "1").join("");
  if (!URL.canParse(filled)) return false;
  const protocol = new URL(filled).protocol;
  return protocol === "http:" || protocol === "https:";
}

/** The longest call timeout or idle time accepted: one week. */
const MAX_SECONDS = 7 * 24 * 3600;
/** A relayed call's limit: at least a second. */
const callTimeout = () => wholeNumber(1, MAX_SECONDS);
/** Quiet seconds before an upstream is closed; 0 never. */
const idleClose = () => wholeNumber(0, MAX_SECONDS);

/** A root an account's upstream may work in: an absolute path or a `file://` URI. */
const root = z.string(typed("expected an absolute path or a file:// URI")).refine(
  (value) =>
    value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value) ||
    (value.startsWith("file://") && URL.canParse(value)),
  "expected an absolute path or a file:// URI",
);

/** The fields only a stdio account may set. */
const stdioFields = {
  /** The program to run. */
  command: nonEmpty().optional(),
  /** Its arguments. */
  args: z.array(withReferences(), typed("expected an array of strings")).optional(),
  /** Extra environment for the child (on top of a minimal inherited set). */
  env: nameMap(
    ENV_NAME_PATTERN,
    () => 'not a valid environment variable name (letters, digits and "_", not starting with a digit)',
    withReferences(),
    "expected an object mapping variable names to strings",
  ).optional(),
  /** Working directory of the child. */
  cwd: nonEmpty().optional(),
};

/** The fields only an http/sse account may set. */
const remoteFields = {
  /** The server URL. */
  url: withReferences((value) => isAcceptableUrl(value) ? undefined : URL_RULE).optional(),
  /** Extra request headers. */
  headers: nameMap(
    HEADER_NAME_PATTERN,
    () => "not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~, no spaces or colons)",
    withReferences((value) => /[\r\n]/.test(value) ? "must not contain line breaks" : undefined),
    "expected an object mapping header names to strings",
  ).optional(),
  /** `oauth`: log in with OAuth (tokens kept in the vault, refreshed by JanusMCP). */
  auth: choice(["oauth"]).optional(),
  /** With `auth: "oauth"`: client and scope settings. */
  oauth: oauthSection.optional(),
};

/** One identity at one service. String values in launch fields may hold references. */
const accountShape = {
  /** Stable id; used in namespaced tool names. */
  id: text().regex(ID_PATTERN, {
    error: (issue) => `${describe(issue.input)} is not a valid id: ${ID_RULE}`,
  }),
  /** The service this identity belongs to (`github`, `supabase`…). */
  service: nonEmpty("", 'required (the service, e.g. "github")'),
  /** Human label; defaults to the id. */
  label: nonEmpty(" (leave it out to use the id)").optional(),
  /**
   * How the upstream is reached: `stdio` spawns a child; `http`/`sse` dial a URL. Absent: stdio,
   * or with a `url` (and no `command`) `auto` — Streamable HTTP, falling back to SSE.
   */
  transport: choice(["stdio", "http", "sse"]).optional(),
  ...stdioFields,
  ...remoteFields,
  /** `${ENV}` names whose values are secrets although their names do not look like credentials. */
  secretEnv: z.array(
    z.string(typed('expected an environment variable name (letters, digits and "_")')).regex(
      ENV_NAME_PATTERN,
      'expected an environment variable name (letters, digits and "_")',
    ),
    typed("expected an array of environment variable names"),
  ).optional(),
  /** What `roots/list` answers for this account (without it, the broker offers no roots). */
  roots: z.array(
    root,
    typed('expected an array of absolute paths or file:// URIs, like ["/home/me/project"]'),
  )
    .optional(),
  /** Limit on one call to this upstream, in seconds (overrides `upstreams.callTimeoutSeconds`). */
  callTimeoutSeconds: callTimeout().optional(),
  /** Close this upstream after this many quiet seconds; 0 never (overrides `upstreams.idleCloseSeconds`). */
  idleCloseSeconds: idleClose().optional(),
  /** Connect at start and never close for idleness. */
  keepWarm: z.boolean(typed("expected true or false")).optional(),
};

const accountObject = z.strictObject(
  accountShape,
  typed((input) => `expected an object (one account), got ${describe(input)}`),
);

/**
 * Fills what an account left out. Launch fields default here, not in their shape, so that the
 * transport rules can tell a field that was written from one that was filled in.
 */
function withAccountDefaults(account: z.output<typeof accountObject>) {
  return {
    ...account,
    label: account.label ?? account.id,
    transport: account.transport ?? impliedTransport(account),
    args: account.args ?? [],
    env: account.env ?? {},
    headers: account.headers ?? {},
  };
}

/** The transport of an account that names none. */
export function impliedTransport(account: { url?: unknown; command?: unknown }): "stdio" | "auto" {
  return account.url !== undefined && account.command === undefined ? "auto" : "stdio";
}

/** One account as written, with its defaults filled. */
export const RawAccountSchema = accountObject
  .superRefine(transportRules(Object.keys(stdioFields), Object.keys(remoteFields)), evenWithFieldProblems)
  .transform(withAccountDefaults);

/** The vault section as written. */
export const RawVaultSchema = z.strictObject(
  { backend: choice(["keychain", "file"]).default("keychain") },
  typed('expected an object like {"backend": "keychain"}'),
);

/** How a selector's tools are listed: every tool, or the control tools plus tool search. */
const exposure = choice(["all", "search", "auto"]);

const memberList = z.array(
  z.string(typed("expected a string (an account id)")),
  typed("expected an array of account ids"),
).min(1, "must list at least one account");

const PROFILE_KEYS = ["accounts", "exposure", "fold"];
const profileObject = z.strictObject({
  accounts: memberList,
  exposure: exposure.optional(),
  /** `false` keeps identical tools of the profile's accounts apart (namespaced) instead of listing them once. */
  fold: z.boolean(typed("expected true or false")).optional(),
});

/** A profile in the form its value's type calls for. */
const parseProfile = (value: unknown) =>
  isRecord(value) ? profileObject.safeParse(value) : memberList.safeParse(value);

/**
 * A profile: its account ids in order, or `{accounts, exposure, fold}` to give it its own settings.
 * The form is chosen by the value's type, so a problem is worded for the form the user wrote
 * (a union would report both forms' problems at once). Problems do not abort, so the
 * cross-reference checks still see the profile's accounts.
 */
const profile = z.unknown().superRefine((value, ctx) => {
  const parsed = parseProfile(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((segment) => typeof segment === "symbol" ? String(segment) : segment);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        ctx.addIssue({ code: "custom", path: [...path, key], message: unknownKeyMessage(key, PROFILE_KEYS) });
      }
    } else {
      const message = path.length === 0 && issue.code === "invalid_type"
        ? 'expected an array of account ids (or an object like {"accounts": [...], "exposure": "search"})'
        : issue.message;
      ctx.addIssue({ code: "custom", path, message });
    }
  }
}).transform((value) => {
  const parsed = parseProfile(value);
  // Reached with a bad value only when the document already failed: that output is never used.
  return parsed.success ? parsed.data : [];
});

/** Splits profiles into their account lists and the exposure and fold overrides some of them set. */
function splitProfiles(profiles: Record<string, z.output<typeof profile>>) {
  const lists: Record<string, string[]> = {};
  const exposures: Record<string, z.output<typeof exposure>> = {};
  const folds: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(profiles)) {
    lists[name] = Array.isArray(value) ? value : value.accounts;
    if (!Array.isArray(value) && value.exposure) exposures[name] = value.exposure;
    if (!Array.isArray(value) && value.fold !== undefined) folds[name] = value.fold;
  }
  return { profiles: lists, profileExposure: exposures, profileFold: folds };
}

/** The whole config document as written, with its defaults filled (and `$schema` dropped). */
export const RawConfigSchema = z
  .strictObject({
    /** A JSON Schema URL for editors; ignored. */
    $schema: text().optional(),
    accounts: z.array(
      RawAccountSchema,
      typed("expected an array of accounts", "required (a list of accounts; it may be empty)"),
    ),
    /** Profile name → account ids activated together, in order (or `{accounts, exposure, fold}`). */
    profiles: nameMap(
      ID_PATTERN,
      (name) => `${describe(name)} is not a valid profile name: ${ID_RULE}`,
      profile,
      "expected an object mapping profile names to lists of account ids",
    ).default(() => ({})),
    /** Who may switch identities, and how far a switch reaches. */
    bindingMode: choice(["global", "session", "locked"]).default("global"),
    /** Account id used when nothing else selects one. */
    defaultAccount: z.string(typed("expected a string (an account id)")).optional(),
    /** Where secrets referenced as `vault:NAME` are kept. */
    vault: RawVaultSchema.default(() => ({ backend: "keychain" as const })),
    /** Size limits (absent fields take their defaults). */
    limits: z.strictObject({
      /** The largest JSON-RPC message accepted from a client or an upstream (default 64 MiB). */
      maxMessageBytes: wholeNumber(64 * 1024, 1024 * 1024 * 1024).optional(),
      /** The most 2025-11-25 HTTP sessions open at once (default 1000). */
      maxHttpSessions: wholeNumber(1, 1_000_000).optional(),
    }, typed('expected an object like {"maxMessageBytes": 67108864, "maxHttpSessions": 1000}')).optional(),
    /** Defaults for every upstream (accounts may override). */
    upstreams: z.strictObject({
      /** Limit on one relayed call, in seconds (default 3600). */
      callTimeoutSeconds: callTimeout().optional(),
      /** Close an upstream after this many quiet seconds (default 1800; 0 never). */
      idleCloseSeconds: idleClose().optional(),
    }, typed('expected an object like {"callTimeoutSeconds": 3600, "idleCloseSeconds": 1800}')).optional(),
    /** Token providers for `oauth:NAME` references, by name. */
    oauthProviders: nameMap(
      ID_PATTERN,
      (name) => `${describe(name)} is not a valid provider name: ${ID_RULE}`,
      oauthProvider,
      'expected an object like {"github": {"clientId": "…"}}',
    ).superRefine(tokenEndpoints, evenWithFieldProblems).transform(withPresets).optional(),
    /** `all` lists every tool; `search` the control tools plus tool search; `auto` decides per client. */
    exposure: exposure.default("auto"),
    /** Under `auto`, above this many tools a client that cannot search tools itself gets `search`. */
    searchThreshold: z.number(typed("expected a number")).int("expected a whole number").min(
      0,
      "must be 0 or more",
    )
      .default(40),
  }, typed((input) => `expected an object with an "accounts" list, got ${describe(input)}`))
  .superRefine(crossReferences, evenWithFieldProblems)
  .transform(({ $schema: _ignored, profiles, ...config }) => ({ ...config, ...splitProfiles(profiles) }));

/** The config document as the user writes it. */
export type RawConfig = z.input<typeof RawConfigSchema>;
/** One account as the user writes it. */
export type RawAccount = z.input<typeof RawAccountSchema>;
