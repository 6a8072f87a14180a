import assert from "node:assert/strict";
import { DEFAULT_PORT, parseServeOptions, type ServeOptions } from "../../lib/cli/serve_options.ts";
import { JanusError } from "../../lib/errors.ts";

function envOf(vars: Record<string, string> = {}): (name: string) => string | undefined {
  return (name) => vars[name];
}

function parse(args: string[], vars: Record<string, string> = {}): ServeOptions {
  return parseServeOptions(args, envOf(vars));
}

/** The usage error parseServeOptions throws for these arguments and environment. */
function usageError(args: string[], vars: Record<string, string> = {}): JanusError {
  try {
    parse(args, vars);
  } catch (error) {
    assert.ok(error instanceof JanusError, String(error));
    assert.equal(error.code, "usage");
    assert.match(error.message, /^serve: /);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(args)} with ${JSON.stringify(vars)} to be a usage error`);
}

const DEFAULTS: ServeOptions = {
  demo: false,
  transport: "stdio",
  host: "127.0.0.1",
  port: 7332,
  allowRemote: false,
  sessionIdleSeconds: 3600,
};

Deno.test("no flags and no environment serve stdio with loopback HTTP defaults", () => {
  assert.equal(DEFAULT_PORT, 7332);
  assert.deepEqual(parse([]), DEFAULTS);
});

Deno.test("--demo is reported", () => {
  assert.deepEqual(parse(["--demo"]), { ...DEFAULTS, demo: true });
});

Deno.test("--http serves HTTP, alone or with a matching --transport", () => {
  assert.equal(parse(["--http"]).transport, "http");
  assert.equal(parse(["--http", "--transport", "http"]).transport, "http");
  assert.equal(parse(["--transport=http"]).transport, "http");
});

Deno.test("--transport both serves stdio and HTTP", () => {
  assert.equal(parse(["--transport", "both"]).transport, "both");
});

Deno.test("--http contradicting --transport is a usage error", () => {
  assert.match(
    usageError(["--http", "--transport", "stdio"]).message,
    /--http contradicts --transport stdio/,
  );
  assert.match(usageError(["--transport", "both", "--http"]).message, /--http contradicts --transport both/);
});

Deno.test("an unknown transport is a usage error, from a flag or the environment", () => {
  assert.match(
    usageError(["--transport", "sse"]).message,
    /transport must be stdio, http or both, not "sse"/,
  );
  assert.match(usageError([], { JANUS_TRANSPORT: "HTTP" }).message, /not "HTTP"/);
});

Deno.test("the environment fills transport, host and port", () => {
  assert.deepEqual(
    parse([], { JANUS_TRANSPORT: "http", JANUS_HTTP_HOST: "localhost", JANUS_HTTP_PORT: "9000" }),
    { ...DEFAULTS, transport: "http", host: "localhost", port: 9000 },
  );
});

Deno.test("flags win over the environment", () => {
  const env = { JANUS_TRANSPORT: "stdio", JANUS_HTTP_HOST: "::1", JANUS_HTTP_PORT: "9000" };
  assert.deepEqual(
    parse(["--transport", "both", "--host", "localhost", "--port", "8000"], env),
    { ...DEFAULTS, transport: "both", host: "localhost", port: 8000 },
  );
  assert.equal(parse(["--http"], env).transport, "http");
  assert.equal(parse(["--transport", "stdio"], { JANUS_TRANSPORT: "sse" }).transport, "stdio");
});

Deno.test("port 0 (any free port) and 65535 are accepted", () => {
  assert.equal(parse(["--port", "0"]).port, 0);
  assert.equal(parse(["--port", "65535"]).port, 65535);
  assert.equal(parse([], { JANUS_HTTP_PORT: "0" }).port, 0);
});

Deno.test("a port out of range or not a whole number is a usage error", () => {
  for (const port of ["65536", "-1", "1.5", "1e3", "0x10", "abc", "", " 80", "99999999999999999999"]) {
    assert.match(
      usageError([`--port=${port}`]).message,
      /--port must be a whole number from 0 to 65535/,
      port,
    );
  }
  assert.match(usageError([], { JANUS_HTTP_PORT: "http" }).message, /not "http"/);
});

Deno.test("a non-loopback host needs --allow-remote when HTTP is served", () => {
  for (const transport of ["http", "both"]) {
    for (const host of ["0.0.0.0", "192.168.1.10", "::", "box.lan"]) {
      const error = usageError(["--transport", transport, "--host", host]);
      assert.match(error.message, /--allow-remote/);
      assert.ok(error.message.includes(host));
    }
  }
  assert.match(
    usageError([], { JANUS_TRANSPORT: "http", JANUS_HTTP_HOST: "0.0.0.0" }).message,
    /--allow-remote/,
  );
});

Deno.test("--allow-remote permits a non-loopback host", () => {
  assert.deepEqual(
    parse(["--http", "--host", "0.0.0.0", "--allow-remote"]),
    { ...DEFAULTS, transport: "http", host: "0.0.0.0", allowRemote: true },
  );
});

Deno.test("loopback hosts need no --allow-remote", () => {
  for (const host of ["127.0.0.1", "127.0.0.5", "localhost", "::1", "[::1]"]) {
    assert.equal(parse(["--http", "--host", host]).host, host);
  }
});

Deno.test("a non-loopback host with stdio transport is accepted, as nothing listens", () => {
  assert.deepEqual(parse(["--host", "0.0.0.0"]), { ...DEFAULTS, host: "0.0.0.0" });
  assert.equal(parse([], { JANUS_HTTP_HOST: "192.168.1.10" }).host, "192.168.1.10");
});

Deno.test("--session-idle-timeout takes whole seconds from 1 to a week", () => {
  assert.equal(parse(["--session-idle-timeout", "1"]).sessionIdleSeconds, 1);
  assert.equal(parse(["--session-idle-timeout", "604800"]).sessionIdleSeconds, 604800);
  assert.equal(parse(["--session-idle-timeout=90"]).sessionIdleSeconds, 90);
  for (const seconds of ["0", "604801", "1.5", "-5", "ten", ""]) {
    assert.match(
      usageError([`--session-idle-timeout=${seconds}`]).message,
      /--session-idle-timeout must be a whole number from 1 to 604800/,
      seconds,
    );
  }
});

Deno.test("unknown flags, positional arguments and missing values are usage errors", () => {
  assert.match(usageError(["--verbose"]).message, /--verbose/);
  usageError(["--allow_remote"]);
  usageError(["extra"]);
  usageError(["--port"]);
  usageError(["--http=yes"]);
});
