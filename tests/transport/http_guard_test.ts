import assert from "node:assert/strict";
import { Hono } from "hono";
import {
  allowedHostsFor,
  bearerGuard,
  type GuardOptions,
  hostAndOriginGuard,
} from "../../lib/transport/http_guard.ts";
import { isLoopbackHost } from "../../lib/hosts.ts";

const TOKEN = "k3P9vQx2LmN8rT5wY7zA1bC4dE6fG0hJ_-sUiOpQrSt";

function request(headers: Record<string, string>): Request {
  return new Request("http://127.0.0.1:7332/mcp", { method: "POST", headers, body: "{}" });
}

/**
 * Runs a request through the guards composed as the HTTP app composes them; the refusal, or
 * undefined when the request reached the handler behind them.
 */
async function guardRequest(request: Request, options: GuardOptions): Promise<Response | undefined> {
  const app = new Hono();
  app.use("*", hostAndOriginGuard(options.allowedHosts));
  if (options.token !== undefined) app.use("/mcp", bearerGuard(options.token));
  app.post("/mcp", (c) => c.text("reached"));
  const response = await app.fetch(request);
  if (response.status === 200 && await response.clone().text() === "reached") return undefined;
  return response;
}

async function refusal(
  pending: Promise<Response | undefined>,
  status: number,
): Promise<{ code: number; message: string }> {
  const response = await pending;
  assert.ok(response, `expected a ${status} refusal`);
  assert.equal(response.status, status);
  const body = await response.json() as {
    jsonrpc: string;
    error: { code: number; message: string };
    id: null;
  };
  assert.equal(body.jsonrpc, "2.0");
  assert.equal(body.id, null);
  return body.error;
}

const loopbackOnly = { allowedHosts: allowedHostsFor("127.0.0.1") };

// --- isLoopbackHost ------------------------------------------------------------------------------

Deno.test("loopback bind addresses are recognised", () => {
  for (
    const host of ["127.0.0.1", "127.0.0.2", "127.1.2.3", "127.255.255.255", "localhost", "::1", "[::1]"]
  ) {
    assert.equal(isLoopbackHost(host), true, host);
  }
});

Deno.test("wildcard, private, public and look-alike addresses are not loopback", () => {
  for (
    const host of [
      "0.0.0.0",
      "::",
      "[::]",
      "192.168.1.10",
      "10.0.0.1",
      "8.8.8.8",
      "localhost.evil.com",
      "evil.localhost.com",
      "127.0.0.1.evil.com",
      "127.0.0.1:80",
      "1127.0.0.1",
      "::2",
      "",
    ]
  ) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});

// --- allowedHostsFor -----------------------------------------------------------------------------

Deno.test("wildcard binds leave the Host header unchecked", () => {
  assert.equal(allowedHostsFor("0.0.0.0"), undefined);
  assert.equal(allowedHostsFor("::"), undefined);
  assert.equal(allowedHostsFor("[::]"), undefined);
});

Deno.test("a loopback bind accepts exactly the loopback names", () => {
  assert.deepEqual(allowedHostsFor("127.0.0.1")?.toSorted(), ["127.0.0.1", "[::1]", "localhost"]);
  assert.deepEqual(allowedHostsFor("localhost")?.toSorted(), ["127.0.0.1", "[::1]", "localhost"]);
  assert.deepEqual(allowedHostsFor("::1")?.toSorted(), ["127.0.0.1", "[::1]", "localhost"]);
});

Deno.test("a specific bind address is added to the loopback names, IPv6 in brackets", () => {
  assert.deepEqual(allowedHostsFor("192.168.1.10")?.toSorted(), [
    "127.0.0.1",
    "192.168.1.10",
    "[::1]",
    "localhost",
  ]);
  assert.ok(allowedHostsFor("fd00::5")?.includes("[fd00::5]"));
  assert.ok(allowedHostsFor("[fd00::5]")?.includes("[fd00::5]"));
  assert.ok(allowedHostsFor("box.lan")?.includes("box.lan"));
});

Deno.test("a mixed-case host name or long-form IPv6 bind accepts the Host header browsers send", async () => {
  for (const [bind, host] of [["MyBox.LAN", "mybox.lan:7332"], ["FD00:0:0::5", "[fd00::5]:7332"]]) {
    const allowedHosts = allowedHostsFor(bind);
    assert.equal(await guardRequest(request({ host }), { allowedHosts }), undefined, `${bind} / ${host}`);
    await refusal(guardRequest(request({ host: "evil.com" }), { allowedHosts }), 403);
  }
});

// --- guardRequest: Host and Origin ---------------------------------------------------------------

Deno.test("a request naming this machine in Host passes, with or without a port", async () => {
  for (
    const host of [
      "127.0.0.1",
      "127.0.0.1:7332",
      "localhost:7332",
      "LOCALHOST:7332",
      "[::1]:7332",
      "localhost",
    ]
  ) {
    assert.equal(await guardRequest(request({ host }), loopbackOnly), undefined, host);
  }
});

Deno.test("a foreign or missing Host is refused with 403 (DNS rebinding)", async () => {
  for (const host of ["evil.com", "evil.com:7332", "localhost.evil.com", "127.0.0.2:7332", "192.168.1.10"]) {
    const error = await refusal(guardRequest(request({ host }), loopbackOnly), 403);
    assert.match(error.message, /Invalid Host/, host);
  }
  const error = await refusal(guardRequest(request({}), loopbackOnly), 403);
  assert.match(error.message, /Missing Host/);
});

Deno.test("the Host check comes first: a right token does not excuse a foreign Host", async () => {
  const guarded = { ...loopbackOnly, token: TOKEN };
  await refusal(guardRequest(request({ host: "evil.com", authorization: `Bearer ${TOKEN}` }), guarded), 403);
});

Deno.test("without allowedHosts any Host is accepted", async () => {
  assert.equal(await guardRequest(request({ host: "whatever.example:1234" }), {}), undefined);
  assert.equal(await guardRequest(request({}), {}), undefined);
});

Deno.test("an Origin from this machine or no Origin at all passes", async () => {
  for (
    const origin of [
      "http://localhost:3000",
      "https://localhost",
      "http://127.0.0.1:6274",
      "http://[::1]:8080",
    ]
  ) {
    assert.equal(
      await guardRequest(request({ host: "localhost:7332", origin }), loopbackOnly),
      undefined,
      origin,
    );
  }
  assert.equal(await guardRequest(request({ host: "localhost:7332" }), loopbackOnly), undefined);
});

Deno.test("a foreign, opaque or unparsable Origin is refused with 403, even with the Host check off", async () => {
  for (const origin of ["http://evil.com", "https://localhost.evil.com", "null", "not a url"]) {
    await refusal(guardRequest(request({ host: "localhost:7332", origin }), loopbackOnly), 403);
    await refusal(guardRequest(request({ host: "localhost:7332", origin }), { token: TOKEN }), 403);
  }
});

// --- guardRequest: bearer token ------------------------------------------------------------------

Deno.test("with a token, a request without Authorization is refused with 401 and a challenge", async () => {
  const response = await guardRequest(request({ host: "box.lan" }), { token: TOKEN });
  assert.equal(response?.headers.get("www-authenticate"), 'Bearer realm="janusmcp"');
  const error = await refusal(Promise.resolve(response), 401);
  assert.equal(error.code, -32001);
});

Deno.test("with a token, a wrong bearer is refused with 401 and an invalid_token challenge", async () => {
  const wrong = [`Bearer ${TOKEN.slice(0, -1)}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`];
  for (const authorization of wrong) {
    const response = await guardRequest(request({ host: "box.lan", authorization }), { token: TOKEN });
    assert.match(response?.headers.get("www-authenticate") ?? "", /invalid_token/, authorization);
    const error = await refusal(Promise.resolve(response), 401);
    assert.equal(error.message, "wrong bearer token");
  }
});

Deno.test("with a token, a malformed Authorization header is refused with 400 (RFC 6750 invalid_request)", async () => {
  const malformed = [
    `Bearer ${TOKEN} ${TOKEN}`,
    "Bearer ",
    "Bearer",
    TOKEN,
    `Basic ${btoa(`user:${TOKEN}`)}`,
    `Token ${TOKEN}`,
  ];
  for (const authorization of malformed) {
    const response = await guardRequest(request({ host: "box.lan", authorization }), { token: TOKEN });
    assert.match(response?.headers.get("www-authenticate") ?? "", /invalid_request/, authorization);
    const error = await refusal(Promise.resolve(response), 400);
    assert.match(error.message, /malformed Authorization header/);
  }
});

Deno.test("with a token, the right bearer passes whatever the case of the scheme", async () => {
  for (
    const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer   ${TOKEN}`]
  ) {
    assert.equal(
      await guardRequest(request({ host: "box.lan", authorization }), { token: TOKEN }),
      undefined,
      authorization,
    );
  }
});

Deno.test("an empty configured token admits nobody", async () => {
  await refusal(guardRequest(request({ host: "box.lan", authorization: "Bearer " }), { token: "" }), 400);
  await refusal(guardRequest(request({ host: "box.lan" }), { token: "" }), 401);
  await refusal(guardRequest(request({ host: "box.lan", authorization: "Bearer x" }), { token: "" }), 401);
});

Deno.test("the Host and Origin checks also guard paths other than /mcp; the token is asked only on /mcp", async () => {
  const app = new Hono();
  app.use("*", hostAndOriginGuard(loopbackOnly.allowedHosts));
  app.use("/mcp", bearerGuard(TOKEN));
  app.get("/healthz", (c) => c.text("ok"));
  const health = (host: string) =>
    app.fetch(new Request("http://127.0.0.1:7332/healthz", { headers: { host } }));
  assert.equal((await health("127.0.0.1:7332")).status, 200);
  assert.equal((await health("evil.com")).status, 403);
});

Deno.test("without a token no Authorization is needed", async () => {
  assert.equal(await guardRequest(request({ host: "127.0.0.1:7332" }), loopbackOnly), undefined);
  assert.equal(
    await guardRequest(request({ host: "127.0.0.1:7332", authorization: "Bearer junk" }), loopbackOnly),
    undefined,
  );
});
