/**
 * The result "schema" of every request the broker sends upstream: any JSON object, handed back as
 * the very object the SDK decoded. Relayed results are not interpreted here (one odd tool must not
 * break a list; lib/transport/relayed_results.ts checks the one field a client needs), so zod's
 * `looseObject`, which walked and copied each result, bought nothing (profiled December 2026:
 * 1–2 µs per call, plus the copy's garbage). The SDK client takes any Standard Schema here;
 * tests/upstream/pass_through_test.ts fails if it stops doing so or stops returning our value.
 */
import type { StandardSchemaV1 } from "@modelcontextprotocol/client";
import type { UpstreamResult } from "./call_types.ts";
import { isRecord } from "../values.ts";

/** A JSON object, passed through untouched (not copied); anything else is an invalid result. */
export const PASS_THROUGH: StandardSchemaV1<unknown, UpstreamResult> = {
  "~standard": {
    version: 1,
    vendor: "janusmcp",
    validate: (value) => isRecord(value) ? { value } : { issues: [{ message: "expected a JSON object" }] },
  },
};
