/** lib/crypto.ts: HMAC-SHA-256 against RFC 4231 and node:crypto, and the constant-time comparison. */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { constantTimeEqual, hmacSha256 } from "../lib/crypto.ts";

const hex = (bytes: Uint8Array) => bytes.toHex();

Deno.test("hmacSha256 matches RFC 4231's test cases (short key, short text, key longer than a block)", () => {
  const cases: [Uint8Array, string, string][] = [
    [
      new Uint8Array(20).fill(0x0b),
      "Hi There",
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    ],
    [
      new TextEncoder().encode("Jefe"),
      "what do ya want for nothing?",
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ],
    [
      new Uint8Array(131).fill(0xaa),
      "Test Using Larger Than Block-Size Key - Hash Key First",
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ],
  ];
  for (const [key, text, expected] of cases) assert.equal(hex(hmacSha256(key, text)), expected, text);
});

Deno.test("hmacSha256 matches node:crypto for keys and texts of many lengths, non-ASCII included", () => {
  for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
    const key = crypto.getRandomValues(new Uint8Array(keyLength));
    for (const textLength of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const text = "é".repeat(textLength % 7) + "x".repeat(textLength);
      const expected = createHmac("sha256", key).update(text).digest("hex");
      assert.equal(hex(hmacSha256(key, text)), expected, `key ${keyLength}, text ${textLength}`);
    }
  }
});

Deno.test("constantTimeEqual tells equal strings from different ones, of any length", () => {
  assert.equal(constantTimeEqual("", ""), true);
  assert.equal(constantTimeEqual("token-abc", "token-abc"), true);
  assert.equal(constantTimeEqual("token-abc", "token-abd"), false);
  assert.equal(constantTimeEqual("token-abc", "token-ab"), false);
  assert.equal(constantTimeEqual("", "x"), false);
  assert.equal(constantTimeEqual("é", "e"), false);
});
