/**
 * When a stored access token is due for a refresh (pure): 60 s before it expires, or half its
 * lifetime for tokens that live less than two minutes (so a short-lived token is not refreshed
 * on every use).
 */

/** How far ahead of expiry a token is refreshed. */
export const REFRESH_AHEAD_MS = 60_000;

/** When a token obtained at `obtainedAt` and expiring at `expiresAt` is due for refresh (undefined: never ahead). */
export function refreshAt(grant: { expiresAt?: number; obtainedAt: number }): number | undefined {
  if (grant.expiresAt === undefined) return undefined;
  const lifetime = grant.expiresAt - grant.obtainedAt;
  return grant.expiresAt - Math.min(REFRESH_AHEAD_MS, Math.max(0, lifetime) / 2);
}

/** True when such a token should be refreshed at `now`. */
export function dueForRefresh(grant: { expiresAt?: number; obtainedAt: number }, now: number): boolean {
  const at = refreshAt(grant);
  return at !== undefined && now >= at;
}
