/**
 * The syntax of references inside config strings (pure; resolution happens at connect time,
 * in lib/upstream, so secrets are read only when an upstream starts).
 *
 *   vault:NAME          the whole value is the secret NAME from the vault
 *   ${ENV_VAR}          replaced by an environment variable, anywhere in the string
 *   ${vault:NAME}       replaced by a vault secret, anywhere in the string
 *   oauth:NAME          the whole value is the access token of login NAME (`janusmcp login PROVIDER NAME`)
 *   ${oauth:NAME}       that access token, anywhere in the string (e.g. "Bearer ${oauth:NAME}")
 *   $${                 a literal "${"
 */

/** A piece of a config string: literal text, an environment variable, or a vault secret. */
export type ReferencePart =
  | { kind: "text"; text: string }
  | { kind: "env"; name: string }
  | { kind: "vault"; name: string }
  | { kind: "oauth"; name: string };

/** The outcome of parsing one config string. */
export type ParsedValue = { ok: true; parts: ReferencePart[] } | { ok: false; problem: string };

/** The fields of an account that may hold references (structurally, so this module needs no config types). */
export interface ReferenceFields {
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  url?: string;
  headers: Readonly<Record<string, string>>;
}

/** Vault secret names: letters, digits, `_`, `.`, `-`, 1–64 characters. */
export const VAULT_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** Environment variable names, in `${NAME}` references and as keys of a stdio account's `env`. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a config string into literal text and references, or says what is malformed. */
export function parseReferences(value: string): ParsedValue {
  if (value.startsWith("vault:")) {
    const name = value.slice("vault:".length);
    if (!VAULT_NAME_PATTERN.test(name)) {
      return {
        ok: false,
        problem: `"${value}" is not a valid vault reference (names use A-Z a-z 0-9 _ . -, 1–64 characters)`,
      };
    }
    return { ok: true, parts: [{ kind: "vault", name }] };
  }
  if (value.startsWith("oauth:")) {
    const name = value.slice("oauth:".length);
    if (!VAULT_NAME_PATTERN.test(name)) {
      return {
        ok: false,
        problem:
          `"${value}" is not a valid oauth reference (login names use A-Z a-z 0-9 _ . -, 1–64 characters)`,
      };
    }
    return { ok: true, parts: [{ kind: "oauth", name }] };
  }
  const parts: ReferencePart[] = [];
  let text = "";
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("$${", i)) {
      text += "${";
      i += 3;
      continue;
    }
    if (!value.startsWith("${", i)) {
      text += value[i];
      i += 1;
      continue;
    }
    const end = value.indexOf("}", i + 2);
    if (end === -1) return { ok: false, problem: `unclosed "\${" at character ${i + 1}` };
    const inner = value.slice(i + 2, end);
    const part = parseInner(inner);
    if (typeof part === "string") return { ok: false, problem: part };
    if (text) parts.push({ kind: "text", text });
    text = "";
    parts.push(part);
    i = end + 1;
  }
  if (text || parts.length === 0) parts.push({ kind: "text", text });
  return { ok: true, parts };
}

function parseInner(inner: string): ReferencePart | string {
  if (inner.startsWith("oauth:")) {
    const name = inner.slice("oauth:".length);
    return VAULT_NAME_PATTERN.test(name)
      ? { kind: "oauth", name }
      : `"\${${inner}}" is not a valid oauth reference`;
  }
  if (inner.startsWith("vault:")) {
    const name = inner.slice("vault:".length);
    return VAULT_NAME_PATTERN.test(name)
      ? { kind: "vault", name }
      : `"\${${inner}}" is not a valid vault reference`;
  }
  return ENV_NAME_PATTERN.test(inner)
    ? { kind: "env", name: inner }
    : `"\${${inner}}" is not a valid environment variable reference`;
}

/** Every reference an account's launch fields (`args`, `env`, `url`, `headers`) make, each name once. */
export function accountReferences(
  account: ReferenceFields,
): { env: string[]; vault: string[]; oauth: string[] } {
  const env = new Set<string>();
  const vault = new Set<string>();
  const oauth = new Set<string>();
  const fields = [
    ...account.args,
    ...Object.values(account.env),
    account.url ?? "",
    ...Object.values(account.headers),
  ];
  for (const value of fields) {
    const parsed = parseReferences(value);
    if (!parsed.ok) continue;
    for (const part of parsed.parts) {
      if (part.kind === "env") env.add(part.name);
      if (part.kind === "vault") vault.add(part.name);
      if (part.kind === "oauth") oauth.add(part.name);
    }
  }
  return { env: [...env], vault: [...vault], oauth: [...oauth] };
}
