import assert from "node:assert/strict";
import { join } from "node:path";
import {
  configFingerprint,
  type DaemonMetadata,
  daemonPort,
  daemonStateDir,
  metadataPath,
  readMetadata,
  removeMetadata,
  writeMetadata,
} from "../../lib/daemon/metadata.ts";
import { settingsMismatch } from "../../lib/daemon/lifecycle.ts";
import { JanusError } from "../../lib/errors.ts";

const SAMPLE: DaemonMetadata = {
  pid: 4242,
  endpoint: "http://127.0.0.1:7335",
  token: "t".repeat(43),
  version: "0.1.0",
  configPath: "/home/u/.config/janusmcp/config.json",
  configFingerprint: "sha256:abc",
  startedAt: "2026-11-25T10:00:00.000Z",
  logPath: "/home/u/.config/janusmcp/daemon.log",
};

async function withDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "janus-daemon-meta-" });
  try {
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("metadata is written atomically with mode 0600 and read back as written", async () => {
  await withDir(async (dir) => {
    const path = metadataPath(join(dir, "state"));
    await writeMetadata(path, SAMPLE);
    assert.deepEqual(await readMetadata(path), SAMPLE);
    assert.equal(((await Deno.stat(path)).mode ?? -1) & 0o777, 0o600);
    assert.equal(((await Deno.stat(join(dir, "state"))).mode ?? -1) & 0o777, 0o700);
    assert.deepEqual([...Deno.readDirSync(join(dir, "state"))].map((e) => e.name), ["daemon.json"]);
  });
});

Deno.test("missing, unparsable or foreign-shaped metadata reads as none", async () => {
  await withDir(async (dir) => {
    const path = metadataPath(dir);
    assert.equal(await readMetadata(path), undefined);
    await Deno.writeTextFile(path, "{not json");
    assert.equal(await readMetadata(path), undefined);
    await Deno.writeTextFile(path, JSON.stringify({ ...SAMPLE, pid: "4242" }));
    assert.equal(await readMetadata(path), undefined);
    await Deno.writeTextFile(path, JSON.stringify({ ...SAMPLE, token: "" }));
    assert.equal(await readMetadata(path), undefined);
  });
});

Deno.test("removeMetadata leaves a newer daemon's file alone", async () => {
  await withDir(async (dir) => {
    const path = metadataPath(dir);
    await writeMetadata(path, SAMPLE);
    await removeMetadata(path, 1);
    assert.deepEqual(await readMetadata(path), SAMPLE, "another pid's metadata is kept");
    await removeMetadata(path, SAMPLE.pid);
    assert.equal(await readMetadata(path), undefined);
    await removeMetadata(path, SAMPLE.pid); // already gone: no error
  });
});

Deno.test("the config fingerprint follows the file's path and bytes, and names a missing file", async () => {
  await withDir(async (dir) => {
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    await Deno.writeTextFile(a, "{}");
    await Deno.writeTextFile(b, "{}");
    const first = await configFingerprint(a);
    assert.match(first, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await configFingerprint(a), first, "stable");
    assert.notEqual(await configFingerprint(b), first, "same bytes, another file");
    await Deno.writeTextFile(a, "{} ");
    assert.notEqual(await configFingerprint(a), first, "one byte more");
    assert.match(await configFingerprint(join(dir, "missing.json")), /^sha256:/);
  });
});

Deno.test("settingsMismatch names the version, the config path or a changed config; none when all match", () => {
  const wanted = { version: "0.1.0", configPath: SAMPLE.configPath, configFingerprint: "sha256:abc" };
  assert.equal(settingsMismatch(SAMPLE, wanted), undefined);
  assert.equal(
    settingsMismatch(SAMPLE, { ...wanted, version: "0.2.0" }),
    "it is version 0.1.0, this is 0.2.0",
  );
  assert.match(settingsMismatch(SAMPLE, { ...wanted, configPath: "/x.json" }) ?? "", /another config/);
  assert.match(settingsMismatch(SAMPLE, { ...wanted, configFingerprint: "sha256:new" }) ?? "", /has changed/);
});

Deno.test("the daemon port is 7335 unless JANUS_DAEMON_PORT names another; a bad value is a usage error", () => {
  assert.equal(daemonPort(() => undefined), 7335);
  assert.equal(daemonPort((n) => n === "JANUS_DAEMON_PORT" ? "17000" : undefined), 17000);
  for (const bad of ["0", "65536", "http", "1.5", "-2"]) {
    assert.throws(
      () => daemonPort(() => bad),
      (error: unknown) =>
        error instanceof JanusError && error.code === "usage" && error.message.includes(bad),
    );
  }
});

Deno.test("the state dir is JANUS_STATE_DIR, else the user config dir", () => {
  assert.equal(daemonStateDir((n) => n === "JANUS_STATE_DIR" ? "/tmp/s" : undefined), "/tmp/s");
  const env: Record<string, string> = { HOME: "/home/u" };
  if (Deno.build.os === "linux") assert.equal(daemonStateDir((n) => env[n]), "/home/u/.config/janusmcp");
});
