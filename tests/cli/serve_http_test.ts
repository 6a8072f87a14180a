/** `serve --http`'s broker built on the first request: config edits before it, a failed build, shutdown. */
import assert from "node:assert/strict";
import { accountChanges, LazyHttpApp } from "../../lib/cli/serve_http.ts";
import { EMPTY_CONFIG, type JanusConfig, parseConfigText } from "../../lib/config/mod.ts";

const config = (ids: string[]) =>
  parseConfigText(JSON.stringify({ accounts: ids.map((id) => ({ id, service: "s", command: "srv" })) }), "c");

/** A broker stand-in that records the configs it was built with and reloaded to. */
function recorder() {
  const built: string[][] = [];
  const reloaded: string[][] = [];
  let failures = 0;
  const ids = (c: JanusConfig) => c.accounts.map((a) => a.id);
  return {
    built,
    reloaded,
    failNext: () => void failures++,
    build: (c: JanusConfig) => {
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error("no vault"));
      }
      built.push(ids(c));
      const broker = {
        reload: (next: JanusConfig) => {
          reloaded.push(ids(next));
          return Promise.resolve({ added: [], removed: [], changed: [] });
        },
      };
      return Promise.resolve({
        app: { fetch: () => new Response("built"), close: () => Promise.resolve() },
        broker,
      });
    },
  };
}

Deno.test("account changes are reported as the pool reports a reconfiguration", async () => {
  const before = (await config(["a", "b", "c"])).accounts;
  const after = [...(await config(["a", "d"])).accounts];
  after[0] = { ...after[0], args: ["--new"] };
  assert.deepEqual(accountChanges(before, after), { added: ["d"], removed: ["b", "c"], changed: ["a"] });
  assert.deepEqual(accountChanges(before, before), { added: [], removed: [], changed: [] });
});

Deno.test("edits before the first request become the config the broker is built with", async () => {
  const r = recorder();
  const lazy = new LazyHttpApp(await config(["a"]), r.build, () => {});
  assert.deepEqual(await lazy.reload(await config(["a", "b"])), { added: ["b"], removed: [], changed: [] });
  assert.deepEqual(r.built, []);
  const [first, second] = await Promise.all([
    lazy.fetch(new Request("http://x/")),
    lazy.fetch(new Request("http://x/")),
  ]);
  assert.equal(await first.text(), "built");
  assert.equal(await second.text(), "built");
  assert.deepEqual(r.built, [["a", "b"]], "built once, with the edited config");
  await lazy.reload(await config(["c"]));
  assert.deepEqual(r.reloaded, [["c"]], "after the build, edits go to the broker");
});

Deno.test("a failed build answers that request with an error and the next request builds again", async () => {
  const r = recorder();
  const logged: string[] = [];
  const lazy = new LazyHttpApp(structuredClone(EMPTY_CONFIG), r.build, (line) => logged.push(line));
  r.failNext();
  const failed = await lazy.fetch(new Request("http://x/"));
  assert.equal(failed.status, 503);
  assert.match((await failed.json()).error.message, /cannot start the broker: no vault/);
  assert.match(logged.join("\n"), /no vault/);
  assert.equal(await (await lazy.fetch(new Request("http://x/"))).text(), "built");
});

Deno.test("after close nothing is built", async () => {
  const r = recorder();
  const lazy = new LazyHttpApp(structuredClone(EMPTY_CONFIG), r.build, () => {});
  await lazy.close();
  assert.equal((await lazy.fetch(new Request("http://x/"))).status, 503);
  assert.deepEqual(r.built, []);
  assert.equal(lazy.broker, undefined);
});
