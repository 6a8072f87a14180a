import assert from "node:assert/strict";
import { UnauthorizedError } from "@modelcontextprotocol/client";
import { JanusError } from "../../lib/errors.ts";
import type { RemoteLaunchSpec } from "../../lib/upstream/launch.ts";
import { isAuthFailure, openWithFallback } from "../../lib/upstream/remote_fallback.ts";

function spec(remembered?: "http" | "sse"): { spec: RemoteLaunchSpec; saved: string[] } {
  const saved: string[] = [];
  return {
    saved,
    spec: {
      transport: "auto",
      url: "https://x",
      headers: {},
      ...(remembered ? { remembered } : {}),
      remember: (kind) => {
        saved.push(kind);
        return Promise.resolve();
      },
    },
  };
}

Deno.test("Streamable HTTP is tried first; when it fails SSE is tried and remembered", async () => {
  const { spec: s, saved } = spec();
  const tried: string[] = [];
  const result = await openWithFallback(s, (kind) => {
    tried.push(kind);
    return kind === "http" ? Promise.reject(new Error("HTTP 405")) : Promise.resolve("sse-connection");
  });
  assert.equal(result, "sse-connection");
  assert.deepEqual(tried, ["http", "sse"]);
  assert.deepEqual(saved, ["sse"]);
});

Deno.test("the remembered transport is tried first and not saved again when it works", async () => {
  const { spec: s, saved } = spec("sse");
  const tried: string[] = [];
  await openWithFallback(s, (kind) => {
    tried.push(kind);
    return Promise.resolve(kind);
  });
  assert.deepEqual(tried, ["sse"]);
  assert.deepEqual(saved, []);
});

Deno.test("an authorization failure does not fall back to the other transport", async () => {
  for (const failure of [new JanusError("auth", "needs a login"), new UnauthorizedError()]) {
    const { spec: s, saved } = spec();
    const tried: string[] = [];
    await assert.rejects(
      openWithFallback(s, (kind) => {
        tried.push(kind);
        return Promise.reject(failure);
      }),
      (error) => error === failure,
    );
    assert.deepEqual(tried, ["http"]);
    assert.deepEqual(saved, []);
  }
  assert.equal(isAuthFailure(new Error("x", { cause: new JanusError("auth", "y") })), true);
  assert.equal(isAuthFailure(new JanusError("upstream", "y")), false);
});

Deno.test("when both transports fail, the error names both reasons", async () => {
  const { spec: s } = spec();
  await assert.rejects(
    openWithFallback(s, (kind) => Promise.reject(new Error(`${kind} broke`))),
    (error: JanusError) => {
      assert.equal(error.code, "upstream");
      assert.match(error.message, /http: http broke; sse: sse broke/);
      return true;
    },
  );
});
