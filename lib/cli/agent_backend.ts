/**
 * Where an agent command runs: on a healthy daemon serving the same config and version, else
 * in this process (a broker of its own, closed before exit). Either way the same operation
 * returns the same reply. Owns the call's deadline (`--timeout`, `JANUS_CLI_TIMEOUT`) and Ctrl-C:
 * both abort the operation, which cancels the upstream call.
 */
import { type AgentReply, type AgentRequest, runAgentRequest } from "../broker/mod.ts";
import { JanusError, toJanusError } from "../errors.ts";
import { daemonAgentRequest, usableDaemon } from "../daemon/mod.ts";
import { flagOption, type ParsedArgs, stringOption } from "./args.ts";
import { contextConfigPath, openBroker } from "./broker_setup.ts";
import type { CliContext } from "./context.ts";
import { parseDuration } from "./duration.ts";

/** Usage lines for AGENT_OPTIONS. */
export const AGENT_OPTIONS_USAGE =
  `  --timeout DURATION  give up after this long (500ms, 30s, 2m; env JANUS_CLI_TIMEOUT): exit 124
  --direct            run in this process even if a daemon is running  (JANUS_DAEMON=off)
  --daemon            run on the daemon, or fail with exit 5           (JANUS_DAEMON=require)
  --json              print one JSON document; errors as {"ok":false,"error":{...}} on stderr
  --config PATH       this config file (else JANUS_CONFIG, ./config.json, user config dir)`;

/** Whether to use the daemon: `auto` (when one fits), `require`, or `off`. */
export type DaemonMode = "auto" | "require" | "off";

/** The daemon mode from `--direct` / `--daemon`, else `JANUS_DAEMON` (default `auto`). */
export function daemonMode(args: ParsedArgs, env: (name: string) => string | undefined): DaemonMode {
  const direct = flagOption(args, "direct");
  const daemon = flagOption(args, "daemon");
  if (direct && daemon) throw new JanusError("usage", "--direct and --daemon contradict each other");
  if (direct) return "off";
  if (daemon) return "require";
  const value = env("JANUS_DAEMON") || "auto";
  if (value !== "auto" && value !== "require" && value !== "off") {
    throw new JanusError("usage", `JANUS_DAEMON must be auto, require or off, not "${value}"`);
  }
  return value;
}

/** How long the whole operation may take, if limited: `--timeout` beats `JANUS_CLI_TIMEOUT`. */
export function timeoutOf(
  args: ParsedArgs,
  env: (name: string) => string | undefined,
): { ms: number; text: string } | undefined {
  const flag = stringOption(args, "timeout");
  if (flag !== undefined) return { ms: parseDuration(flag, "--timeout"), text: flag };
  const fromEnv = env("JANUS_CLI_TIMEOUT");
  if (fromEnv) return { ms: parseDuration(fromEnv, "JANUS_CLI_TIMEOUT"), text: fromEnv };
  return undefined;
}

/** How long to let an aborted operation wind down (cancel upstream, close children) before exiting. */
const WIND_DOWN_MS = 3000;

/** Runs one operation, on the daemon or in-process; throws JanusError (timeout → 124, SIGINT → 130). */
export async function runAgent(
  ctx: CliContext,
  request: AgentRequest,
  args: ParsedArgs,
): Promise<AgentReply> {
  const env = ctx.env ?? ((name: string) => Deno.env.get(name));
  const mode = daemonMode(args, env);
  const timeout = timeoutOf(args, env);
  const controller = new AbortController();
  const timer = timeout &&
    setTimeout(
      () =>
        controller.abort(
          new JanusError("timeout", `timed out after ${timeout.text}; the call was cancelled`),
        ),
      timeout.ms,
    );
  const onInterrupt = () =>
    controller.abort(new JanusError("interrupted", "interrupted; the call was cancelled"));
  Deno.addSignalListener("SIGINT", onInterrupt);
  let rejectOnAbort = (_reason: unknown) => {};
  const aborted = new Promise<never>((_, reject) => rejectOnAbort = reject);
  controller.signal.addEventListener("abort", () => rejectOnAbort(controller.signal.reason), { once: true });
  const work = perform(ctx, env, request, mode, controller.signal);
  try {
    const reply = await Promise.race([work, aborted]);
    if (controller.signal.aborted) throw controller.signal.reason;
    return reply;
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    // Let the cancellation reach the upstream and the children close, within reason.
    await Promise.race([work.catch(() => {}), new Promise((resolve) => setTimeout(resolve, WIND_DOWN_MS))]);
    throw controller.signal.reason;
  } finally {
    clearTimeout(timer);
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

async function perform(
  ctx: CliContext,
  env: (name: string) => string | undefined,
  request: AgentRequest,
  mode: DaemonMode,
  signal: AbortSignal,
): Promise<AgentReply> {
  const daemon = mode === "off" ? undefined : await usableDaemon({
    env,
    configPath: contextConfigPath(ctx),
    required: mode === "require",
    note: (message) => ctx.err(`janusmcp: note: ${message}\n`),
  });
  if (daemon) {
    try {
      return await daemonAgentRequest(daemon, request, signal);
    } catch (error) {
      if (error instanceof JanusError || signal.aborted) throw error;
      // It answered its health check a moment ago: retrying here could run the tool twice.
      throw new JanusError("daemon_unavailable", toJanusError(error).message, { cause: error });
    }
  }
  const opened = await openBroker(ctx, { sink: () => {} });
  try {
    const reply = await runAgentRequest(opened.broker, request, {
      signal,
      globalSelector: await opened.loadGlobal(),
    });
    return opened.outbound(reply);
  } catch (error) {
    const janusError = toJanusError(error);
    throw new JanusError(janusError.code, opened.outbound(janusError.message), { cause: error });
  } finally {
    await opened.broker.close();
  }
}
