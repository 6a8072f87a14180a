/**
 * The per-user daemon as real processes: `janusmcp daemon start` spawns it detached on a free
 * port with a private state dir; the CLI then finds it through its metadata.
 */
import assert from "node:assert/strict";
import {
  type AgentFixture,
  agentFixture,
  type CliResult,
  envelope,
  fileAppears,
  freePort,
  ownStderr,
  spawnCli,
} from "../e2e/agent_cli_helpers.ts";
import { connectHttp, isAlive } from "../e2e/harness.ts";
import { type DaemonMetadata, metadataPath, readMetadata } from "../../lib/daemon/mod.ts";
import { writeMetadata } from "../../lib/daemon/metadata.ts";

interface DaemonFixture extends AgentFixture {
  port: number;
  /** Runs the CLI with this fixture's daemon port. */
  run(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>;
  metadata(): Promise<DaemonMetadata | undefined>;
}

/** A fixture with its own daemon port; stops whatever daemon it started when the test ends. */
async function withDaemonFixture(test: (f: DaemonFixture) => Promise<void>): Promise<void> {
  const base = await agentFixture();
  const port = freePort();
  const f: DaemonFixture = {
    ...base,
    port,
    run: (args, options = {}) =>
      base.cli(args, { ...options, env: { JANUS_DAEMON_PORT: String(port), ...options.env } }),
    metadata: () => readMetadata(metadataPath(base.stateDir)),
  };
  const pids = new Set<number>();
  try {
    await test(f);
  } finally {
    const left = await f.metadata();
    if (left) pids.add(left.pid);
    await f.run(["daemon", "stop"]);
    for (const pid of pids) if (isAlive(pid)) Deno.kill(pid, "SIGKILL");
    await base.cleanup();
  }
}

async function startDaemon(f: DaemonFixture): Promise<DaemonMetadata> {
  const started = await f.run(["daemon", "start", "--json"]);
  assert.equal(started.code, 0, started.stderr);
  const metadata = await f.metadata();
  assert.ok(metadata, "metadata written");
  return metadata;
}

Deno.test("daemon start waits until ready and writes private metadata; a second start is a no-op; stop ends it", async () => {
  await withDaemonFixture(async (f) => {
    const first = await f.run(["daemon", "start", "--json"]);
    assert.equal(first.code, 0, first.stderr);
    const shown = JSON.parse(first.stdout);
    assert.equal(shown.started, true);
    assert.equal(shown.endpoint, `http://127.0.0.1:${f.port}`);
    assert.equal(shown.token, undefined, "the token is never printed");
    const metadata = await f.metadata();
    assert.ok(metadata);
    assert.equal(metadata.pid, shown.pid);
    assert.equal(metadata.configPath, f.configPath);
    assert.match(metadata.token, /^[A-Za-z0-9_-]{43}$/);
    assert.match(metadata.configFingerprint, /^sha256:[0-9a-f]{64}$/);
    assert.equal(((await Deno.stat(metadataPath(f.stateDir))).mode ?? -1) & 0o777, 0o600);
    assert.equal(((await Deno.stat(metadata.logPath)).mode ?? -1) & 0o777, 0o600);
    assert.ok(!(await Deno.readTextFile(metadata.logPath)).includes(metadata.token), "not in the log");

    const again = await f.run(["daemon", "start"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `Daemon already running (pid ${metadata.pid}) on ${metadata.endpoint}\n`);
    assert.deepEqual(await f.metadata(), metadata, "nothing changed");

    const status = JSON.parse((await f.run(["daemon", "status", "--json"])).stdout);
    assert.equal(status.state, "running");
    assert.equal(status.usable, true);
    assert.equal(status.token, undefined);

    const upstreamPid = Number((await f.run(["call", "pid"])).stdout);
    const stopped = await f.run(["daemon", "stop"]);
    assert.equal(stopped.stdout, `Daemon stopped (pid ${metadata.pid}).\n`);
    assert.equal(isAlive(metadata.pid), false);
    assert.equal(isAlive(upstreamPid), false, "its upstreams were closed");
    assert.equal(await f.metadata(), undefined);
    assert.equal((await f.run(["daemon", "status"])).stdout, "Daemon not running.\n");
    assert.equal((await f.run(["daemon", "stop"])).stdout, "No daemon was running.\n");
  });
});

Deno.test("repeated calls through the daemon reuse one upstream process; --direct starts its own", async () => {
  await withDaemonFixture(async (f) => {
    await startDaemon(f);
    const pids = [];
    for (let i = 0; i < 3; i++) {
      const result = await f.run(["call", "pid"]);
      assert.equal(result.code, 0, result.stderr);
      pids.push(result.stdout);
    }
    assert.equal(new Set(pids).size, 1, `one upstream instance: ${pids}`);
    assert.equal((await f.run(["call", "pid", "--daemon"])).stdout, pids[0]);
    const direct = await f.run(["call", "pid", "--direct"]);
    assert.notEqual(direct.stdout, pids[0], "in-process mode starts its own upstream");
    assert.equal((await f.run(["call", "pid"], { env: { JANUS_DAEMON: "off" } })).stdout === pids[0], false);
  });
});

Deno.test("output through the daemon is byte-identical to in-process output, errors and exit codes included", async () => {
  await withDaemonFixture(async (f) => {
    await startDaemon(f);
    const cases = [
      ["tools"],
      ["tools", "both", "--json"],
      ["schema", "echo"],
      ["schema", "only_a2", "--account", "a2", "--json"],
      ["call", "echo", "--args", '{"text":"same"}'],
      ["call", "echo", "--args", '{"text":"same"}', "--json"],
      ["call", "fail"],
      ["call", "fail", "--json"],
      ["call", "ask_name", "--json"],
      ["call", "nope", "--json"],
      ["call", "echo", "--account", "broken", "--json"],
      ["tools", "zz"],
    ];
    for (const args of cases) {
      const direct = await f.run([...args, "--direct"]);
      const daemon = await f.run([...args, "--daemon"]);
      const label = args.join(" ");
      assert.equal(daemon.code, direct.code, label);
      assert.equal(daemon.stdout, direct.stdout, label);
      assert.equal(ownStderr(daemon.stderr), ownStderr(direct.stderr), label);
    }
    // use, then the ambiguity it creates, the same way round.
    assert.equal(
      (await f.run(["use", "both", "--daemon"])).stdout,
      'Now using profile "both" (was account "a1").\n',
    );
    const direct = await f.run(["call", "echo", "--json", "--direct"]);
    const daemon = await f.run(["call", "echo", "--json", "--daemon"]);
    assert.equal(daemon.code, 3);
    assert.equal(daemon.stderr, direct.stderr);
  });
});

Deno.test("every daemon endpoint refuses requests without the right token", async () => {
  await withDaemonFixture(async (f) => {
    const metadata = await startDaemon(f);
    const requests: [string, string][] = [
      ["GET", "/daemon/health"],
      ["POST", "/daemon/agent"],
      ["POST", "/daemon/shutdown"],
      ["POST", "/mcp"],
      ["GET", "/healthz"],
    ];
    // A missing or wrong token is 401; a malformed Authorization header is 400 (RFC 6750).
    const refusals: [string | undefined, number][] = [
      [undefined, 401],
      ["Bearer wrong-token", 401],
      [`Basic ${metadata.token}`, 400],
      ["Bearer ", 400],
    ];
    for (const [authorization, status] of refusals) {
      for (const [method, path] of requests) {
        const response = await fetch(`${metadata.endpoint}${path}`, {
          method,
          headers: authorization ? { authorization } : {},
          body: method === "POST" ? JSON.stringify({ op: "tools" }) : undefined,
        });
        await response.body?.cancel();
        assert.equal(response.status, status, `${method} ${path} with ${authorization}`);
      }
    }
    const health = await fetch(`${metadata.endpoint}/daemon/health`, {
      headers: { authorization: `Bearer ${metadata.token}` },
    });
    assert.equal(health.status, 200);
    assert.equal((await health.json()).pid, metadata.pid);
    assert.ok(isAlive(metadata.pid), "the refused shutdown did not stop it");

    // With the token, /mcp is the same MCP endpoint as serve --http.
    const { client } = await connectHttp(metadata.endpoint, "2025-11-25", {
      authorization: `Bearer ${metadata.token}`,
    });
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes("janus_whoami") && names.includes("only_a1"), names.join(", "));
    } finally {
      await client.close();
    }
  });
});

Deno.test("restart rotates the token; the old one is refused", async () => {
  await withDaemonFixture(async (f) => {
    const before = await startDaemon(f);
    const restarted = await f.run(["daemon", "restart", "--json"]);
    assert.equal(restarted.code, 0, restarted.stderr);
    const after = await f.metadata();
    assert.ok(after);
    assert.notEqual(after.pid, before.pid);
    assert.notEqual(after.token, before.token);
    const old = await fetch(`${after.endpoint}/daemon/health`, {
      headers: { authorization: `Bearer ${before.token}` },
    });
    await old.body?.cancel();
    assert.equal(old.status, 401);
    assert.equal((await f.run(["call", "whoami", "--daemon"])).stdout, "account:a1\n");
  });
});

Deno.test("stale metadata of a dead daemon is cleaned up by status, by calls and by start", async () => {
  await withDaemonFixture(async (f) => {
    const dead = new Deno.Command("true").spawn();
    await dead.status;
    const stale: DaemonMetadata = {
      pid: dead.pid,
      endpoint: `http://127.0.0.1:${f.port}`,
      token: "x".repeat(43),
      version: "0.1.0",
      configPath: f.configPath,
      configFingerprint: "sha256:stale",
      startedAt: new Date().toISOString(),
      logPath: `${f.stateDir}/daemon.log`,
    };
    await writeMetadata(metadataPath(f.stateDir), stale);
    const status = await f.run(["daemon", "status"]);
    assert.equal(status.stdout, `Daemon not running (removed stale metadata of pid ${dead.pid}).\n`);
    assert.equal(await f.metadata(), undefined);

    // A call finds it dead (matching settings, no answer): it runs in-process and cleans up.
    const { configFingerprint } = await import("../../lib/daemon/metadata.ts");
    await writeMetadata(metadataPath(f.stateDir), {
      ...stale,
      configFingerprint: await configFingerprint(f.configPath),
    });
    const call = await f.run(["call", "whoami"]);
    assert.equal(call.code, 0, call.stderr);
    assert.equal(call.stdout, "account:a1\n");
    assert.equal(await f.metadata(), undefined);

    await writeMetadata(metadataPath(f.stateDir), stale);
    const started = await f.run(["daemon", "start"]);
    assert.equal(started.code, 0, started.stderr);
    assert.match(ownStderr(started.stderr), new RegExp(`removed stale metadata of daemon pid ${dead.pid}`));
    assert.notEqual((await f.metadata())?.pid, dead.pid);
  });
});

Deno.test("a changed config or another version is noted on stderr and run in-process; require exits 5", async () => {
  await withDaemonFixture(async (f) => {
    const metadata = await startDaemon(f);
    const daemonPid = (await f.run(["call", "pid"])).stdout;

    await Deno.writeTextFile(f.configPath, `${await Deno.readTextFile(f.configPath)}\n`);
    const changed = await f.run(["call", "pid"]);
    assert.equal(changed.code, 0, changed.stderr);
    assert.notEqual(changed.stdout, daemonPid, "ran in-process");
    assert.match(
      ownStderr(changed.stderr),
      /^janusmcp: note: not using the daemon: its config .* has changed since it started; running directly\n$/,
    );
    const required = await f.run(["call", "pid", "--json"], { env: { JANUS_DAEMON: "require" } });
    assert.equal(required.code, 5);
    assert.equal(envelope(required).error.code, "daemon_unavailable");
    assert.match(
      envelope(required).error.message,
      /has changed since it started; run "janusmcp daemon restart"/,
    );
    const status = JSON.parse((await f.run(["daemon", "status", "--json"])).stdout);
    assert.equal(status.usable, false);

    // Another version: the daemon's own word in its metadata.
    await f.run(["daemon", "restart"]);
    const fresh = await f.metadata();
    assert.ok(fresh && fresh.pid !== metadata.pid);
    await writeMetadata(metadataPath(f.stateDir), { ...fresh, version: "9.9.9" });
    const other = await f.run(["call", "whoami"]);
    assert.equal(other.code, 0);
    assert.match(ownStderr(other.stderr), /not using the daemon: it is version 9\.9\.9, this is 0\.1\.0/);
    const forced = await f.run(["call", "whoami", "--daemon"]);
    assert.equal(forced.code, 5);
    await writeMetadata(metadataPath(f.stateDir), fresh);
  });
});

Deno.test("--daemon or JANUS_DAEMON=require without a daemon exits 5; a port in use is a clear error", async () => {
  await withDaemonFixture(async (f) => {
    const none = await f.run(["tools", "--daemon", "--json"]);
    assert.equal(none.code, 5);
    assert.deepEqual(envelope(none).error, {
      code: "daemon_unavailable",
      message: 'cannot use the daemon: none is running; start one with "janusmcp daemon start"',
    });
    const listener = Deno.listen({ hostname: "127.0.0.1", port: f.port });
    try {
      const busy = await f.run(["daemon", "start", "--json"]);
      assert.equal(busy.code, 2);
      assert.match(
        envelope(busy).error.message,
        new RegExp(`port ${f.port} on 127.0.0.1 is already in use.*JANUS_DAEMON_PORT`),
      );
      assert.equal(await f.metadata(), undefined);
    } finally {
      listener.close();
    }
  });
});

Deno.test("through the daemon, SIGINT exits 130 and --timeout 124, and the upstream sees each call cancelled", async () => {
  await withDaemonFixture(async (f) => {
    await startDaemon(f);
    const slow = [
      "call",
      "slow",
      "--account",
      "a1",
      "--args",
      '{"ms":8000}',
      "--daemon",
      "--config",
      f.configPath,
    ];
    const child = spawnCli(slow, {
      JANUS_STATE_DIR: f.stateDir,
      JANUS_DAEMON_PORT: String(f.port),
    });
    assert.ok(await fileAppears(`${f.marks}/started-a1`));
    child.kill("SIGINT");
    assert.equal((await child.output()).code, 130);
    assert.ok(await fileAppears(`${f.marks}/cancelled-a1`, 10_000), "the upstream saw the cancellation");

    await Deno.remove(`${f.marks}/cancelled-a1`);
    await Deno.remove(`${f.marks}/started-a1`);
    const timedOut = await f.run([
      "call",
      "slow",
      "--account",
      "a1",
      "--args",
      '{"ms":8000}',
      "--timeout",
      "3s",
    ]);
    assert.equal(timedOut.code, 124, timedOut.stderr);
    assert.ok(await fileAppears(`${f.marks}/cancelled-a1`, 10_000), "the upstream saw the cancellation");
    // The daemon and its upstream are still there for the next call.
    assert.equal((await f.run(["call", "whoami", "--daemon"])).stdout, "account:a1\n");
  });
});

Deno.test("daemon start or restart with an invalid config exits 3 naming the problem and changes nothing", async () => {
  await withDaemonFixture(async (f) => {
    const good = await Deno.readTextFile(f.configPath);
    await Deno.writeTextFile(f.configPath, '{"accounts": [{"id": "x", "service": "s"}]}');
    const result = await f.run(["daemon", "start", "--json"]);
    assert.equal(result.code, 3);
    assert.equal(envelope(result).error.code, "config");
    assert.match(envelope(result).error.message, /accounts\[0\]\.command/);
    assert.equal(await f.metadata(), undefined);

    // restart with a broken config leaves the running daemon running.
    await Deno.writeTextFile(f.configPath, good);
    const running = await startDaemon(f);
    await Deno.writeTextFile(f.configPath, '{"accounts": [{"id": "x", "service": "s"}]}');
    assert.equal((await f.run(["daemon", "restart"])).code, 3);
    assert.deepEqual(await f.metadata(), running);
    assert.ok(isAlive(running.pid));
    await Deno.writeTextFile(f.configPath, good);
  });
});
