import assert from "node:assert/strict";
import { decodeParamHeader, paramHeaderMismatch } from "../../lib/transport/param_headers.ts";

/** How a SEP-2243 client encodes a value it cannot send literally. */
function base64Header(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return `=?base64?${btoa(String.fromCharCode(...bytes))}?=`;
}

const schema = {
  type: "object",
  properties: {
    region: { type: "string", "x-mcp-header": "Region" },
    count: { type: "number", "x-mcp-header": "Count" },
    dryRun: { type: "boolean", "x-mcp-header": "Dry-Run" },
    query: { type: "string" },
  },
};

// --- decodeParamHeader ---------------------------------------------------------------------------

Deno.test("a plain header value is taken literally", () => {
  assert.equal(decodeParamHeader("us-west1"), "us-west1");
  assert.equal(decodeParamHeader(""), "");
  assert.equal(decodeParamHeader("=?base64"), "=?base64");
  assert.equal(decodeParamHeader("SGVsbG8="), "SGVsbG8=");
});

Deno.test("the SEP's base64 examples decode to UTF-8 text", () => {
  assert.equal(decodeParamHeader("=?base64?SGVsbG8sIOS4lueVjA==?="), "Hello, 世界");
  assert.equal(decodeParamHeader("=?base64?IHBhZGRlZCA=?="), " padded ");
  assert.equal(decodeParamHeader("=?base64?bGluZTEKbGluZTI=?="), "line1\nline2");
});

Deno.test("any UTF-8 text survives base64 encoding", () => {
  for (const text of ["Zürich", "東京", "🚀 launch", "\ttab", "", "a"]) {
    assert.equal(decodeParamHeader(base64Header(text)), text);
  }
});

Deno.test("base64 without padding, with bad characters or non-zero pad bits is refused", () => {
  for (
    const body of [
      "SGVsbG8", // padding missing
      "SGVsbG8==", // too much padding
      "SGVs bG8=", // space
      "SGVsbG8-", // base64url alphabet
      "SGVsbG8_",
      "S===",
      "SGVsbG9=", // "Hello" spelled with a non-zero final bit
      "QR==", // "A" spelled with non-zero pad bits
    ]
  ) {
    assert.equal(decodeParamHeader(`=?base64?${body}?=`), undefined, body);
  }
});

Deno.test("base64 that decodes to invalid UTF-8 is refused", () => {
  for (const bytes of [[0xff], [0xc3], [0xe6, 0x9d], [0xed, 0xa0, 0x80], [0x80, 0x41]]) {
    assert.equal(
      decodeParamHeader(`=?base64?${btoa(String.fromCharCode(...bytes))}?=`),
      undefined,
      String(bytes),
    );
  }
});

// --- paramHeaderMismatch -------------------------------------------------------------------------

Deno.test("a schema without x-mcp-header declarations never mismatches", () => {
  assert.equal(paramHeaderMismatch({}, { region: "eu" }, new Headers()), undefined);
  assert.equal(
    paramHeaderMismatch({ properties: { region: { type: "string" } } }, { region: "eu" }, new Headers()),
    undefined,
  );
});

Deno.test("declared arguments with matching headers pass, header names case-insensitively", () => {
  const headers = new Headers({
    "mcp-param-region": "us-west1",
    "MCP-PARAM-COUNT": "42",
    "Mcp-Param-Dry-Run": "true",
  });
  assert.equal(
    paramHeaderMismatch(schema, { region: "us-west1", count: 42, dryRun: true, query: "q" }, headers),
    undefined,
  );
});

Deno.test("a declared argument without its header is reported as missing", () => {
  assert.equal(
    paramHeaderMismatch(schema, { region: "us-west1" }, new Headers()),
    "Mcp-Param-Region is missing argument region",
  );
});

Deno.test("a header that disagrees with its argument is reported as not matching", () => {
  const headers = new Headers({ "Mcp-Param-Region": "eu-west1" });
  assert.equal(
    paramHeaderMismatch(schema, { region: "us-west1" }, headers),
    "Mcp-Param-Region does not match argument region",
  );
});

Deno.test("numbers and booleans compare by their string form", () => {
  const ok = (headers: Record<string, string>, args: Record<string, unknown>) =>
    paramHeaderMismatch(schema, args, new Headers(headers));
  assert.equal(ok({ "Mcp-Param-Count": "3.14" }, { count: 3.14 }), undefined);
  assert.equal(ok({ "Mcp-Param-Count": "0" }, { count: 0 }), undefined);
  assert.equal(ok({ "Mcp-Param-Dry-Run": "false" }, { dryRun: false }), undefined);
  assert.match(ok({ "Mcp-Param-Count": "42.0" }, { count: 42 }) ?? "", /does not match argument count/);
  assert.match(ok({ "Mcp-Param-Dry-Run": "True" }, { dryRun: true }) ?? "", /does not match argument dryRun/);
  assert.match(ok({ "Mcp-Param-Count": "42" }, { count: "42 " }) ?? "", /does not match/);
});

Deno.test("null, absent and undeclared arguments need no header", () => {
  assert.equal(paramHeaderMismatch(schema, { region: null, query: "q" }, new Headers()), undefined);
  assert.equal(paramHeaderMismatch(schema, {}, new Headers()), undefined);
  assert.equal(paramHeaderMismatch(schema, undefined, new Headers()), undefined);
});

Deno.test("a base64-encoded non-ASCII header matches its argument", () => {
  const headers = new Headers({ "Mcp-Param-Region": base64Header("Zürich — 東京") });
  assert.equal(paramHeaderMismatch(schema, { region: "Zürich — 東京" }, headers), undefined);
  const padded = new Headers({ "Mcp-Param-Region": base64Header(" padded ") });
  assert.equal(paramHeaderMismatch(schema, { region: " padded " }, padded), undefined);
});

Deno.test("a broken base64 header does not match even an argument equal to its raw text", () => {
  const raw = "=?base64?SGVsbG8?=";
  assert.match(
    paramHeaderMismatch(schema, { region: raw }, new Headers({ "Mcp-Param-Region": raw })) ?? "",
    /does not match argument region/,
  );
});

Deno.test("the first declared property that fails is the one reported", () => {
  const headers = new Headers({ "Mcp-Param-Region": "us-west1", "Mcp-Param-Count": "7" });
  assert.equal(
    paramHeaderMismatch(schema, { region: "us-west1", count: 8, dryRun: true }, headers),
    "Mcp-Param-Count does not match argument count",
  );
});

Deno.test("non-string x-mcp-header values and non-object property schemas are ignored", () => {
  const odd = {
    properties: { a: { "x-mcp-header": 5 }, b: ["x-mcp-header"], c: null, d: "Region" } as Record<
      string,
      unknown
    >,
  };
  assert.equal(paramHeaderMismatch(odd, { a: 1, b: 2, c: 3, d: 4 }, new Headers()), undefined);
});
