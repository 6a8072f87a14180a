/**
 * Shared set-up for the agent CLI and daemon tests: a config of fixture accounts in a temp dir
 * (with a mark dir the slow tool writes to), the CLI run as a real process, and parsing helpers.
 */
import { fixtureAccount, janusmcpArgs, REPO, runCli } from "./harness.ts";

/** A temp dir holding a config of fixture accounts, a state dir for the daemon and a mark dir. */
export interface AgentFixture {
  dir: string;
  configPath: string;
  stateDir: string;
  marks: string;
  /** Runs `janusmcp ARGS --config CONFIG` with the fixture's state dir and `env` on top. */
  cli(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>;
  cleanup(): Promise<void>;
}

/** A finished CLI process. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Accounts a1, a2 (2026-capable fixtures), old (a 2025-only fixture) and broken (cannot start);
 * profile "both" = a1 + a2. `extra` is merged into the config (bindingMode, defaultAccount…).
 */
export async function agentFixture(extra: Record<string, unknown> = {}): Promise<AgentFixture> {
  const dir = await Deno.makeTempDir({ prefix: "janus-agent-" });
  const marks = `${dir}/marks`;
  const stateDir = `${dir}/state`;
  await Deno.mkdir(marks);
  const account = (id: string, env: Record<string, string> = {}) =>
    fixtureAccount(id, { env: { FIXTURE_ACCOUNT: id, FIXTURE_MARK_DIR: marks, ...env } });
  const config = {
    accounts: [
      account("a1"),
      account("a2"),
      account("old", { FIXTURE_ERA: "legacy" }),
      { id: "broken", service: "fixture", command: `${dir}/no-such-program` },
    ],
    profiles: { both: ["a1", "a2"] },
    ...extra,
  };
  const configPath = `${dir}/config.json`;
  await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));
  return {
    dir,
    configPath,
    stateDir,
    marks,
    cli: (args, options = {}) =>
      runCli([...args, "--config", configPath], {
        stdin: options.stdin,
        env: { JANUS_STATE_DIR: stateDir, JANUS_DAEMON: "auto", NO_COLOR: "1", ...options.env },
      }),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

/** stderr without Deno's notice about permissions in deno.json. */
export function ownStderr(stderr: string): string {
  return stderr.split("\n").filter((line) => !/^Warning Permissions in the config file/.test(line)).join(
    "\n",
  );
}

/** The one `--json` error envelope on stderr. */
export function envelope(result: CliResult): { ok: boolean; error: { code: string; message: string } } {
  const lines = ownStderr(result.stderr).trim().split("\n");
  if (lines.length !== 1) throw new Error(`expected one stderr line, got:\n${result.stderr}`);
  return JSON.parse(lines[0]);
}

/** Starts `janusmcp ARGS` without waiting (for signals), stdin closed. */
export function spawnCli(args: string[], env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command("deno", {
    args: janusmcpArgs(...args),
    cwd: REPO,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Resolves once `path` exists (false after `ms`). */
export async function fileAppears(path: string, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      await Deno.stat(path);
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
