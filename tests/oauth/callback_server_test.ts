import assert from "node:assert/strict";
import { JanusError } from "../../lib/errors.ts";
import { callbackPort, DEFAULT_OAUTH_PORT, startCallbackServer } from "../../lib/oauth/callback_server.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("the callback server hands over code, state and iss once, and answers other paths with 404", async () => {
  const server = startCallbackServer(freePort());
  try {
    assert.match(server.redirectUrl, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const other = await fetch(server.redirectUrl.replace("/callback", "/other"));
    assert.equal(other.status, 404);
    await other.body?.cancel();
    const page = await fetch(
      `${server.redirectUrl}?code=c1&state=s1&iss=${encodeURIComponent("https://as")}`,
    );
    assert.equal(page.status, 200);
    assert.doesNotMatch(await page.text(), /c1/, "the page does not echo the code");
    assert.deepEqual(await server.result, { kind: "code", code: "c1", state: "s1", iss: "https://as" });
    const late = await fetch(`${server.redirectUrl}?code=c2&state=s2`);
    assert.match(await late.text(), /already finished/);
  } finally {
    await server.close();
  }
});

Deno.test("an error redirect is reported as such, with its state", async () => {
  const server = startCallbackServer(freePort());
  try {
    await (await fetch(`${server.redirectUrl}?error=access_denied&error_description=no&state=s`)).body
      ?.cancel();
    assert.deepEqual(await server.result, {
      kind: "error",
      error: "access_denied",
      description: "no",
      state: "s",
    });
  } finally {
    await server.close();
  }
});

Deno.test("a taken port is a usage error naming the port and JANUS_OAUTH_PORT", () => {
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (blocker.addr as Deno.NetAddr).port;
  try {
    assert.throws(() => startCallbackServer(port), (error: unknown) => {
      assert.ok(error instanceof JanusError);
      assert.equal(error.code, "usage");
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port} is already in use.*JANUS_OAUTH_PORT`));
      return true;
    });
  } finally {
    blocker.close();
  }
});

Deno.test("the callback port is 7334 unless JANUS_OAUTH_PORT names a valid one", () => {
  assert.equal(callbackPort(() => undefined), DEFAULT_OAUTH_PORT);
  assert.equal(DEFAULT_OAUTH_PORT, 7334);
  assert.equal(callbackPort(() => "8123"), 8123);
  for (const bad of ["0", "70000", "abc", "1.5"]) {
    assert.throws(() => callbackPort(() => bad), /JANUS_OAUTH_PORT must be a port number/);
  }
});
