/** `janusmcp daemon start|stop|restart|status`: the per-user background broker the CLI uses when it can. */
import { loadConfig } from "../config/mod.ts";
import { JanusError } from "../errors.ts";
import {
  configFingerprint,
  type DaemonMetadata,
  daemonPort,
  daemonStateDir,
  inspectDaemon,
  logPath,
  runDaemon,
  settingsMismatch,
  spawnDetached,
  startDaemon,
  stopDaemon,
} from "../daemon/mod.ts";
import { PRODUCT } from "../version.ts";
import { assertPositionals } from "./args.ts";
import { contextConfigPath, openBroker } from "./broker_setup.ts";
import type { CliContext, Command } from "./context.ts";
import { waitForStopSignal } from "./stop_signal.ts";
import { FACES } from "./faces.ts";

const USAGE = `Usage: janusmcp daemon start|stop|restart|status [--json] [--config PATH]

One background broker per user on 127.0.0.1 (port 7335, or JANUS_DAEMON_PORT) that keeps every
upstream warm: "tools", "schema", "call" and "use" run on it automatically when it serves the
same config file (unchanged) at the same version, and run in-process otherwise
(JANUS_DAEMON=auto|require|off, or --daemon / --direct). It also serves MCP at /mcp.

  start     start it and wait until it answers (at most 10 s); nothing happens if one with the
            same settings is running
  stop      stop it (upstreams are closed)
  restart   stop, then start (with a new token)
  status    whether it runs, and with what

Its metadata (pid, endpoint, bearer token, version, config path and fingerprint, start time,
log path) is daemon.json in JANUS_STATE_DIR, else the user config directory, mode 0600; its
log is daemon.log beside it. Every request needs the token. The daemon resolves \${ENV}
references from the environment it was started in.`;

export const daemonCommand: Command = {
  ...FACES.daemon,
  usage: USAGE,
  async run(args, ctx) {
    assertPositionals(args, "daemon", 1, "one of start, stop, restart, status");
    const env = ctx.env ?? ((name: string) => Deno.env.get(name));
    const stateDir = daemonStateDir(env);
    switch (args.positionals[0]) {
      case "start":
        return await start(ctx, stateDir, env);
      case "stop":
        return await stop(ctx, stateDir);
      case "restart":
        // A config the new daemon could not start with must not cost the running one.
        await loadConfig(contextConfigPath(ctx));
        await stop(ctx, stateDir, true);
        return await start(ctx, stateDir, env);
      case "status":
        return await status(ctx, stateDir);
      case "run":
        return await runInForeground(ctx, stateDir, env);
      case undefined:
        throw new JanusError("usage", `daemon needs a subcommand: start, stop, restart or status`);
      default:
        throw new JanusError(
          "usage",
          `unknown daemon subcommand ${JSON.stringify(args.positionals[0])}: start, stop, restart or status`,
        );
    }
  },
};

/** What may be shown about a daemon: everything in its metadata but the token. */
function describe(metadata: DaemonMetadata): Omit<DaemonMetadata, "token"> {
  const { token: _secret, ...shown } = metadata;
  return shown;
}

async function start(ctx: CliContext, stateDir: string, env: (name: string) => string | undefined) {
  const port = daemonPort(env);
  const configPath = contextConfigPath(ctx);
  // An invalid config is reported here, whole, rather than as the last line of the daemon's log.
  await loadConfig(configPath);
  const settings = {
    stateDir,
    port,
    version: PRODUCT.version,
    configPath,
    configFingerprint: await configFingerprint(configPath),
  };
  const outcome = await startDaemon(settings, () =>
    spawnDetached(["daemon", "run", "--config", configPath], {
      ...Deno.env.toObject(),
      JANUS_STATE_DIR: stateDir,
      JANUS_DAEMON_PORT: String(port),
    }));
  const { metadata } = outcome;
  if (ctx.json) {
    ctx.out(`${JSON.stringify({ ok: true, started: outcome.started, ...describe(metadata) })}\n`);
  } else {
    if (outcome.cleaned) ctx.err(`janusmcp: removed stale metadata of daemon pid ${outcome.cleaned.pid}\n`);
    ctx.out(
      outcome.started
        ? `Daemon started (pid ${metadata.pid}) on ${metadata.endpoint}; log: ${metadata.logPath}\n`
        : `Daemon already running (pid ${metadata.pid}) on ${metadata.endpoint}\n`,
    );
  }
  return 0;
}

async function stop(ctx: CliContext, stateDir: string, quiet = false) {
  const outcome = await stopDaemon(stateDir);
  if (quiet) return 0;
  if (ctx.json) {
    ctx.out(
      `${JSON.stringify({ ok: true, stopped: outcome.stopped !== undefined, pid: outcome.stopped?.pid })}\n`,
    );
  } else if (outcome.stopped) {
    ctx.out(`Daemon stopped (pid ${outcome.stopped.pid}).\n`);
  } else {
    ctx.out(
      outcome.stale
        ? `No daemon was running (removed stale metadata of pid ${outcome.stale.pid}).\n`
        : "No daemon was running.\n",
    );
  }
  return 0;
}

async function status(ctx: CliContext, stateDir: string) {
  const current = await inspectDaemon(stateDir);
  let note: string | undefined;
  if (current.state === "running") {
    const configPath = contextConfigPath(ctx);
    note = settingsMismatch(current.metadata, {
      version: PRODUCT.version,
      configPath,
      configFingerprint: await configFingerprint(configPath),
    });
  }
  if (ctx.json) {
    const shown = current.state === "stopped" ? {} : describe(current.metadata);
    ctx.out(
      `${
        JSON.stringify({
          ok: true,
          state: current.state,
          ...shown,
          ...(current.state === "running" ? { usable: note === undefined } : {}),
          ...(note ? { note } : {}),
        })
      }\n`,
    );
    return 0;
  }
  switch (current.state) {
    case "running": {
      const m = current.metadata;
      ctx.out(
        `Daemon running (pid ${m.pid}) on ${m.endpoint}: version ${m.version}, config ${m.configPath}, since ${m.startedAt}; log: ${m.logPath}\n`,
      );
      if (note) ctx.out(`Not used by this command line: ${note}; run "janusmcp daemon restart".\n`);
      break;
    }
    case "stale":
      ctx.out(`Daemon not running (removed stale metadata of pid ${current.metadata.pid}).\n`);
      break;
    case "unresponsive":
      ctx.out(`Daemon process ${current.metadata.pid} is not answering; "janusmcp daemon stop" ends it.\n`);
      break;
    case "stopped":
      ctx.out("Daemon not running.\n");
  }
  return 0;
}

/** `daemon run` (started by `daemon start`): the daemon process itself, logging to daemon.log. */
async function runInForeground(
  ctx: CliContext,
  stateDir: string,
  env: (name: string) => string | undefined,
): Promise<number> {
  const path = logPath(stateDir);
  await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
  await rotate(path);
  const file = await Deno.open(path, { create: true, append: true, mode: 0o600 });
  const encoder = new TextEncoder();
  const write = (text: string) => {
    const bytes = encoder.encode(`${new Date().toISOString()} ${text}`);
    for (let done = 0; done < bytes.length;) done += file.writeSync(bytes.subarray(done));
  };
  // Everything this process would print goes to the log: it has no terminal.
  const logged: CliContext = { ...ctx, json: false, out: write, err: write };
  const stopped = waitForStopSignal();
  try {
    const configPath = contextConfigPath(logged);
    const opened = await openBroker({ ...logged, configPath }, { sink: write });
    opened.log(opened.banner);
    await runDaemon({
      broker: opened.broker,
      outbound: opened.outbound,
      log: opened.log,
      loadGlobal: opened.loadGlobal,
      stateDir,
      port: daemonPort(env),
      configPath,
      configFingerprint: await configFingerprint(configPath),
      logPath: path,
      stopped: stopped.promise,
    });
    return 0;
  } catch (error) {
    write(`janusmcp: ${error instanceof Error ? error.message : String(error)}\n`);
    throw error;
  } finally {
    stopped.dispose();
    file.close();
  }
}

/** Keeps one previous log (daemon.log.1) once the log passes 1 MiB. */
async function rotate(path: string): Promise<void> {
  try {
    if ((await Deno.stat(path)).size > 1024 * 1024) await Deno.rename(path, `${path}.1`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
