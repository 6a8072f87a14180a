import assert from "node:assert/strict";
import {
  encodeParamHeader,
  paramHeaderDeclarations,
  paramHeadersFor,
} from "../../lib/protocol/param_headers.ts";
import { decodeParamHeader, paramHeaderMismatch } from "../../lib/transport/param_headers.ts";

const schema = {
  type: "object",
  properties: {
    region: { type: "string", "x-mcp-header": "Region" },
    count: { type: "integer", "x-mcp-header": "Count" },
    dryRun: { type: "boolean", "x-mcp-header": "Dry-Run" },
    target: { type: "object", properties: { zone: { type: "string", "x-mcp-header": "Zone" } } },
    query: { type: "string" },
  },
};

Deno.test("declarations are found on properties and through nested properties", () => {
  assert.deepEqual(paramHeaderDeclarations(schema), [
    { path: ["region"], header: "Region" },
    { path: ["count"], header: "Count" },
    { path: ["dryRun"], header: "Dry-Run" },
    { path: ["target", "zone"], header: "Zone" },
  ]);
  assert.deepEqual(paramHeaderDeclarations({ type: "object" }), []);
  assert.deepEqual(paramHeaderDeclarations(undefined), []);
});

Deno.test("outbound headers mirror each declared argument present; absent and null send none", () => {
  assert.deepEqual(
    paramHeadersFor(schema, {
      region: "us-west1",
      count: 3,
      dryRun: false,
      target: { zone: "b" },
      query: "x",
    }),
    {
      "Mcp-Param-Region": "us-west1",
      "Mcp-Param-Count": "3",
      "Mcp-Param-Dry-Run": "false",
      "Mcp-Param-Zone": "b",
    },
  );
  assert.deepEqual(paramHeadersFor(schema, { region: null }), {});
  assert.deepEqual(paramHeadersFor(schema, undefined), {});
});

Deno.test("values that are not plain visible ASCII travel as base64 and decode back", () => {
  for (const value of ["Zürich", " padded ", "", "line1\nline2", "=?base64?abc?="]) {
    const encoded = encodeParamHeader(value);
    assert.match(encoded, /^=\?base64\?/);
    assert.equal(decodeParamHeader(encoded), value);
  }
  assert.equal(encodeParamHeader("us-west1"), "us-west1");
});

Deno.test("what the upstream side sends is what the inbound check accepts", () => {
  const args = { region: "東京", count: 7, dryRun: true, target: { zone: "z" } };
  assert.equal(paramHeaderMismatch(schema, args, new Headers(paramHeadersFor(schema, args))), undefined);
  assert.match(
    paramHeaderMismatch(
      schema,
      args,
      new Headers({ ...paramHeadersFor(schema, args), "Mcp-Param-Zone": "y" }),
    ) ?? "",
    /Mcp-Param-Zone does not match argument target.zone/,
  );
});
