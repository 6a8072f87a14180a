import assert from "node:assert/strict";
import { join } from "node:path";
import { locateConfig, type LocateOptions, userConfigDir } from "../../lib/config_location.ts";
import { JanusError } from "../../lib/errors.ts";

function options(
  os: typeof Deno.build.os,
  vars: Record<string, string>,
  files: string[] = [],
  extra: Partial<LocateOptions> = {},
): LocateOptions {
  return {
    env: (name) => vars[name],
    cwd: os === "windows" ? "C:\\work" : "/work",
    os,
    exists: (path) => files.includes(path),
    ...extra,
  };
}

Deno.test("JANUS_CONFIG wins over everything and is used as given, even if missing", () => {
  const opts = options("linux", { JANUS_CONFIG: "conf/janus.jsonc", HOME: "/home/u" }, ["/work/config.json"]);
  assert.deepEqual(locateConfig(opts), { path: "conf/janus.jsonc", source: "JANUS_CONFIG" });
});

Deno.test("an empty JANUS_CONFIG counts as unset", () => {
  const opts = options("linux", { JANUS_CONFIG: "", HOME: "/home/u" });
  assert.deepEqual(locateConfig(opts), { path: "/home/u/.config/janusmcp/config.json", source: "user" });
});

Deno.test("config.json in the working directory wins over the user config when it exists", () => {
  const opts = options("linux", { HOME: "/home/u" }, [
    "/work/config.json",
    "/home/u/.config/janusmcp/config.json",
  ]);
  assert.deepEqual(locateConfig(opts), { path: "/work/config.json", source: "cwd" });
});

Deno.test("without JANUS_CONFIG or a local file the user config is chosen even if missing", () => {
  assert.deepEqual(locateConfig(options("linux", { HOME: "/home/u" })), {
    path: "/home/u/.config/janusmcp/config.json",
    source: "user",
  });
});

Deno.test("linux uses XDG_CONFIG_HOME when it is an absolute path", () => {
  assert.equal(
    userConfigDir(options("linux", { HOME: "/home/u", XDG_CONFIG_HOME: "/xdg" })),
    "/xdg/janusmcp",
  );
  assert.equal(
    userConfigDir(options("linux", { HOME: "/home/u", XDG_CONFIG_HOME: "relative/xdg" })),
    "/home/u/.config/janusmcp",
  );
  assert.equal(
    userConfigDir(options("linux", { HOME: "/home/u", XDG_CONFIG_HOME: "" })),
    "/home/u/.config/janusmcp",
  );
});

Deno.test("other unixes follow the linux rules", () => {
  assert.equal(userConfigDir(options("freebsd", { HOME: "/home/u" })), "/home/u/.config/janusmcp");
  assert.equal(userConfigDir(options("android", { XDG_CONFIG_HOME: "/x" })), "/x/janusmcp");
});

Deno.test("an injected home directory takes precedence over HOME", () => {
  assert.equal(
    userConfigDir(options("linux", { HOME: "/home/u" }, [], { home: "/h" })),
    "/h/.config/janusmcp",
  );
});

Deno.test("macOS uses Library/Application Support", () => {
  assert.deepEqual(locateConfig(options("darwin", { HOME: "/Users/u", XDG_CONFIG_HOME: "/xdg" })), {
    path: "/Users/u/Library/Application Support/janusmcp/config.json",
    source: "user",
  });
});

Deno.test("windows uses APPDATA with backslashes", () => {
  assert.deepEqual(locateConfig(options("windows", { APPDATA: "C:\\Users\\u\\AppData\\Roaming" })), {
    path: "C:\\Users\\u\\AppData\\Roaming\\janusmcp\\config.json",
    source: "user",
  });
});

Deno.test("windows falls back to the profile's Roaming folder without APPDATA", () => {
  assert.equal(
    userConfigDir(options("windows", { USERPROFILE: "C:\\Users\\u" })),
    "C:\\Users\\u\\AppData\\Roaming\\janusmcp",
  );
});

Deno.test("windows looks for config.json in the working directory with its own separator", () => {
  const opts = options("windows", { APPDATA: "C:\\A" }, ["C:\\work\\config.json"]);
  assert.deepEqual(locateConfig(opts), { path: "C:\\work\\config.json", source: "cwd" });
});

Deno.test("no home directory at all is a config error that points at JANUS_CONFIG", () => {
  assert.throws(
    () => locateConfig(options("linux", {})),
    (error: unknown) =>
      error instanceof JanusError && error.code === "config" && /JANUS_CONFIG/.test(error.message),
  );
  // An explicit path needs no home directory.
  assert.equal(locateConfig(options("linux", { JANUS_CONFIG: "/c.json" })).source, "JANUS_CONFIG");
});

/** Runs `locateConfigFromEnvironment` in a child process, so no test changes this process's cwd or env. */
async function locateInChild(cwd: string, env: Record<string, string>): Promise<unknown> {
  const module = new URL("../../lib/config_location.ts", import.meta.url).href;
  const script = `import { locateConfigFromEnvironment } from ${JSON.stringify(module)};
console.log(JSON.stringify(locateConfigFromEnvironment()));`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", script],
    cwd,
    env,
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "janus-locate-" }));
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the environment wrapper reads the process's JANUS_CONFIG", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "config.json"), "{}");
    const path = join(dir, "elsewhere.json");
    assert.deepEqual(await locateInChild(dir, { JANUS_CONFIG: path }), { path, source: "JANUS_CONFIG" });
  });
});

Deno.test("the environment wrapper finds config.json in the process's working directory", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "config.json"), "{}");
    assert.deepEqual(await locateInChild(dir, { JANUS_CONFIG: "" }), {
      path: join(dir, "config.json"),
      source: "cwd",
    });
  });
});

Deno.test("the environment wrapper falls back to the user config directory", async () => {
  await withTempDir(async (dir) => {
    const env = {
      JANUS_CONFIG: "",
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, "xdg"),
      APPDATA: join(dir, "appdata"),
    };
    const expected = Deno.build.os === "windows"
      ? join(dir, "appdata", "janusmcp", "config.json")
      : Deno.build.os === "darwin"
      ? join(dir, "Library", "Application Support", "janusmcp", "config.json")
      : join(dir, "xdg", "janusmcp", "config.json");
    assert.deepEqual(await locateInChild(dir, env), { path: expected, source: "user" });
  });
});
