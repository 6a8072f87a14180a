/**
 * Which `${ENV}` values count as secrets (pure). Vault values always do. An environment value is
 * a secret when its variable's name looks like a credential, or when the account lists the name
 * under `secretEnv`. Everything else (a home directory, a year, an org name) is ordinary text the
 * model must be able to read, so it is never redacted.
 */

/** Name parts that make a variable a credential wherever they appear in the name. */
const CREDENTIAL_SUBSTRINGS = [
  "TOKEN",
  "SECRET",
  "PASSWORD",
  "PASSWD",
  "PASSPHRASE",
  "CREDENTIAL",
  "COOKIE",
  "SESSION",
  "APIKEY",
  "PRIVATE",
];

/** Short name parts that make a variable a credential only as a whole `_`-separated word (PATH is no PAT). */
const CREDENTIAL_WORDS = ["KEY", "PAT", "PASS", "PWD", "AUTH", "BEARER", "JWT", "SIG", "SIGNATURE"];

/** True when a variable's name looks like it holds a credential (`GITHUB_TOKEN`, `API_KEY`, `DB_PASS`…). */
export function looksLikeCredential(name: string): boolean {
  const upper = name.toUpperCase();
  if (CREDENTIAL_SUBSTRINGS.some((part) => upper.includes(part))) return true;
  return upper.split("_").some((word) => CREDENTIAL_WORDS.includes(word));
}

/** True when the value of `${name}` in this account's launch fields is a secret. */
export function isSecretEnv(account: { secretEnv?: readonly string[] }, name: string): boolean {
  return looksLikeCredential(name) || (account.secretEnv ?? []).includes(name);
}
