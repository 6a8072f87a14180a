/** The OAuth parts of the config: an account's `oauth` section and the `oauthProviders` map. */
import { z } from "zod";
import { choice, evenWithFieldProblems, nonEmpty, text, typed, withReferences } from "./schema_parts.ts";
import { oneOf } from "./wording.ts";

/** One OAuth scope token (RFC 6749 §3.3: printable ASCII except space, `"` and `\`). */
const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const SCOPE_RULE = "expected a scope name (no spaces or quotes)";
/** The built-in token-provider presets (endpoints known; the user supplies the client id). */
export const OAUTH_PRESETS = ["github", "gitlab", "google", "microsoft", "slack", "atlassian"] as const;

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
export const oauthSection = z.strictObject({
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
export const oauthProvider = z.strictObject({
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
export function tokenEndpoints(providers: unknown, ctx: z.RefinementCtx): void {
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
export function withPresets(
  providers: Record<string, z.output<typeof oauthProvider>>,
): Record<string, z.output<typeof oauthProvider>> {
  return Object.fromEntries(
    Object.entries(providers).map(([name, provider]) => {
      const preset = presetOf(name, provider.preset) as typeof OAUTH_PRESETS[number] | undefined;
      return [name, preset === undefined ? provider : { preset, ...provider }];
    }),
  );
}
