import assert from "node:assert/strict";
import type { AccountConfig } from "../../lib/config/types.ts";
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_IDLE_CLOSE_MS,
  UpstreamLifecycle,
} from "../../lib/upstream/lifecycle.ts";

const account = (id: string, extra: Partial<AccountConfig> = {}): AccountConfig => ({
  id,
  service: "s",
  label: id,
  transport: "stdio",
  command: "x",
  args: [],
  env: {},
  headers: {},
  ...extra,
});

Deno.test("idle accounts are those quiet past their limit, not busy, not keepWarm", () => {
  let now = 0;
  const life = new UpstreamLifecycle({ idleCloseMs: 1000 }, () => now);
  const quiet = account("quiet");
  const busy = account("busy");
  const warm = account("warm", { keepWarm: true });
  const own = account("own", { idleCloseSeconds: 10 });
  const never = account("never", { idleCloseSeconds: 0 });
  for (const a of [quiet, busy, warm, own, never]) life.connected(a.id);
  now = 1500;
  const idle = life.idle([quiet, busy, warm, own, never], (id) => id === "busy").map((a) => a.id);
  assert.deepEqual(idle, ["quiet"]);
  life.touch("quiet");
  assert.deepEqual(life.idle([quiet], () => false), [], "a touch restarts the idle clock");
});

Deno.test("call timeouts: the account's own, else the config default, else one hour; idle default 30 min", () => {
  const life = new UpstreamLifecycle({ callTimeoutMs: 5000 });
  assert.equal(life.callTimeoutMs(account("a", { callTimeoutSeconds: 2 })), 2000);
  assert.equal(life.callTimeoutMs(account("b")), 5000);
  assert.equal(new UpstreamLifecycle({}).callTimeoutMs(account("c")), DEFAULT_CALL_TIMEOUT_MS);
  assert.equal(new UpstreamLifecycle({}).idleCloseMs(account("c")), DEFAULT_IDLE_CLOSE_MS);
});

Deno.test("crashes back off; a purposeful close does not; a removed account is forgotten", () => {
  let now = 0;
  const life = new UpstreamLifecycle({}, () => now);
  life.connected("a");
  assert.equal(life.crashed("a"), 0);
  life.connected("a");
  assert.equal(life.crashed("a"), 1000);
  assert.equal(life.admit("a"), 1000);
  now = 1000;
  assert.equal(life.admit("a"), 0);
  life.startFailed("a");
  assert.equal(life.admit("a"), 2000);
  life.closed("a");
  assert.equal(life.admit("a"), 0);
  life.startFailed("b");
  life.startFailed("b");
  life.closed("b", true);
  assert.equal(life.failures("b"), 0);
});
