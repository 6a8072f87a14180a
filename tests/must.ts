/** Test helper: a value the test needs to exist, failing the test with `what` when it does not. */
import assert from "node:assert/strict";

/** `value`, asserted present. */
export function must<T>(value: T | null | undefined, what = "expected value"): T {
  assert.ok(value !== null && value !== undefined, `${what} is missing`);
  return value;
}
