import assert from "node:assert/strict";
import { join } from "node:path";
import { withFileLock } from "../../lib/oauth/file_lock.ts";
import { RemoteStateStore } from "../../lib/oauth/remote_state.ts";

const DRIVER = new URL("./lock_driver.ts", import.meta.url).pathname;

function run(...args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command("deno", { args: ["run", "-A", "--quiet", DRIVER, ...args] }).output();
}

Deno.test("the file lock serialises read-modify-write across processes: no increment is lost", async () => {
  const dir = await Deno.makeTempDir();
  const counter = join(dir, "counter");
  const lock = join(dir, "locks", "counter.lock");
  const results = await Promise.all([
    run("counter", counter, lock, "25"),
    run("counter", counter, lock, "25"),
  ]);
  for (const result of results) assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  assert.equal(await Deno.readTextFile(counter), "50");
});

Deno.test("within one process lock holders queue, and a failing holder releases the lock", async () => {
  const dir = await Deno.makeTempDir();
  const lock = join(dir, "l.lock");
  const order: string[] = [];
  const first = withFileLock(lock, async () => {
    order.push("a-in");
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push("a-out");
    throw new Error("boom");
  });
  const second = withFileLock(lock, () => {
    order.push("b");
    return Promise.resolve(7);
  });
  await assert.rejects(first, /boom/);
  assert.equal(await second, 7);
  assert.deepEqual(order, ["a-in", "a-out", "b"]);
});

Deno.test("remote state updates from two processes keep both accounts' entries", async () => {
  const dir = await Deno.makeTempDir();
  const results = await Promise.all([run("state", dir, "one", "15"), run("state", dir, "two", "15")]);
  for (const result of results) assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  const all = await new RemoteStateStore(dir).all();
  assert.deepEqual(all, { one: { identity: "round-15" }, two: { identity: "round-15" } });
});

Deno.test("a damaged remote-state file reads as empty and the next update replaces it", async () => {
  const dir = await Deno.makeTempDir();
  const store = new RemoteStateStore(dir);
  for (const text of ["{not json", "[1]", '{"accounts": 3}']) {
    await Deno.writeTextFile(store.path, text);
    assert.deepEqual(await store.all(), {});
  }
  await Deno.writeTextFile(
    store.path,
    JSON.stringify({ accounts: { a: { identity: 5, issuer: "https://as" } } }),
  );
  assert.deepEqual(await store.get("a"), { issuer: "https://as" }, "fields of the wrong type are dropped");
  await store.update("b", () => ({ transport: { url: "https://x", kind: "sse" } }));
  assert.deepEqual(await store.all(), {
    a: { issuer: "https://as" },
    b: { transport: { url: "https://x", kind: "sse" } },
  });
  assert.equal(((await Deno.stat(store.path)).mode ?? -1) & 0o777, 0o600);
});
