/**
 * Test driver run as a separate process: N read-modify-write rounds on a shared file, either
 * under the JanusMCP file lock or on the remote-state store, to prove no update is lost across
 * processes.
 *
 *   deno run -A lock_driver.ts counter FILE LOCK ROUNDS
 *   deno run -A lock_driver.ts state DIR ACCOUNT ROUNDS
 */
import { withFileLock } from "../../lib/oauth/file_lock.ts";
import { RemoteStateStore } from "../../lib/oauth/remote_state.ts";

const [mode, target, name, rounds] = Deno.args;
for (let i = 0; i < Number(rounds); i++) {
  if (mode === "counter") {
    await withFileLock(name, async () => {
      const value = Number(await Deno.readTextFile(target).catch(() => "0"));
      // Let the other process run in between the read and the write.
      await new Promise((resolve) => setTimeout(resolve, 2));
      await Deno.writeTextFile(target, String(value + 1));
    });
  } else {
    await new RemoteStateStore(target).update(name, (state) => ({ ...state, identity: `round-${i + 1}` }));
  }
}
