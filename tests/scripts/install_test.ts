/**
 * `deno task install` from a checkout: the launcher it writes carries exactly the janusmcp
 * permission set, and the installed command works — `--version`, and `serve` answering
 * tools/list to a real MCP client.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { PRODUCT } from "../../lib/version.ts";
import { permissionFlags, readPermissionSet } from "../../scripts/permission_flags.ts";
import { installOptions } from "../../scripts/install.ts";
import { fixtureAccount, REPO } from "../e2e/harness.ts";

Deno.test("permission flags grant exactly the set: all, a list (paths resolved against deno.json), or nothing", () => {
  assert.deepEqual(
    permissionFlags(
      { read: ["./data", "/abs"], write: true, net: ["127.0.0.1"], sys: [], ffi: false },
      "/repo",
    ),
    ["--allow-read=/repo/data,/abs", "--allow-write", "--allow-net=127.0.0.1"],
  );
});

Deno.test("install options: --root and --help are read; an unknown option or a missing value is a problem, not a crash", async () => {
  assert.deepEqual(installOptions(["--root", "/tmp/x"]), { root: "/tmp/x", help: false });
  assert.deepEqual(installOptions(["--help"]), { root: undefined, help: true });
  assert.match(String((installOptions(["--bogus"]) as { problem: string }).problem), /--bogus/);
  assert.ok("problem" in installOptions(["--root"]), "a --root without its value");
  const run = await new Deno.Command("deno", {
    args: ["task", "--quiet", "install", "--bogus"],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(run.stderr);
  assert.equal(run.code, 2, stderr);
  assert.match(stderr, /Usage: deno task install \[--root DIR\]/);
  assert.doesNotMatch(stderr, /Uncaught|at checkOptionUsage/, "no stack trace");
});

Deno.test("a permission kind the script cannot translate is refused, not dropped", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ permissions: { janusmcp: { hrtime: true } } }),
  );
  await assert.rejects(
    readPermissionSet(`${dir}/deno.json`),
    /has "hrtime", which this script cannot translate/,
  );
  await assert.rejects(readPermissionSet(`${dir}/deno.json`, "other"), /has no permission set "other"/);
});

Deno.test("deno task install writes a janusmcp launcher with the named set that serves tools/list", async () => {
  const root = await Deno.makeTempDir({ prefix: "janus install root " });
  const install = await new Deno.Command("deno", {
    args: ["task", "--quiet", "install", "--root", root],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const said = new TextDecoder().decode(install.stdout) + new TextDecoder().decode(install.stderr);
  assert.equal(install.code, 0, said);
  assert.match(said, new RegExp(`Installed janusmcp ${PRODUCT.version.replaceAll(".", "\\.")} as `));

  const launcher = `${root}/bin/janusmcp${Deno.build.os === "windows" ? ".cmd" : ""}`;
  if (Deno.build.os !== "windows") {
    const script = await Deno.readTextFile(launcher);
    const granted = [...script.matchAll(/--allow-[a-z]+(=\S+)?/g)].map((m) => m[0]);
    assert.deepEqual(granted, permissionFlags(await readPermissionSet(`${REPO}deno.json`), REPO));
    assert.doesNotMatch(script, /--allow-all|\s-A\s/);
  }

  const version = await new Deno.Command(launcher, { args: ["--version"], stdout: "piped" }).output();
  assert.equal(new TextDecoder().decode(version.stdout), `janusmcp ${PRODUCT.version}\n`);

  const dir = await Deno.makeTempDir({ prefix: "janus installed config " });
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ accounts: [fixtureAccount("alpha")] }));
  const env: Record<string, string> = { ...getDefaultEnvironment() };
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir !== undefined) env.DENO_DIR = denoDir;
  const client = new Client({ name: "installed", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: launcher,
      args: ["serve", "--config", `${dir}/config.json`],
      env,
      cwd: dir,
    }),
  );
  try {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    assert.ok(names.includes("janus_whoami"));
    assert.ok(names.includes("only_alpha"));
  } finally {
    await client.close();
  }
});
