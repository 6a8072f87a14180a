/**
 * The early-process registry (lib/early_processes.ts): launch identity, adoption of real
 * processes only when the launch is identical, the vault values handed to the pool, and the
 * keychain read the entry stopped waiting for.
 */
import assert from "node:assert/strict";
import { claimEarly, dismissEarly, earlySecret, sameChildSpec, startEarly } from "../lib/early_processes.ts";
import type { ChildSpec } from "../lib/process_group.ts";
import { earlyReadEnded, earlyReadPending } from "../lib/keychain_store.ts";

Deno.test("two launches are the same only with the same command, arguments, directory and whole environment", () => {
  const spec: ChildSpec = { command: "sh", args: ["-c", "x"], env: { A: "1", B: "2" }, cwd: "/tmp" };
  assert.ok(sameChildSpec(spec, { ...spec, env: { B: "2", A: "1" } }), "variable order does not matter");
  assert.ok(!sameChildSpec(spec, { ...spec, command: "bash" }));
  assert.ok(!sameChildSpec(spec, { ...spec, args: ["-c", "y"] }));
  assert.ok(!sameChildSpec(spec, { ...spec, args: ["-c"] }));
  assert.ok(!sameChildSpec(spec, { ...spec, cwd: undefined }));
  assert.ok(!sameChildSpec(spec, { ...spec, env: { A: "1" } }));
  assert.ok(!sameChildSpec(spec, { ...spec, env: { A: "1", B: "3" } }));
  assert.ok(!sameChildSpec(spec, { ...spec, env: { A: "1", B: "2", C: "" } }));
});

Deno.test("an early process is adopted once and only by an identical launch; the rest are stopped", async () => {
  const sleeper = (seconds: string): ChildSpec => ({
    command: "sleep",
    args: [seconds],
    env: { PATH: "/usr/bin:/bin" },
  });
  assert.equal(startEarly([{ account: "a", spec: sleeper("30") }, { account: "b", spec: sleeper("31") }]), 2);
  try {
    assert.equal(claimEarly(sleeper("29")), undefined);
    const adopted = claimEarly(sleeper("30"));
    assert.ok(adopted, "the identical launch is adopted");
    assert.equal(claimEarly(sleeper("30")), undefined, "only once");
    await adopted.stop(100);
    const left = claimEarly(sleeper("31"));
    assert.ok(left);
    await left.stop(100);
    // One that is never claimed is stopped by dismissEarly.
    startEarly([{ account: "c", spec: sleeper("32") }]);
  } finally {
    await dismissEarly();
  }
  assert.equal(claimEarly(sleeper("32")), undefined, "dismissed: nothing left to adopt");
});

Deno.test("the vault values an early process started with are handed to the pool only while one waits", async () => {
  const sleeper = (seconds: string): ChildSpec => ({
    command: "sleep",
    args: [seconds],
    env: { PATH: "/usr/bin:/bin" },
  });
  const secrets = new Map([["shared", "value-1"]]);
  try {
    startEarly([{ account: "a", spec: sleeper("40"), secrets }, {
      account: "b",
      spec: sleeper("41"),
      secrets,
    }]);
    assert.equal(earlySecret("shared"), "value-1");
    assert.equal(earlySecret("other"), undefined);
    await claimEarly(sleeper("40"))?.stop(100);
    assert.equal(earlySecret("shared"), "value-1", "b still waits and was started with it");
    await claimEarly(sleeper("41"))?.stop(100);
    assert.equal(earlySecret("shared"), undefined, "nothing waits: a restart reads the vault afresh");
    startEarly([{ account: "c", spec: sleeper("42"), secrets }]);
    assert.equal(earlySecret("shared"), "value-1");
  } finally {
    await dismissEarly();
  }
  assert.equal(earlySecret("shared"), undefined, "dismissed: forgotten");
});

Deno.test("a keychain read the entry stopped waiting for holds the broker's reads until it ends, failed or not", async () => {
  const order: string[] = [];
  await earlyReadEnded();
  let finish = (_: unknown) => {};
  earlyReadPending(new Promise((resolve) => finish = resolve));
  const waiting = earlyReadEnded().then(() => order.push("broker reads"));
  await new Promise((resolve) => setTimeout(resolve, 20));
  order.push("entry's read ends");
  finish(new Map());
  await waiting;
  assert.deepEqual(order, ["entry's read ends", "broker reads"]);
  earlyReadPending(Promise.reject(new Error("locked")));
  await earlyReadEnded();
});
