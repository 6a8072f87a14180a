import assert from "node:assert/strict";
import { type Feature, FEATURES } from "./matrix/features.ts";
import { renderMatrix, type Verdict } from "./matrix/table.ts";

const all = (verdict: Verdict) =>
  Object.fromEntries(FEATURES.map((f) => [f, verdict])) as Record<Feature, Verdict>;

Deno.test("the matrix table marks each cell and numbers each impossibility's reason once", () => {
  const why = "the upstream cannot be reached at this revision";
  const table = renderMatrix([
    { client: "2025-11-25", upstream: "both", transport: "stdio", cells: all({ kind: "same" }) },
    { client: "2026-07-28", upstream: "2025-only", transport: "http", cells: all({ kind: "bridged" }) },
    {
      client: "2026-07-28",
      upstream: "2026-only",
      transport: "http",
      cells: {
        ...all({ kind: "same" }),
        sample: { kind: "impossible", reason: why },
        roots: { kind: "impossible", reason: why },
      },
    },
  ]);
  const rows = table.split("\n").filter((line) => line.startsWith("| 20"));
  assert.equal(rows.length, 3);
  assert.equal(rows[0].split("✓").length - 1, FEATURES.length);
  assert.ok(rows[1].includes("✓ᵇ"));
  assert.equal(rows[2].split("✗1").length - 1, 2, "one footnote for one reason");
  assert.match(table, /\n1\. the upstream cannot be reached at this revision/);
  const clean = renderMatrix([{ client: "x", upstream: "y", transport: "z", cells: all({ kind: "same" }) }]);
  assert.ok(!clean.includes("impossible"), "no footnotes when nothing is impossible");
});
