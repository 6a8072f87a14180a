import assert from "node:assert/strict";
import { ResourceSubscriptions, type Unsubscribe } from "../../lib/broker/resource_subscriptions.ts";

/** An upstream stand-in that records subscribe/unsubscribe in order and lets a test hold them open. */
function upstream() {
  const log: string[] = [];
  let release = () => {};
  let gate = Promise.resolve();
  return {
    log,
    hold() {
      gate = new Promise((resolve) => release = resolve);
    },
    open: () => release(),
    subscribe: (uri: string) => async (): Promise<Unsubscribe> => {
      log.push(`subscribe ${uri}`);
      await gate;
      return () => Promise.resolve(void log.push(`unsubscribe ${uri}`));
    },
  };
}

Deno.test("two sessions subscribing at the same moment share one upstream subscription and both hear updates", async () => {
  const subs = new ResourceSubscriptions<string>();
  const up = upstream();
  up.hold();
  const first = subs.add("acct", "a://r", "s1", "a://r", up.subscribe("a://r"));
  const second = subs.add("acct", "a://r", "s2", "janus://acct/a://r", up.subscribe("a://r"));
  // While the upstream subscribe is still awaited, both are already recorded.
  assert.deepEqual(subs.subscribersOf("acct", "a://r").map(([s]) => s).sort(), ["s1", "s2"]);
  up.open();
  await Promise.all([first, second]);
  assert.deepEqual(up.log, ["subscribe a://r"]);
  assert.deepEqual(subs.subscribersOf("acct", "a://r"), [["s1", "a://r"], ["s2", "janus://acct/a://r"]]);
});

Deno.test("the last subscriber out unsubscribes; a quick unsubscribe and resubscribe ends subscribed", async () => {
  const subs = new ResourceSubscriptions<string>();
  const up = upstream();
  await subs.add("acct", "a://r", "s1", "a://r", up.subscribe("a://r"));
  await subs.add("acct", "a://r", "s2", "a://r", up.subscribe("a://r"));
  await subs.remove("acct", "a://r", "s1");
  assert.deepEqual(up.log, ["subscribe a://r"], "s2 still follows it");
  // Leaving and coming back at once: the upstream stays subscribed, without churn.
  const leaving = subs.remove("acct", "a://r", "s2");
  const back = subs.add("acct", "a://r", "s3", "a://r", up.subscribe("a://r"));
  await Promise.all([leaving, back]);
  assert.deepEqual(up.log, ["subscribe a://r"]);
  assert.deepEqual(subs.subscribersOf("acct", "a://r"), [["s3", "a://r"]]);
  // Leaving for good, then a newcomer: unsubscribed, then subscribed again, in that order.
  await subs.remove("acct", "a://r", "s3");
  await subs.add("acct", "a://r", "s4", "a://r", up.subscribe("a://r"));
  assert.deepEqual(up.log, ["subscribe a://r", "unsubscribe a://r", "subscribe a://r"]);
});

Deno.test("a failed upstream subscribe removes only that subscriber and leaves the others untouched", async () => {
  const subs = new ResourceSubscriptions<string>();
  const up = upstream();
  await subs.add("acct", "a://ok", "s1", "a://ok", up.subscribe("a://ok"));
  await assert.rejects(
    subs.add("acct", "a://bad", "s1", "a://bad", () => Promise.reject(new Error("upstream said no"))),
    /upstream said no/,
  );
  assert.deepEqual(subs.subscribersOf("acct", "a://bad"), []);
  assert.deepEqual(subs.subscribersOf("acct", "a://ok"), [["s1", "a://ok"]]);
});

Deno.test("a session that goes away leaves every resource it followed", async () => {
  const subs = new ResourceSubscriptions<string>();
  const up = upstream();
  await subs.add("acct", "a://1", "gone", "a://1", up.subscribe("a://1"));
  await subs.add("acct", "a://2", "gone", "a://2", up.subscribe("a://2"));
  await subs.add("acct", "a://2", "stays", "a://2", up.subscribe("a://2"));
  subs.removeEverywhere("gone");
  await subs.remove("acct", "a://none", "gone"); // settles the queue
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(up.log, ["subscribe a://1", "subscribe a://2", "unsubscribe a://1"]);
  assert.deepEqual(subs.subscribersOf("acct", "a://2"), [["stays", "a://2"]]);
});
