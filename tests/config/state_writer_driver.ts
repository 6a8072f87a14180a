// deno-lint-ignore-file no-console -- a child program the test drives: its stdout is how it says it is ready
/**
 * Driver for state_kill_test.ts: saves the persisted state in a tight loop (large selectors, so
 * each write takes a while) until killed. Prints "ready" once the first save is done.
 */
import { StateStore } from "../../lib/config/state.ts";

const configPath = Deno.args[0];
const store = new StateStore(configPath, { warn: () => {} });
let n = 0;
for (;;) {
  n++;
  const name = `profile-${n}-${"p".repeat(1 + (n % 50))}`.slice(0, 64);
  await store.save({
    globalSelector: n % 2 ? { kind: "account", id: `account-${n % 1000}` } : { kind: "profile", name },
  });
  if (n === 1) console.log("ready");
}
