/**
 * The subscription registry on its own. The upstream side is an in-memory recorder: what is
 * tested is the registry's bookkeeping (who follows what, when the upstream is (un)subscribed),
 * which end-to-end tests cannot make race on purpose.
 */
import assert from "node:assert/strict";
import { Session } from "../../lib/broker/session.ts";
import { Subscriptions } from "../../lib/broker/subscriptions.ts";

function recorder() {
  const calls: string[] = [];
  let release: () => void = () => {};
  let failNext = false;
  const gate = () => new Promise<void>((resolve) => (release = resolve));
  let pending = Promise.resolve();
  return {
    calls,
    hold() {
      pending = gate();
    },
    release: () => release(),
    failNextSubscribe() {
      failNext = true;
    },
    upstreams: {
      async subscribe(accountId: string, uri: string) {
        calls.push(`subscribe ${accountId} ${uri}`);
        await pending;
        if (failNext) {
          failNext = false;
          throw new Error("upstream refused");
        }
      },
      unsubscribe(accountId: string, uri: string) {
        calls.push(`unsubscribe ${accountId} ${uri}`);
        return Promise.resolve();
      },
    },
  };
}

Deno.test("two sessions subscribing at the same moment share one upstream subscribe and both follow", async () => {
  const upstream = recorder();
  const subscriptions = new Subscriptions(upstream.upstreams);
  const [a, b] = [new Session("a"), new Session("b")];
  upstream.hold();
  const first = subscriptions.add(a, "acme", "file://x", "janus://acme/file://x");
  const second = subscriptions.add(b, "acme", "file://x", "file://x");
  upstream.release();
  await Promise.all([first, second]);
  assert.deepEqual(upstream.calls, ["subscribe acme file://x"]);
  assert.deepEqual([...subscriptions.followers("acme", "file://x")], [[a, "janus://acme/file://x"], [
    b,
    "file://x",
  ]]);
});

Deno.test("the upstream is unsubscribed only when the last follower leaves", async () => {
  const upstream = recorder();
  const subscriptions = new Subscriptions(upstream.upstreams);
  const [a, b] = [new Session("a"), new Session("b")];
  await subscriptions.add(a, "acme", "u", "u");
  await subscriptions.add(b, "acme", "u", "u");
  await subscriptions.remove(a, "acme", "u");
  assert.deepEqual(upstream.calls, ["subscribe acme u"]);
  subscriptions.forget(b);
  assert.deepEqual(upstream.calls, ["subscribe acme u", "unsubscribe acme u"]);
  assert.equal(subscriptions.followers("acme", "u").size, 0);
});

Deno.test("a failed upstream subscribe is reported to its callers and retried by the next one", async () => {
  const upstream = recorder();
  const subscriptions = new Subscriptions(upstream.upstreams);
  const a = new Session("a");
  upstream.failNextSubscribe();
  await assert.rejects(() => subscriptions.add(a, "acme", "u", "u"), /upstream refused/);
  assert.equal(subscriptions.followers("acme", "u").size, 0);
  await subscriptions.add(a, "acme", "u", "u");
  assert.deepEqual(upstream.calls, ["subscribe acme u", "subscribe acme u"]);
  assert.equal(subscriptions.followers("acme", "u").size, 1);
});

Deno.test("the same URI on two accounts is two subscriptions", async () => {
  const upstream = recorder();
  const subscriptions = new Subscriptions(upstream.upstreams);
  const a = new Session("a");
  await subscriptions.add(a, "acme", "u", "janus://acme/u");
  await subscriptions.add(a, "globex", "u", "janus://globex/u");
  assert.deepEqual(upstream.calls, ["subscribe acme u", "subscribe globex u"]);
  assert.equal(subscriptions.followers("globex", "u").get(a), "janus://globex/u");
});
