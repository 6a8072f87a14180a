/**
 * Test helper for the SDK functions the broker mirrors (its private methods' common case): a
 * digest of a function's source, so a test pinning it fails when a new SDK changes the body the
 * mirror copies, instead of the copy drifting silently.
 */

/** SHA-256 of a function's source text, hex. */
export async function sourceDigest(fn: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(String(fn));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
