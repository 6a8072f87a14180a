import assert from "node:assert/strict";
import { describeRejected, screenItems } from "../../lib/upstream/list_items.ts";

Deno.test("a tool without a name is dropped; the others are relayed exactly as sent", () => {
  const good = { name: "echo", inputSchema: { type: "object", "x-vendor": 1 }, _meta: { a: 1 } };
  const { valid, rejected } = screenItems("tools", [good, {
    description: "nameless",
    inputSchema: { type: "object" },
  }]);
  assert.deepEqual(valid, [good]);
  assert.equal(valid[0], good, "the very object, extension fields and all");
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].index, 1);
  assert.match(rejected[0].reason, /^name: /);
});

Deno.test("resources, templates and prompts are screened by their own schema", () => {
  assert.equal(
    screenItems("resources", [{ uri: "a://b", name: "b" }, { name: "no uri" }]).rejected[0].index,
    1,
  );
  assert.equal(screenItems("resourceTemplates", [{ name: "t" }]).rejected.length, 1);
  assert.equal(screenItems("resourceTemplates", [{ uriTemplate: "a://{x}", name: "t" }]).rejected.length, 0);
  assert.equal(screenItems("prompts", [42, { name: "p" }]).valid.length, 1);
});

Deno.test("a list with nothing wrong is left whole", () => {
  const items = [{ name: "a", inputSchema: { type: "object" } }, {
    name: "b",
    inputSchema: { type: "object" },
  }];
  assert.deepEqual(screenItems("tools", items), { valid: items, rejected: [] });
});

Deno.test("the log line names each dropped item's position, label and reason", () => {
  const { rejected } = screenItems("tools", [{ name: "ok", inputSchema: { type: "object" } }, {
    name: "bad",
  }]);
  const line = describeRejected("tools", rejected);
  assert.match(
    line,
    /dropped 1 invalid item of its tools list, relaying the rest: #1 \("bad"\): inputSchema/,
  );
});
