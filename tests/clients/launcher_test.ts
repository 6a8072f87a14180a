import assert from "node:assert/strict";
import {
  isDenoExecutable,
  launchSpec,
  quoteArg,
  quoteCommand,
  whichOnPath,
} from "../../lib/clients/launcher.ts";
import { JanusError } from "../../lib/errors.ts";
import { BROKER_RUN_FLAGS } from "../../lib/run_flags.ts";

const nothing = () => false;
const none = () => undefined;

Deno.test("the compiled binary is started by its own absolute path", () => {
  const spec = launchSpec({
    execPath: "/opt/Jan us/janusmcp",
    mainModule: "file:///snapshot/main.ts",
    exists: nothing,
    which: none,
  });
  assert.deepEqual(spec, { command: "/opt/Jan us/janusmcp", args: ["serve"], env: {} });
  assert.equal(isDenoExecutable("C:\\Tools\\janusmcp.exe"), false);
  assert.equal(isDenoExecutable("C:\\Tools\\deno.exe"), true);
});

Deno.test("from a checkout, deno runs main.ts with the project's config and named permission set", () => {
  const spec = launchSpec({
    execPath: "/usr/bin/deno",
    mainModule: "file:///home/ada/my%20code/janusmcp/main.ts",
    exists: (path) => path === "/home/ada/my code/janusmcp/deno.json",
    which: none,
    configPath: "/home/ada/work config.json",
  });
  assert.deepEqual(spec, {
    command: "/usr/bin/deno",
    args: [
      "run",
      "--quiet",
      "--config=/home/ada/my code/janusmcp/deno.json",
      ...BROKER_RUN_FLAGS,
      "/home/ada/my code/janusmcp/main.ts",
      "serve",
    ],
    env: { JANUS_CONFIG: "/home/ada/work config.json" },
  });
});

Deno.test("otherwise an installed janusmcp on PATH is used, and without one the error says what to do", () => {
  const facts = { execPath: "/usr/bin/deno", mainModule: "https://example.com/main.ts", exists: nothing };
  assert.equal(
    launchSpec({ ...facts, which: () => "/home/ada/.deno/bin/janusmcp" }).command,
    "/home/ada/.deno/bin/janusmcp",
  );
  try {
    launchSpec({ ...facts, which: none });
    assert.fail("expected an error");
  } catch (error) {
    assert.ok(error instanceof JanusError);
    assert.match(error.message, /no janusmcp is on PATH; install the binary or run this from a checkout/);
  }
});

Deno.test("printed commands quote what the shell would split or expand", () => {
  assert.equal(quoteArg("/usr/bin/deno", "linux"), "/usr/bin/deno");
  assert.equal(quoteArg("/a b/it's", "linux"), `'/a b/it'\\''s'`);
  assert.equal(quoteArg(`{"a":"b c"}`, "darwin"), `'{"a":"b c"}'`);
  assert.equal(quoteArg("C:\\Program Files\\janusmcp.exe", "windows"), `"C:\\Program Files\\janusmcp.exe"`);
  assert.equal(quoteArg(`{"a":1}`, "windows"), `"{\\"a\\":1}"`);
  assert.equal(quoteCommand(["claude", "mcp", "remove", "x y"], "linux"), "claude mcp remove 'x y'");
});

Deno.test("PATH lookup finds the first match, and PATHEXT names on Windows", () => {
  const files = new Set(["/b/claude", "C:\\bin/claude.cmd"]);
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(whichOnPath("claude", env({ PATH: "/a::/b" }), "linux", (p) => files.has(p)), "/b/claude");
  assert.equal(whichOnPath("claude", env({ PATH: "/a" }), "linux", (p) => files.has(p)), undefined);
  assert.equal(
    whichOnPath("claude", env({ PATH: "C:\\bin", PATHEXT: ".EXE;.CMD" }), "windows", (p) => files.has(p)),
    "C:\\bin/claude.cmd",
  );
});
