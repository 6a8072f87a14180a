import assert from "node:assert/strict";
import { Backoff, BACKOFF_CAP_MS, STABLE_MS } from "../../lib/upstream/backoff.ts";

Deno.test("the first restart is immediate, then waits double up to the cap", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20].map(Backoff.delay), [
    0,
    1000,
    2000,
    4000,
    8000,
    16000,
    30000,
    30000,
    BACKOFF_CAP_MS,
  ]);
});

Deno.test("consecutive failures push the next attempt back; time passing allows it", () => {
  const backoff = new Backoff();
  backoff.failed(0);
  assert.equal(backoff.waitMs(0), 0);
  backoff.failed(10);
  assert.equal(backoff.waitMs(10), 1000);
  assert.equal(backoff.waitMs(600), 410);
  assert.equal(backoff.waitMs(1010), 0);
  backoff.failed(1010);
  assert.equal(backoff.waitMs(1010), 2000);
});

Deno.test("a crash after a long healthy run starts a fresh count; reset forgets everything", () => {
  const backoff = new Backoff();
  for (let i = 0; i < 5; i++) backoff.failed(i);
  assert.equal(backoff.failures, 5);
  backoff.failed(100 + STABLE_MS, 100);
  assert.equal(backoff.failures, 1);
  assert.equal(backoff.waitMs(100 + STABLE_MS), 0);
  backoff.failed(200 + STABLE_MS);
  backoff.reset();
  assert.equal(backoff.failures, 0);
  assert.equal(backoff.waitMs(200 + STABLE_MS), 0);
});
