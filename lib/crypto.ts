/**
 * Keyed hashing and safe comparison of secrets (random tokens are in random.ts). Plain code over
 * sha256_sync.ts rather than node:crypto: loading node:crypto costs a stdio `serve` ~4 ms of its
 * start before the first answer (issue 13, cold start), and these hash only a few short strings.
 */
import { sha256 } from "./sha256_sync.ts";

const BLOCK_BYTES = 64;

/** Compares two strings in constant time (over SHA-256 digests, so neither content nor length leaks). */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = sha256(encode(a));
  const y = sha256(encode(b));
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= x[i] ^ y[i];
  return difference === 0;
}

/** HMAC-SHA-256 (RFC 2104) of a UTF-8 message under `key`. */
export function hmacSha256(key: Uint8Array, message: string): Uint8Array {
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(key.length > BLOCK_BYTES ? sha256(key) : key);
  const text = encode(message);
  const inner = new Uint8Array(BLOCK_BYTES + text.length);
  const outer = new Uint8Array(BLOCK_BYTES + 32);
  for (let i = 0; i < BLOCK_BYTES; i++) {
    inner[i] = block[i] ^ 0x36;
    outer[i] = block[i] ^ 0x5c;
  }
  inner.set(text, BLOCK_BYTES);
  outer.set(sha256(inner), BLOCK_BYTES);
  return sha256(outer);
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
