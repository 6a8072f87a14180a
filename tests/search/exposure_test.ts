/** Which tools a client is shown (pure): the modes, the threshold and the native-search clients. */
import assert from "node:assert/strict";
import { effectiveExposure, NATIVE_SEARCH_CLIENTS, searchesNatively } from "../../lib/search/mod.ts";

const auto = (toolCount: number, clientName?: string) =>
  effectiveExposure({ configured: "auto", toolCount, threshold: 40, clientName });

Deno.test("all and search are taken as configured, whatever the size and the client", () => {
  for (const toolCount of [0, 41, 500]) {
    for (const clientName of [undefined, "claude-code", "cursor"]) {
      assert.equal(effectiveExposure({ configured: "all", toolCount, threshold: 40, clientName }), "all");
      assert.equal(
        effectiveExposure({ configured: "search", toolCount, threshold: 40, clientName }),
        "search",
      );
    }
  }
});

Deno.test("auto searches only past the threshold", () => {
  assert.equal(auto(40, "cursor"), "all");
  assert.equal(auto(41, "cursor"), "search");
  assert.equal(
    effectiveExposure({ configured: "auto", toolCount: 1, threshold: 0, clientName: "x" }),
    "search",
  );
  assert.equal(effectiveExposure({ configured: "auto", toolCount: 0, threshold: 0, clientName: "x" }), "all");
});

Deno.test("auto lists every tool to a client that searches natively, however it spells its name", () => {
  for (const name of ["claude-code", "Claude Code", "CLAUDE_CODE", " claude-code "]) {
    assert.equal(auto(500, name), "all", name);
  }
  assert.equal(auto(500, undefined), "search", "a client without a name is not assumed to search");
  assert.equal(auto(500, "claude-code-fork"), "search", "only exact names count");
});

Deno.test("the native-search list is data the README documents", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  for (const name of NATIVE_SEARCH_CLIENTS) {
    assert.ok(searchesNatively(name));
    assert.ok(readme.includes(`\`${name}\``), `README does not list ${name}`);
  }
});
