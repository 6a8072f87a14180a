import assert from "node:assert/strict";
import { MIN_REDACTABLE_LENGTH, Redactor } from "../../lib/secrets/redact.ts";

// Its base64 needs padding and holds both "+" and "/", so every encoded form differs.
const TOKEN = "ghp_~~R2d2?>C3po Luke&Leia=1 ???";

function redactorWith(entries: Record<string, string>): Redactor {
  const redactor = new Redactor();
  for (const [name, value] of Object.entries(entries)) {
    assert.deepEqual(redactor.add(name, value), { registered: true });
  }
  return redactor;
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

Deno.test("redactText replaces a plain secret with its name, everywhere it occurs", () => {
  const redactor = redactorWith({ GITHUB: TOKEN });
  assert.equal(
    redactor.redactText(`token=${TOKEN}; again ${TOKEN}.`),
    "token=[redacted:GITHUB]; again [redacted:GITHUB].",
  );
  assert.equal(redactor.redactText("nothing secret here"), "nothing secret here");
});

Deno.test("redactText catches base64, padded and unpadded", () => {
  const redactor = redactorWith({ GITHUB: TOKEN });
  const padded = base64(TOKEN);
  assert.ok(padded.endsWith("="), "the sample must need padding for this test to mean something");
  assert.equal(redactor.redactText(`a ${padded} b`), "a [redacted:GITHUB] b");
  assert.equal(redactor.redactText(`a ${padded.replace(/=+$/, "")} b`), "a [redacted:GITHUB] b");
});

Deno.test("redactText catches base64url, padded and unpadded", () => {
  const redactor = redactorWith({ GITHUB: TOKEN });
  const url = base64(TOKEN).replaceAll("+", "-").replaceAll("/", "_");
  assert.ok(url !== base64(TOKEN), "the sample must differ between the two alphabets");
  assert.equal(redactor.redactText(`x${url}x`), "x[redacted:GITHUB]x");
  assert.equal(redactor.redactText(`?t=${url.replace(/=+$/, "")}&`), "?t=[redacted:GITHUB]&");
});

Deno.test("redactText catches a secret inside a longer base64 run (HTTP Basic credentials)", () => {
  const redactor = redactorWith({ GITHUB: TOKEN });
  for (const user of ["a", "ab", "abc", "octocat"]) {
    const header = `Authorization: Basic ${base64(`${user}:${TOKEN}`)}`;
    const redacted = redactor.redactText(header);
    assert.match(redacted, /\[redacted:GITHUB\]/, `user ${user}: ${redacted}`);
    // What is left is the encoded user name plus at most a few characters mixing in the token's edges.
    const budget = "Authorization: Basic ".length + Math.ceil((user.length + 1) * 4 / 3) +
      "[redacted:GITHUB]".length + 4;
    assert.ok(redacted.length <= budget, redacted);
  }
});

Deno.test("redactText catches percent-encoded secrets (encodeURIComponent, lower-case hex, form encoding)", () => {
  const redactor = redactorWith({ GITHUB: TOKEN });
  const encoded = encodeURIComponent(TOKEN);
  assert.notEqual(encoded, TOKEN);
  assert.equal(
    redactor.redactText(`https://x.test/?token=${encoded}`),
    "https://x.test/?token=[redacted:GITHUB]",
  );
  const lower = encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  assert.equal(redactor.redactText(lower), "[redacted:GITHUB]");
  const form = new URLSearchParams({ token: TOKEN }).toString();
  assert.equal(redactor.redactText(form), "token=[redacted:GITHUB]");
});

Deno.test("redactText catches a secret escaped inside JSON text", () => {
  const value = 'pa"ss\\word\nline2';
  const redactor = redactorWith({ DB: value });
  const json = JSON.stringify({ password: value });
  assert.equal(redactor.redactText(json), '{"password":"[redacted:DB]"}');
});

Deno.test("redactValue redacts strings deep in nested JSON without touching the input", () => {
  const redactor = redactorWith({ GITHUB: TOKEN, SUPABASE: "sb-secret-0123456789" });
  const input = {
    content: [{ type: "text", text: `env GITHUB_TOKEN=${TOKEN}` }],
    structured: { nested: [[`Bearer sb-secret-0123456789`], 7, true, null], ok: "plain" },
  };
  const before = structuredClone(input);
  const output = redactor.redactValue(input);
  assert.deepEqual(output, {
    content: [{ type: "text", text: "env GITHUB_TOKEN=[redacted:GITHUB]" }],
    structured: { nested: [["Bearer [redacted:SUPABASE]"], 7, true, null], ok: "plain" },
  });
  assert.deepEqual(input, before);
  assert.ok(!JSON.stringify(output).includes(TOKEN));
});

Deno.test("redactValue redacts object keys too, and keeps a __proto__ key a plain key", () => {
  const redactor = redactorWith({ GITHUB: TOKEN });
  const input = JSON.parse(`{"${TOKEN.replaceAll('"', '\\"')}": 1, "__proto__": {"polluted": "${TOKEN}"}}`);
  const output = redactor.redactValue(input) as Record<string, unknown>;
  assert.deepEqual(Object.keys(output), ["[redacted:GITHUB]", "__proto__"]);
  assert.equal(Object.getPrototypeOf(output), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(output, "__proto__")?.value, {
    polluted: "[redacted:GITHUB]",
  });
});

Deno.test("redactValue survives cycles", () => {
  const redactor = redactorWith({ GITHUB: TOKEN });
  const input: { text: string; self?: unknown } = { text: TOKEN };
  input.self = input;
  const output = redactor.redactValue(input);
  assert.equal(output.text, "[redacted:GITHUB]");
  assert.equal(output.self, output);
});

Deno.test("a secret containing another secret is redacted whole (longest first)", () => {
  const redactor = redactorWith({ SHORT: "abcd1234", LONG: "xxabcd1234yy" });
  assert.equal(redactor.redactText("[xxabcd1234yy] [abcd1234]"), "[[redacted:LONG]] [[redacted:SHORT]]");
  const reversed = redactorWith({ LONG: "xxabcd1234yy", SHORT: "abcd1234" });
  assert.equal(reversed.redactText("xxabcd1234yy"), "[redacted:LONG]");
});

Deno.test("partly overlapping secrets leave no character of either behind", () => {
  const redactor = redactorWith({ A: "alpha-beta-1", B: "beta-1-gamma" });
  const output = redactor.redactText("<alpha-beta-1-gamma>");
  assert.equal(output, "<[redacted:A][redacted:B]>");
});

Deno.test("short values are refused and reported, not registered", () => {
  const redactor = new Redactor();
  for (const value of ["", "a", "abc", "root", "2026", "abcdefg"]) {
    assert.deepEqual(redactor.add("PIN", value), {
      registered: false,
      reason: "too_short",
      minLength: MIN_REDACTABLE_LENGTH,
    });
  }
  assert.equal(redactor.size, 0);
  assert.equal(redactor.redactText("a abc /root 2026-01-02 abcdefg"), "a abc /root 2026-01-02 abcdefg");
  assert.deepEqual(redactor.add("PIN", "abcdefgh"), { registered: true });
  assert.equal(redactor.size, 1);
  assert.equal(redactor.redactText("x abcdefgh y"), "x [redacted:PIN] y");
});

Deno.test("adding values after redacting rebuilds the pattern; size counts distinct values", () => {
  const redactor = redactorWith({ ONE: "first-secret-1" });
  assert.equal(redactor.redactText("first-secret-1 second-secret-2"), "[redacted:ONE] second-secret-2");
  redactor.add("TWO", "second-secret-2");
  redactor.add("TWO", "second-secret-2");
  assert.equal(redactor.size, 2);
  assert.equal(redactor.redactText("first-secret-1 second-secret-2"), "[redacted:ONE] [redacted:TWO]");
});

Deno.test("regular-expression characters in secrets are matched literally", () => {
  const redactor = redactorWith({ RE: "a.b*c(d)[e]{f}|g^h$i\\j" });
  assert.equal(redactor.redactText("a.b*c(d)[e]{f}|g^h$i\\j"), "[redacted:RE]");
  assert.equal(redactor.redactText("aXbbbc(d)[e]{f}|g^h$i\\j"), "aXbbbc(d)[e]{f}|g^h$i\\j");
});

Deno.test("unicode secrets are redacted, raw and encoded", () => {
  const value = "clé-🔑-секрет";
  const redactor = redactorWith({ UNI: value });
  assert.equal(redactor.redactText(`(${value})`), "([redacted:UNI])");
  assert.equal(redactor.redactText(encodeURIComponent(value)), "[redacted:UNI]");
  assert.equal(redactor.redactText(base64(value)), "[redacted:UNI]");
});

Deno.test("redacting a large result with many secrets stays fast", () => {
  const entries: Record<string, string> = {};
  for (let i = 0; i < 50; i++) entries[`S${i}`] = `secret-${i}-${crypto.randomUUID()}`;
  const redactor = redactorWith(entries);
  const filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit 0123456789 ".repeat(16_000);
  const text = `${filler}${entries.S7}${filler}${base64(entries.S42)}`;
  const started = performance.now();
  const output = redactor.redactText(text);
  const elapsed = performance.now() - started;
  assert.ok(output.includes("[redacted:S7]") && output.includes("[redacted:S42]"));
  assert.ok(!output.includes(entries.S7));
  // ~2 MB against ~900 patterns; generous bound so a slow CI machine does not flake.
  assert.ok(elapsed < 2_000, `took ${elapsed.toFixed(0)} ms`);
});

Deno.test("a large text without a secret comes back as it was; a secret at its very end is still redacted", () => {
  const redactor = redactorWith({ GITHUB: TOKEN, OTHER: "a-second-secret-value" });
  const large = "0123456789abcdef".repeat(4 * 1024 * 1024 / 16); // 4 MiB
  assert.equal(redactor.redactText(large), large);
  assert.equal(redactor.redactText(large + TOKEN), `${large}[redacted:GITHUB]`);
  // An encoded form alone at the end, and a value split over the end of one string and the start of the next (no match).
  const url = base64(TOKEN).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  assert.equal(redactor.redactText(large + url), `${large}[redacted:GITHUB]`);
  assert.equal(redactor.redactText(`${large}a-second-secret-valu`), `${large}a-second-secret-valu`);
  // The check before the search is not fooled by a previous answer (no state kept between calls).
  for (const text of [large, `${large}a-second-secret-value`, large, `x${TOKEN}`]) {
    const expected = text === large ? large : text.replace("a-second-secret-value", "[redacted:OTHER]")
      .replace(TOKEN, "[redacted:GITHUB]");
    assert.equal(redactor.redactText(text), expected);
  }
});

Deno.test("redactValue hands back texts without a secret as they were, at any depth", () => {
  const redactor = redactorWith({ GITHUB: TOKEN });
  const text = "x".repeat(1024 * 1024);
  const value = { content: [{ type: "text", text }], nested: { list: [text, `${text}${TOKEN}`] } };
  const redacted = redactor.redactValue(value);
  assert.equal(redacted.content[0].text, text);
  assert.equal(redacted.nested.list[0], text);
  assert.equal(redacted.nested.list[1], `${text}[redacted:GITHUB]`);
});
