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
import { describe, oneOf, unknownKeyMessage } from "./wording.ts";
import { isRecord } from "../values.ts";

/** Runs a refinement even where a field failed, so every problem of the document is reported at once. */
const evenWithFieldProblems = {
  when: (payload: { value: unknown }) =>
    typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value),
};

/** Account ids and profile names: a letter or digit, then letters, digits, `_` or `-`, at most 64. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ID_RULE = 'use 1–64 letters, digits, "_" or "-", starting with a letter or digit';
/** HTTP header names: RFC 9110 tokens. */
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const URL_RULE = 'expected a URL starting with http:// or https:// (or a whole "vault:NAME")';
/** One OAuth scope token (RFC 6749 §3.3: printable ASCII except space, `"` and `\`). */
const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const SCOPE_RULE = "expected a scope name (no spaces or quotes)";
/** The built-in token-provider presets (endpoints known; the user supplies the client id). */
export const OAUTH_PRESETS = ["github", "gitlab", "google", "microsoft", "slack", "atlassian"] as const;

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

/**
 * Error customisation for a schema's own type check: `required` when the key is absent (JSON has
 * no `undefined`), otherwise `expected`; a function of the value when it names what was given.
 */
function typed(expected: string | ((input: unknown) => string), required = "required") {
  return {
    error: (issue: z.core.$ZodRawIssue) => {
      if (issue.code !== "invalid_type") return undefined;
      if (issue.input === undefined) return required;
      return typeof expected === "string" ? expected : expected(issue.input);
    },
  };
}

const text = (required?: string) => z.string(typed("expected a string", required));

const nonEmpty = (hint = "", required?: string) =>
  text(required).refine((value) => value.trim() !== "", `must not be empty${hint}`);

/** A string that may hold references; a malformed one is reported in the parser's words, then `rule`. */
function withReferences(rule: (value: string) => string | undefined = () => undefined) {
  return text().superRefine((value, ctx) => {
    const parsed = parseReferences(value);
    const problem = parsed.ok ? rule(value) : parsed.problem;
    if (problem !== undefined) ctx.addIssue(problem);
  });
}

function choice<const T extends readonly [string, ...string[]]>(options: T) {
  return z.enum(options, { error: (issue) => `expected ${oneOf(options)}, got ${describe(issue.input)}` });
}

/** An object of names to values, the names checked by `pattern` and explained by `badName`. */
function nameMap<V extends z.ZodType>(
  pattern: RegExp,
  badName: (name: string) => string,
  value: V,
  expected: string,
) {
  return z.record(z.string().regex(pattern), value, {
    error: (issue) => {
      if (issue.code === "invalid_key") return badName(String(issue.input));
      return issue.code === "invalid_type" ? expected : undefined;
    },
  });
}

/** A client secret: only ever a reference to where it is kept, never the value itself. */
const secretReference = () =>
  withReferences((value) =>
    /vault:|\$\{/.test(value)
      ? undefined
      : 'must be a reference ("vault:NAME" or "${ENV_VAR}"), not the secret itself'
  );

const scopeList = () =>
  z.array(
    z.string(typed(SCOPE_RULE)).regex(SCOPE_PATTERN, SCOPE_RULE),
    typed("expected an array of scope names"),
  );

/** An http(s) URL written out (no references: provider endpoints are not secrets). */
const plainUrl = () =>
  text().refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    "expected an http:// or https:// URL",
  );

/** An account's OAuth settings (all optional: discovery and dynamic registration fill the rest). */
const oauthSection = z.strictObject({
  /** A pre-registered client id (else dynamic client registration). */
  clientId: nonEmpty().optional(),
  /** Its secret, as a reference. */
  clientSecret: secretReference().optional(),
  /** Sent as `login_hint` so the provider pre-selects the identity. */
  loginHint: nonEmpty().optional(),
  /** Scopes to ask for (else what the server advertises). */
  scopes: scopeList().optional(),
}, typed('expected an object like {"clientId": "…", "scopes": ["…"]}')).superRefine((oauth, ctx) => {
  if (oauth.clientSecret !== undefined && oauth.clientId === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["clientSecret"],
      message: "needs clientId (a secret without its client id cannot be used)",
    });
  }
}, evenWithFieldProblems);

/** One token provider for `oauth:NAME` references (`janusmcp login PROVIDER NAME`). */
const oauthProvider = z.strictObject({
  /** Built-in endpoints (default: the provider's name, when it is a preset). */
  preset: choice(OAUTH_PRESETS).optional(),
  /** The issuer the tokens come from (default: the preset's, or the token endpoint's origin). */
  issuer: plainUrl().optional(),
  authorizationEndpoint: plainUrl().optional(),
  tokenEndpoint: plainUrl().optional(),
  /** RFC 8628 device authorization endpoint, for logins without a browser. */
  deviceAuthorizationEndpoint: plainUrl().optional(),
  /** RFC 7009 revocation endpoint. */
  revocationEndpoint: plainUrl().optional(),
  clientId: nonEmpty("", "required (the client id you registered with the provider)"),
  clientSecret: secretReference().optional(),
  scopes: scopeList().optional(),
}, typed('expected an object like {"clientId": "…"}'));

/** A provider's preset: the one it names, else the one its own name is. */
function presetOf(name: string, preset: unknown): string | undefined {
  if (typeof preset === "string") return preset;
  return (OAUTH_PRESETS as readonly string[]).includes(name) ? name : undefined;
}

/** Each provider needs a token endpoint or a preset (checked even where other fields failed). */
function tokenEndpoints(providers: unknown, ctx: z.RefinementCtx): void {
  if (typeof providers !== "object" || providers === null) return;
  for (const [name, provider] of Object.entries(providers)) {
    if (typeof provider !== "object" || provider === null) continue;
    const fields = provider as Record<string, unknown>;
    if (presetOf(name, fields.preset) === undefined && fields.tokenEndpoint === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: `needs "tokenEndpoint" (or a "preset": ${oneOf(OAUTH_PRESETS)})`,
      });
    }
  }
}

/** Fills each provider's preset from its name when it names none. */
function withPresets(
  providers: Record<string, z.output<typeof oauthProvider>>,
): Record<string, z.output<typeof oauthProvider>> {
  return Object.fromEntries(
    Object.entries(providers).map(([name, provider]) => {
      const preset = presetOf(name, provider.preset) as typeof OAUTH_PRESETS[number] | undefined;
      return [name, preset === undefined ? provider : { preset, ...provider }];
    }),
  );
}

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

const PROFILE_KEYS = ["accounts", "exposure"];
const profileObject = z.strictObject({ accounts: memberList, exposure: exposure.optional() });

/** A profile in the form its value's type calls for. */
const parseProfile = (value: unknown) =>
  isRecord(value) ? profileObject.safeParse(value) : memberList.safeParse(value);

/**
 * A profile: its account ids in order, or `{accounts, exposure}` to give it its own exposure.
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

/** Splits profiles into their account lists and the exposure overrides some of them set. */
function splitProfiles(profiles: Record<string, z.output<typeof profile>>) {
  const lists: Record<string, string[]> = {};
  const exposures: Record<string, z.output<typeof exposure>> = {};
  for (const [name, value] of Object.entries(profiles)) {
    lists[name] = Array.isArray(value) ? value : value.accounts;
    if (!Array.isArray(value) && value.exposure) exposures[name] = value.exposure;
  }
  return { profiles: lists, profileExposure: exposures };
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
    /** Profile name → account ids activated together, in order (or `{accounts, exposure}`). */
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
