/**
 * The launch plan's pure parts and the early-process registry (lib/launch_plan.ts,
 * lib/early_processes.ts): keys, the file format, the inherited environment, launch identity,
 * and adoption of real processes only when the launch is identical.
 */
import assert from "node:assert/strict";
import { getDefaultEnvironment } from "@modelcontextprotocol/client/stdio";
import {
  formatPlan,
  inheritedEnvironment,
  type LaunchPlan,
  parsePlan,
  planKeys,
  sameKeys,
} from "../lib/launch_plan.ts";
import { claimEarly, dismissEarly, earlySecret, sameChildSpec, startEarly } from "../lib/early_processes.ts";
import type { ChildSpec } from "../lib/process_group.ts";
import { earlyReadEnded, earlyReadPending } from "../lib/keychain_store.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("plan keys change with the config's bytes, the state file and the broker version", async () => {
  const base = await planKeys(bytes("{}"), undefined, "1.0.0");
  assert.ok(sameKeys(base, await planKeys(bytes("{}"), undefined, "1.0.0")));
  assert.ok(!sameKeys(base, await planKeys(bytes("{} "), undefined, "1.0.0")));
  assert.ok(
    !sameKeys(base, await planKeys(bytes("{}"), bytes(""), "1.0.0")),
    "an empty state file is a state",
  );
  assert.ok(!sameKeys(base, await planKeys(bytes("{}"), undefined, "1.0.1")));
});

Deno.test("a plan survives its own text; anything else is no plan", async () => {
  const plan: LaunchPlan = {
    format: 2,
    vault: "keychain",
    keys: await planKeys(bytes("{}"), bytes('{"globalSelector":{}}'), "1.0.0"),
    launches: [
      { account: "a", command: "sh", args: ["-c", "exit 0"], env: { X: "1" }, cwd: "/tmp" },
      { account: "b", command: "node", args: ["${HOME}"], env: { T: "vault:t" } },
    ],
  };
  assert.deepEqual(parsePlan(formatPlan(plan.keys, plan.vault, plan.launches)), plan);
  for (
    const text of [
      "",
      "[]",
      JSON.stringify({ ...plan, format: 1 }),
      JSON.stringify({ ...plan, vault: undefined }),
      JSON.stringify({ ...plan, vault: "cloud" }),
      JSON.stringify({ ...plan, launches: [{ account: "a", command: "", args: [], env: {} }] }),
      JSON.stringify({ ...plan, launches: [{ account: "a", command: "sh", args: [1], env: {} }] }),
      JSON.stringify({ ...plan, launches: [{ account: "a", command: "sh", args: [], env: { X: 1 } }] }),
      JSON.stringify({ ...plan, keys: { broker: "1.0.0", config: "x" } }),
    ]
  ) assert.equal(parsePlan(text), undefined, text);
});

Deno.test("an early process inherits exactly what the SDK's default environment gives an upstream", () => {
  assert.deepEqual(inheritedEnvironment(), getDefaultEnvironment());
  const env: Record<string, string> = { HOME: "/h", PATH: "/bin", SHELL: "() { evil; }", SECRET: "s" };
  assert.deepEqual(inheritedEnvironment((name) => env[name], "linux"), { HOME: "/h", PATH: "/bin" });
  assert.deepEqual(inheritedEnvironment((name) => ({ PATH: "C:\\", HOME: "/h" })[name], "windows"), {
    PATH: "C:\\",
  });
});

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
