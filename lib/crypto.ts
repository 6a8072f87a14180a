/** The few cryptographic helpers the broker needs, in one place: random tokens and safe comparison. */
import { createHash, timingSafeEqual } from "node:crypto";

/** A random token: `bytes` random bytes as unpadded base64url. */
export function randomToken(bytes = 32): string {
  return crypto.getRandomValues(new Uint8Array(bytes)).toBase64({ alphabet: "base64url", omitPadding: true });
}

/** Compares two strings in constant time (over SHA-256 digests, so neither content nor length leaks). */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(text).digest());
}
