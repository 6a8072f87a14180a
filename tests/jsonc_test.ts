/** JSONC read without jsonc-parser: the same value jsonc-parser reads, whatever the comments and commas. */
import assert from "node:assert/strict";
import { parse, type ParseError } from "jsonc-parser";
import { blankJsoncExtras } from "../lib/jsonc.ts";

function viaJsoncParser(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  assert.deepEqual(errors, [], text);
  return value;
}

Deno.test("comments and trailing commas are blanked; strings keep what looks like them", () => {
  const texts = [
    `{"a": 1}`,
    `// head\n{"a": [1, 2,], /* x */ "b": {"c": "d",},}\n`,
    `{"url": "http://x//y", "s": "/* not a comment */", "q": "a \\" // b", "e": "\\\\"}`,
    `{"a": [1, /* gone */ ], "b": {} // trailing\n}`,
    `{\n  "accounts": [\n    { "id": "a", // the first\n      "args": ["--x", "y",],\n    },\n  ],\n}`,
    `/**/{"a":/*1*/2/*3*/}`,
  ];
  for (const text of texts) {
    const blanked = blankJsoncExtras(text);
    assert.ok(blanked !== undefined, text);
    assert.equal(blanked.length, text.length, "offsets stay where they were");
    assert.deepEqual(JSON.parse(blanked), viaJsoncParser(text), text);
  }
});

Deno.test("an open comment or string is left to jsonc-parser to report", () => {
  assert.equal(blankJsoncExtras(`{"a": 1 /* open`), undefined);
  assert.equal(blankJsoncExtras(`{"a": "open`), undefined);
  assert.equal(blankJsoncExtras(`{"a": "ends in a backslash\\"}`), undefined);
});

Deno.test("a comma with no value before it is not blanked: the config is refused, not read as empty", async () => {
  const { parseConfigText } = await import("../lib/config/load.ts");
  for (const text of [`{"accounts": [,]}`, `{"accounts": [], "profiles": {,}}`]) {
    assert.throws(() => JSON.parse(blankJsoncExtras(text) ?? ""), SyntaxError, text);
    await assert.rejects(parseConfigText(text, "c.jsonc"), /c\.jsonc:1:\d+: expected a/, text);
  }
});
