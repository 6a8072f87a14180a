/**
 * The one timer behind the 2025 POSTs' keep-alive upgrade: each pending item falls due no sooner
 * than its own interval after it was added, in order, and a deleted or cleared item never does.
 */
import assert from "node:assert/strict";
import { QuietDeadlines } from "../../lib/transport/quiet_deadlines.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("items fall due one interval after each was added, oldest first; a deleted one never", async () => {
  const added = new Map<string, number>();
  const due: { item: string; at: number }[] = [];
  const deadlines = new QuietDeadlines<string>(60, (item) => due.push({ item, at: performance.now() }));
  try {
    for (const item of ["a", "b", "answered", "c"]) {
      added.set(item, performance.now());
      deadlines.add(item);
      await sleep(15);
    }
    deadlines.delete("answered");
    await sleep(200);
    assert.deepEqual(due.map((d) => d.item), ["a", "b", "c"]);
    // Each waited its whole interval (1 ms of slack for timer rounding), not the first item's.
    for (const { item, at } of due) assert.ok(at - (added.get(item) ?? 0) >= 59, `${item} was due early`);
  } finally {
    deadlines.clear();
  }
});

Deno.test("an item added after the timer went idle still falls due; clear ends every wait", async () => {
  const due: string[] = [];
  const deadlines = new QuietDeadlines<string>(20, (item) => due.push(item));
  deadlines.add("first");
  await sleep(80);
  deadlines.add("second");
  await sleep(80);
  assert.deepEqual(due, ["first", "second"]);
  deadlines.add("never");
  deadlines.clear();
  await sleep(60);
  assert.deepEqual(due, ["first", "second"]);
});
