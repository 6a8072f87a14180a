/** Safe comparison of secrets (random tokens are in random.ts, which loads no node:crypto). */
import { createHash, timingSafeEqual } from "node:crypto";

/** Compares two strings in constant time (over SHA-256 digests, so neither content nor length leaks). */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(text).digest());
}
