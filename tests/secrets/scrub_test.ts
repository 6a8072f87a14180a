import assert from "node:assert/strict";
import { Redactor } from "../../lib/secrets/redact.ts";
import { scrubContent } from "../../lib/secrets/scrub.ts";
import { SecretScrubber } from "../../lib/secrets/scrubber.ts";

const SECRET = "s3cr3t-value-42";
const reference = (name: string) => `vault:${name}`;

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function redactor(): Redactor {
  const r = new Redactor();
  r.add("tok", SECRET);
  return r;
}

Deno.test("scrubContent leaves an image whose base64 text happens to show a secret untouched", () => {
  // A secret made of base64 letters can appear in an image's base64 without being in its bytes.
  const lookalike = "QUJDREVGR0hJSktM";
  const r = new Redactor();
  r.add("look", lookalike);
  const bytes = Uint8Array.from(atob(lookalike), (c) => c.charCodeAt(0));
  const data = b64(new Uint8Array([1, 2, 3, ...bytes, 4, 5, 6]));
  assert.ok(data.includes(lookalike));
  const result = { content: [{ type: "image", data, mimeType: "image/png" }] };
  assert.deepEqual(scrubContent(result, r, reference), result);
});

Deno.test("scrubContent replaces a whole image, audio or blob item that holds a secret with a notice", () => {
  const bytes = new TextEncoder().encode(`\x89PNG...${SECRET}...`);
  const data = b64(bytes);
  const result = {
    content: [
      { type: "image", data, mimeType: "image/png" },
      { type: "audio", data, mimeType: "audio/wav" },
      { type: "resource", resource: { uri: "x://b", blob: data } },
      { type: "text", text: `and ${SECRET}` },
    ],
  };
  const scrubbed = scrubContent(result, redactor(), reference);
  for (const item of scrubbed.content.slice(0, 3)) {
    assert.equal(item.type, "text");
    assert.match((item as { text: string }).text, /withheld: it contains the value of the secret vault:tok/);
  }
  assert.deepEqual(scrubbed.content[3], { type: "text", text: "and [redacted:tok]" });
});

Deno.test("scrubContent finds a secret in its encoded forms inside binary bytes", () => {
  const bytes = new TextEncoder().encode(`blob with ${encodeURIComponent(SECRET + "&")} inside`);
  const result = { contents: [{ uri: "x://a", mimeType: "application/octet-stream", blob: b64(bytes) }] };
  const scrubbed = scrubContent(result, redactor(), reference);
  assert.equal(scrubbed.contents[0].uri, "x://a");
  assert.equal((scrubbed.contents[0] as { blob?: string }).blob, undefined);
  assert.match((scrubbed.contents[0] as unknown as { text: string }).text, /blob withheld/);
});

Deno.test("scrubContent leaves clean binary items and their fields byte for byte", () => {
  const bytes = new Uint8Array(5000).map((_, i) => (i * 7919) & 0xff);
  const result = {
    content: [{ type: "image", data: b64(bytes), mimeType: "image/png", annotations: { priority: 1 } }],
    structuredContent: { blob: "not base64 !!" },
  };
  assert.deepEqual(scrubContent(result, redactor(), reference), result);
});

Deno.test("scrubContent searches invalid base64 as text but never edits it", () => {
  const result = { content: [{ type: "image", data: `%%${SECRET}%%`, mimeType: "image/png" }] };
  const scrubbed = scrubContent(result, redactor(), reference);
  assert.equal(scrubbed.content[0].type, "text");
  const clean = { content: [{ type: "image", data: "%%not-base64%%", mimeType: "image/png" }] };
  assert.deepEqual(scrubContent(clean, redactor(), reference), clean);
});

Deno.test("SecretScrubber scrubs a result with its own account's secrets and the broker-wide ones only", () => {
  const scrubber = new SecretScrubber();
  scrubber.addForAccount("a", "A_TOKEN", "alpha-secret-1", "${A_TOKEN}");
  scrubber.addForAccount("b", "B_TOKEN", "bravo-secret-2", "${B_TOKEN}");
  scrubber.addBrokerWide("PASS", "broker-pass-3");
  const text = "alpha-secret-1 bravo-secret-2 broker-pass-3";
  assert.equal(
    scrubber.scrubResult("a", { text }).text,
    "[redacted:A_TOKEN] bravo-secret-2 [redacted:PASS]",
  );
  assert.equal(scrubber.scrubResult("b", { text }).text, "alpha-secret-1 [redacted:B_TOKEN] [redacted:PASS]");
  // Anything not scrubbed as a result (errors, lists) meets every secret.
  assert.equal(scrubber.outbound({ text }).text, "[redacted:A_TOKEN] [redacted:B_TOKEN] [redacted:PASS]");
  // A result already scrubbed for its account is not scrubbed again with others' secrets.
  const result = scrubber.scrubResult("a", { text });
  assert.equal(scrubber.outbound(result), result);
});

Deno.test("SecretScrubber notices name the secret's reference", () => {
  const scrubber = new SecretScrubber();
  scrubber.addForAccount("a", "A_TOKEN", "alpha-secret-1", "${A_TOKEN}");
  const data = b64(new TextEncoder().encode("..alpha-secret-1.."));
  const scrubbed = scrubber.scrubResult("a", { content: [{ type: "image", data, mimeType: "image/png" }] });
  assert.match(JSON.stringify(scrubbed), /secret \$\{A_TOKEN\}/);
});

Deno.test("Redactor.findInBytes finds raw UTF-8 and encoded forms, nothing in clean bytes", () => {
  const r = new Redactor();
  r.add("uni", "pässwörd-ünïcode");
  const raw = String.fromCharCode(...new TextEncoder().encode("x pässwörd-ünïcode y"));
  assert.equal(r.findInBytes(raw), "uni");
  assert.equal(
    r.findInBytes(String.fromCharCode(...new TextEncoder().encode(encodeURIComponent("pässwörd-ünïcode")))),
    "uni",
  );
  assert.equal(r.findInBytes("nothing here"), undefined);
});
