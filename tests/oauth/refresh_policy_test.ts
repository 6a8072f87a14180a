import assert from "node:assert/strict";
import { dueForRefresh, REFRESH_AHEAD_MS } from "../../lib/oauth/refresh_policy.ts";

Deno.test("a long-lived token is refreshed 60 s before it expires, not earlier", () => {
  const grant = { obtainedAt: 0, expiresAt: 3_600_000 };
  assert.equal(REFRESH_AHEAD_MS, 60_000);
  assert.equal(dueForRefresh(grant, 3_600_000 - 60_001), false);
  assert.equal(dueForRefresh(grant, 3_600_000 - 60_000), true);
  assert.equal(dueForRefresh(grant, 4_000_000), true);
});

Deno.test("a short-lived token is refreshed at half its lifetime, so not on every use", () => {
  const grant = { obtainedAt: 1_000, expiresAt: 11_000 };
  assert.equal(dueForRefresh(grant, 5_999), false);
  assert.equal(dueForRefresh(grant, 6_000), true);
});

Deno.test("a token without an expiry is never refreshed ahead (only on a 401)", () => {
  assert.equal(dueForRefresh({ obtainedAt: 0 }, Number.MAX_SAFE_INTEGER), false);
});
