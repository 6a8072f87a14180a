import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { RequestStateSigner, ROUND_TTL_MS, type RoundState } from "../../lib/broker/request_state.ts";

const KEY = new Uint8Array(32).map((_, i) => i * 7 + 1);
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const round: RoundState = {
  account: "work",
  session: "session-1",
  method: "tools/call",
  target: "work__search",
  upstream: "opaque-upstream-state",
};

/** Signs a payload the way a signer holding KEY does, so tests can craft tokens `wrap` never makes. */
function signWithKnownKey(payload: string): string {
  return `janus1.${payload}.${createHmac("sha256", KEY).update(payload).digest("base64url")}`;
}

function problemOf(signer: RequestStateSigner, token: string): string {
  const result = signer.unwrap(token);
  assert.equal(result.ok, false, `expected ${JSON.stringify(token.slice(0, 80))} to be refused`);
  return result.ok ? "" : result.problem;
}

Deno.test("a wrapped state unwraps to the same round", () => {
  const signer = new RequestStateSigner();
  assert.deepEqual(signer.unwrap(signer.wrap(round)), { ok: true, round });
});

Deno.test("a round without an upstream state unwraps without one", () => {
  const signer = new RequestStateSigner();
  const { upstream: _, ...bare } = round;
  const result = signer.unwrap(signer.wrap(bare));
  assert.ok(result.ok);
  assert.deepEqual(result.round, bare);
  assert.equal("upstream" in result.round, false);
});

Deno.test("unicode in every field survives the round trip, lone surrogates included", () => {
  const signer = new RequestStateSigner();
  const unicode: RoundState = {
    account: "büro-東京",
    session: "sess-🚀",
    method: "prompts/get",
    target: 'résumé\u0000\n"quoted"',
    upstream: "state ✓ \ud800 \udfff 𝄞",
  };
  assert.deepEqual(signer.unwrap(signer.wrap(unicode)), { ok: true, round: unicode });
});

Deno.test("a large upstream state of about 100 KB survives the round trip", () => {
  const signer = new RequestStateSigner();
  const chunk = 'abc-ДЖ-中文-😀-{"json":[1,2]}.';
  const upstream = chunk.repeat(Math.ceil(100_000 / chunk.length));
  assert.ok(upstream.length >= 100_000);
  const big = { ...round, upstream };
  assert.deepEqual(signer.unwrap(signer.wrap(big)), { ok: true, round: big });
});

Deno.test("a token is three dot-separated URL-safe parts starting with janus1", () => {
  const token = new RequestStateSigner().wrap(round);
  assert.match(token, /^janus1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
});

Deno.test("two signers with the same key accept each other's tokens", () => {
  const token = new RequestStateSigner(KEY).wrap(round);
  assert.deepEqual(new RequestStateSigner(KEY).unwrap(token), { ok: true, round });
  // The test helper signs exactly as the signer does, so crafted tokens below are honestly signed.
  assert.equal(signWithKnownKey(token.split(".")[1]), token);
});

Deno.test("a token from a signer with another key is refused as from another process", () => {
  const token = new RequestStateSigner().wrap(round);
  assert.match(problemOf(new RequestStateSigner(), token), /issued by another JanusMCP process/);
  const other = new RequestStateSigner(KEY.map((byte) => byte ^ 1));
  assert.match(
    problemOf(new RequestStateSigner(KEY), other.wrap(round)),
    /issued by another JanusMCP process/,
  );
});

Deno.test("every single-character substitution or deletion in a token is refused", () => {
  const signer = new RequestStateSigner(KEY);
  const token = signer.wrap({ account: "a", session: "s", method: "tools/call", target: "t", upstream: "u" });
  let tried = 0;
  for (let i = 0; i < token.length; i++) {
    for (const replacement of `${BASE64URL}.`) {
      if (replacement === token[i]) continue;
      const altered = token.slice(0, i) + replacement + token.slice(i + 1);
      assert.equal(signer.unwrap(altered).ok, false, `substituting ${replacement} at ${i} was accepted`);
      tried++;
    }
    const shortened = token.slice(0, i) + token.slice(i + 1);
    assert.equal(signer.unwrap(shortened).ok, false, `deleting character ${i} was accepted`);
  }
  assert.ok(tried > 64 * 50);
});

Deno.test("a signature moved onto another payload is refused", () => {
  const signer = new RequestStateSigner();
  const [, payloadA] = signer.wrap(round).split(".");
  const [, , signatureB] = signer.wrap({ ...round, account: "personal" }).split(".");
  assert.match(problemOf(signer, `janus1.${payloadA}.${signatureB}`), /altered/);
});

Deno.test("tokens with a wrong prefix or the wrong number of parts are not JanusMCP's", () => {
  const signer = new RequestStateSigner();
  const [prefix, payload, signature] = signer.wrap(round).split(".");
  assert.equal(prefix, "janus1");
  const foreign = [
    "",
    "opaque-upstream-state",
    `janus2.${payload}.${signature}`,
    `JANUS1.${payload}.${signature}`,
    `.${payload}.${signature}`,
    `janus1.${payload}`,
    `janus1.${payload}.`,
    `janus1..${signature}`,
    `janus1.${payload}.${signature}.`,
    `janus1.${payload}.${signature}.extra`,
    `${payload}.${signature}`,
  ];
  for (const token of foreign) {
    assert.equal(problemOf(signer, token), "requestState was not issued by JanusMCP", token);
  }
});

Deno.test("a correctly signed payload that is not JSON is reported as malformed", () => {
  const signer = new RequestStateSigner(KEY);
  for (const text of ["not json {", "", '{"account":', "\uFFFD"]) {
    const payload = Buffer.from(text, "utf8").toString("base64url") || "AA";
    assert.equal(
      problemOf(signer, signWithKnownKey(payload)),
      "requestState is malformed",
      JSON.stringify(text),
    );
  }
});

Deno.test("a token past its lifetime is refused as expired; within it, accepted", () => {
  let now = 1_000_000;
  const signer = new RequestStateSigner(KEY, () => now);
  const token = signer.wrap(round);
  now += ROUND_TTL_MS;
  assert.deepEqual(signer.unwrap(token), { ok: true, round });
  now += 1;
  assert.equal(problemOf(signer, token), "requestState has expired");
});

Deno.test("a correctly signed JSON payload without a round's fields is reported as malformed", () => {
  const signer = new RequestStateSigner(KEY);
  const { upstream: _, ...bare } = round;
  for (
    const value of [bare, { ...round, expires: "soon" }, { ...round, expires: 1, upstream: 7 }, [1], null]
  ) {
    const payload = Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
    assert.equal(
      problemOf(signer, signWithKnownKey(payload)),
      "requestState is malformed",
      JSON.stringify(value),
    );
  }
});
