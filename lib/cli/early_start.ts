/**
 * `serve`'s head start (issue 13, cold start): before the command's module — the SDK, the broker,
 * the config code, 150-200 ms of loading — the upstreams named by the launch plan the last
 * `serve` of this config wrote are started (lib/launch_plan.ts), so that their own start overlaps
 * the broker's; the pool adopts them (lib/early_processes.ts). Only for a `serve` that starts its
 * default selector's upstreams at once: over stdio or both, not the demo, not relaying to a daemon.
 * Plain Deno APIs only, and nothing here may stop `serve`: any trouble just means no head start.
 */
import { resolve } from "node:path";
import { launchPlanPath, locateConfigFromEnvironment, stateFilePath } from "../config_location.ts";
import { startEarly } from "../early_processes.ts";
import { inheritedEnvironment, parsePlan, type PlanKeys, planKeys, sameKeys } from "../launch_plan.ts";
import { PRODUCT } from "../version.ts";
import type { ParsedArgs } from "./args.ts";

/** The keys computed at launch, for the config they were computed for (see `keysAtLaunch`). */
let atLaunch: { configPath: string; keys: PlanKeys } | undefined;

/** What the entry knows when it gets here: the command line, parsed. */
export interface EarlyLine {
  name: string;
  help: boolean;
  version: boolean;
  configPath?: string;
  args: ParsedArgs;
}

/** Whether this command line runs a `serve` that starts its default selector's stdio upstreams at once (pure). */
export function startsUpstreamsAtOnce(line: EarlyLine, env: (name: string) => string | undefined): boolean {
  if (line.name !== "serve" || line.help || line.version || line.args.positionals.length > 0) return false;
  const { values } = line.args;
  if (values.demo === true) return false;
  const daemon = env("JANUS_DAEMON");
  if (daemon === "auto" || daemon === "require") return false;
  // As serve_options.ts reads it (an invalid one fails there, after this did nothing).
  const transport = values.http === true ? "http" : values.transport ?? env("JANUS_TRANSPORT") ?? "stdio";
  return transport === "stdio" || transport === "both";
}

/**
 * For a `serve` that starts upstreams at once: computes the plan keys of its config as it is now
 * (kept for the plan `serve` writes) and starts what a matching plan names. Returns how many
 * processes were started.
 */
export async function startPlannedUpstreams(
  line: EarlyLine,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Promise<number> {
  atLaunch = undefined;
  if (!startsUpstreamsAtOnce(line, env)) return 0;
  try {
    const configPath = resolve(line.configPath ?? locateConfigFromEnvironment().path);
    const config = readIfThere(configPath);
    if (!config) return 0;
    const keys = await planKeys(config, readIfThere(stateFilePath(configPath)), PRODUCT.version);
    atLaunch = { configPath, keys };
    const text = readIfThere(launchPlanPath(configPath));
    const plan = text && parsePlan(new TextDecoder().decode(text));
    if (!plan || !sameKeys(plan.keys, keys)) return 0;
    const inherited = inheritedEnvironment(env);
    return startEarly(plan.launches.map((launch) => ({
      account: launch.account,
      spec: {
        command: launch.command,
        args: launch.args,
        env: { ...inherited, ...launch.env },
        ...(launch.cwd === undefined ? {} : { cwd: launch.cwd }),
      },
    })));
  } catch {
    return 0; // no head start; serve reports real problems with its config itself
  }
}

/** The plan keys computed at launch for this config file, when it was this process's `serve` config. */
export function keysAtLaunch(configPath: string): PlanKeys | undefined {
  return atLaunch && atLaunch.configPath === resolve(configPath) ? atLaunch.keys : undefined;
}

/** A file's bytes, or undefined when it is not there. */
function readIfThere(path: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Deno.readFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
