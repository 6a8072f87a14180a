/** How tool text and queries become terms (pure). */
import assert from "node:assert/strict";
import { fold, indexTerm, queryTerms, words } from "../../lib/search/terms.ts";

Deno.test("words split at punctuation, snake_case, kebab-case and camelCase", () => {
  assert.deepEqual(words("create_or_update-file getHTTPServer v2Api"), [
    "create",
    "or",
    "update",
    "file",
    "get",
    "HTTP",
    "Server",
    "v2",
    "Api",
  ]);
  assert.deepEqual(words("  --  "), []);
});

Deno.test("folding lower-cases and strips common suffixes, leaving short and -ss words alone", () => {
  assert.deepEqual(
    ["Issues", "entities", "listing", "branches", "status", "access", "bus", "is", "needed", "files"].map(
      fold,
    ),
    ["issu", "entity", "list", "branch", "status", "access", "bus", "is", "need", "file"],
  );
  assert.deepEqual(["merge", "merged", "merging", "merges"].map(fold), ["merg", "merg", "merg", "merg"]);
});

Deno.test("filler words are not indexed and bring no query terms", () => {
  assert.equal(indexTerm("the"), undefined);
  assert.deepEqual(queryTerms("The"), []);
});

Deno.test("a query word brings its synonyms after itself, folded alike", () => {
  const terms = queryTerms("Removing");
  assert.equal(terms[0], fold("remove"));
  assert.ok(terms.includes(fold("delete")));
  assert.deepEqual(queryTerms("xylophones"), ["xylophon"], "a word without synonyms brings only itself");
});
