import assert from "node:assert/strict";
import type { DiscoverResult } from "@modelcontextprotocol/client";
import { chooseConnection, learn, refuted, type Revisions } from "../../lib/upstream/revisions.ts";

const DISCOVER = {
  supportedVersions: ["2026-07-28"],
  capabilities: {},
  serverInfo: { name: "fixture", version: "1" },
} as unknown as DiscoverResult;
const none = new Set<"legacy" | "modern">();
const open = (...eras: ("legacy" | "modern")[]) => new Set(eras);
const dual: Revisions = { modern: DISCOVER, legacy: true };

Deno.test("an upstream that speaks both is spoken to in each client's revision", () => {
  assert.deepEqual(chooseConnection(dual, "legacy", none), {
    kind: "prior",
    era: "legacy",
    prior: { kind: "legacy" },
  });
  assert.deepEqual(chooseConnection(dual, "modern", none), {
    kind: "prior",
    era: "modern",
    prior: { kind: "modern", discover: DISCOVER },
  });
  // With the other era's connection open, a second one is still chosen for this need.
  assert.equal(chooseConnection(dual, "legacy", open("modern")).kind, "prior");
  assert.deepEqual(chooseConnection(dual, "legacy", open("modern", "legacy")), {
    kind: "reuse",
    era: "legacy",
  });
});

Deno.test("an upstream that speaks one revision serves every client over it, without a second start", () => {
  const legacyOnly: Revisions = { modern: false, legacy: true };
  assert.deepEqual(chooseConnection(legacyOnly, "modern", open("legacy")), { kind: "reuse", era: "legacy" });
  assert.deepEqual(chooseConnection(legacyOnly, "modern", none), {
    kind: "prior",
    era: "legacy",
    prior: { kind: "legacy" },
  });
  const modernOnly: Revisions = { modern: DISCOVER, legacy: false };
  assert.deepEqual(chooseConnection(modernOnly, "legacy", open("modern")), { kind: "reuse", era: "modern" });
  assert.equal(chooseConnection(modernOnly, "legacy", none).kind, "prior");
});

Deno.test("what is not known is probed (modern need) or tried directly (legacy need)", () => {
  assert.deepEqual(chooseConnection({}, "modern", none), { kind: "auto" });
  assert.deepEqual(chooseConnection({}, undefined, none), { kind: "auto" });
  assert.deepEqual(chooseConnection({}, "legacy", none), { kind: "try", era: "legacy" });
  // Known modern, 2025 never tried: try it once, when a 2025 client needs it.
  assert.deepEqual(chooseConnection({ modern: DISCOVER }, "legacy", open("modern")), {
    kind: "try",
    era: "legacy",
  });
  // Known legacy, 2026 never tried: pin 2026 once.
  assert.deepEqual(chooseConnection({ legacy: true }, "modern", open("legacy")), {
    kind: "try",
    era: "modern",
  });
});

Deno.test("without a client's need, any live connection serves (lists, status)", () => {
  assert.deepEqual(chooseConnection(dual, undefined, open("legacy")), { kind: "reuse", era: "legacy" });
  assert.deepEqual(chooseConnection({ legacy: true }, undefined, none), {
    kind: "prior",
    era: "legacy",
    prior: { kind: "legacy" },
  });
});

Deno.test("verdicts: a probe that falls back to 2025 proves the upstream has no 2026; a refuted try is recorded", () => {
  assert.deepEqual(learn({}, { kind: "auto" }, { era: "legacy" }), { legacy: true, modern: false });
  assert.deepEqual(learn({}, { kind: "try", era: "legacy" }, { era: "legacy" }), { legacy: true });
  assert.deepEqual(learn({}, { kind: "auto" }, { era: "modern", discover: DISCOVER }), { modern: DISCOVER });
  assert.deepEqual(refuted({ modern: DISCOVER }, "legacy"), { modern: DISCOVER, legacy: false });
  assert.deepEqual(refuted({ legacy: true }, "modern"), { legacy: true, modern: false });
});
