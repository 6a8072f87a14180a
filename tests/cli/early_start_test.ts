/** When a command line gets `serve`'s head start at all (lib/cli/early_start.ts). */
import assert from "node:assert/strict";
import { startsUpstreamsAtOnce } from "../../lib/cli/early_start.ts";

Deno.test("only a serve that starts its upstreams at once gets a head start", () => {
  const line = (values: Record<string, string | boolean>, name = "serve", extra = {}) => ({
    name,
    help: false,
    version: false,
    args: { positionals: [], values },
    ...extra,
  });
  const none = () => undefined;
  assert.ok(startsUpstreamsAtOnce(line({}), none));
  assert.ok(startsUpstreamsAtOnce(line({ transport: "both" }), none));
  assert.ok(startsUpstreamsAtOnce(line({}), (n) => (n === "JANUS_DAEMON" ? "off" : undefined)));
  assert.ok(!startsUpstreamsAtOnce(line({ http: true }), none));
  assert.ok(!startsUpstreamsAtOnce(line({ transport: "http" }), none));
  assert.ok(!startsUpstreamsAtOnce(line({}), (n) => (n === "JANUS_TRANSPORT" ? "http" : undefined)));
  assert.ok(!startsUpstreamsAtOnce(line({ demo: true }), none));
  assert.ok(!startsUpstreamsAtOnce(line({}), (n) => (n === "JANUS_DAEMON" ? "auto" : undefined)));
  assert.ok(!startsUpstreamsAtOnce(line({}, "serve", { help: true }), none));
  assert.ok(!startsUpstreamsAtOnce(line({}, "tools"), none));
});
