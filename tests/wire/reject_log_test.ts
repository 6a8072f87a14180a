import assert from "node:assert/strict";
import { RejectLog } from "../../lib/wire/reject_log.ts";

Deno.test("the first refusals are logged one line each, the rest summed up in one line", () => {
  const lines: string[] = [];
  const log = new RejectLog((line) => lines.push(line));
  for (let i = 0; i < 1000; i++) log.reject(`refused ${i}`);
  log.flush();
  assert.deepEqual(lines, [
    "refused 0",
    "refused 1",
    "refused 2",
    "refused 3",
    "refused 4",
    "995 more malformed requests refused (not logged one by one)",
  ]);
  log.reject("later");
  log.flush();
  assert.equal(lines.at(-1), "later", "a new window logs again");
});
