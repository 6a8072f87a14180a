/** Random tokens (Web Crypto only: node:crypto costs an idle broker ~3.5 MiB of RSS to load). */

/** A random token: `bytes` random bytes as unpadded base64url. */
export function randomToken(bytes = 32): string {
  return crypto.getRandomValues(new Uint8Array(bytes)).toBase64({ alphabet: "base64url", omitPadding: true });
}
