/**
 * kill -9 in the middle of saving state leaves a file that still parses: saves go through a
 * temp file and a rename, so the state file is always a whole old version or a whole new one.
 * A real process is killed for real, 30 times at seeded moments.
 */
import assert from "node:assert/strict";
import { stateFilePath } from "../../lib/config/state.ts";

const DRIVER = new URL("./state_writer_driver.ts", import.meta.url).pathname;
const KILLS = 30;

Deno.test(`kill -9 during state writes (${KILLS} times) always leaves a parseable state file`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-kill-" });
  const configPath = `${dir}/config.json`;
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let kill = 0; kill < KILLS; kill++) {
    const child = new Deno.Command("deno", {
      args: ["run", "--quiet", "--allow-read", "--allow-write", "--allow-env", DRIVER, configPath],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.getReader();
    await reader.read(); // "ready": at least one save is done, and saves keep running
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 40)));
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    const text = await Deno.readTextFile(stateFilePath(configPath));
    const state = JSON.parse(text);
    assert.ok(state.globalSelector?.kind === "account" || state.globalSelector?.kind === "profile", text);
  }
  await Deno.remove(dir, { recursive: true });
});
