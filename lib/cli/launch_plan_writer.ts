/**
 * Writing the launch plan (lib/launch_plan.ts) once `serve` has been up for a moment: the stdio
 * upstreams it started at once — its default selector's — whose launch needs no reference
 * resolved, so the next `serve` of the same config and selection can start them at its own start.
 */
import { writeFileAtomic } from "../atomic_write.ts";
import type { Broker } from "../broker/mod.ts";
import { Session } from "../broker/mod.ts";
import { type AccountConfig, isSecretEnv, launchPlanPath } from "../config/mod.ts";
import { formatPlan, type PlanKeys, type PlannedLaunch } from "../launch_plan.ts";
import { messageOf } from "../errors.ts";
import { parseReferences } from "../references.ts";
import { resolveLaunch } from "../upstream/mod.ts";

/** How long `serve` runs before its plan is written: after the start, off its busiest moment. */
const PLAN_DELAY_MS = 1_500;

/**
 * The launch the pool would start for an account, when it needs nothing resolved: undefined for a
 * remote account, one with a reference anywhere (command and cwd included) or with a
 * credential-named variable (a literal token would otherwise be copied into the plan).
 */
export async function plainLaunch(account: AccountConfig): Promise<PlannedLaunch | undefined> {
  if (account.transport !== "stdio" || !account.command) return undefined;
  const fields = [account.command, ...account.args, ...Object.values(account.env), account.cwd ?? ""];
  if (fields.some((field) => !isLiteral(field))) return undefined;
  if (Object.keys(account.env).some((name) => isSecretEnv(account, name))) return undefined;
  try {
    // No sources at all: a reference would fail here, so what resolves is the literal launch.
    const { spec, secrets } = await resolveLaunch(account, { env: () => undefined });
    if (spec.transport !== "stdio" || secrets.length > 0) return undefined;
    return {
      account: account.id,
      command: spec.command,
      args: spec.args,
      env: spec.env,
      ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
    };
  } catch {
    return undefined;
  }
}

/**
 * The plan for the broker's default selector as it is now (call right after its upstreams were
 * started), written a moment later, or at the end (`flush`) if that comes first; only when it
 * differs from the one on disk. A failure to write is logged, never fatal.
 */
export function planAfterStart(
  broker: Broker,
  configPath: string,
  keys: PlanKeys,
  log: (line: string) => void,
): { flush(): Promise<void>; cancel(): void } {
  // The selector a session that has chosen nothing gets: what the broker just started.
  const accounts = broker.resolve(new Session("launch-plan")).accounts;
  const launches = Promise.all(accounts.map(plainLaunch)).then((all) => all.filter((l) => l !== undefined));
  let saving: Promise<void> | undefined;
  const save = () =>
    saving ??= (async () => {
      clearTimeout(timer);
      try {
        await saveLaunchPlan(configPath, keys, await launches);
      } catch (error) {
        log(`warning: could not save the launch plan: ${messageOf(error)}`);
      }
    })();
  const timer = setTimeout(() => void save(), PLAN_DELAY_MS);
  Deno.unrefTimer(timer);
  return {
    flush: save,
    cancel: () => {
      clearTimeout(timer);
      saving ??= Promise.resolve();
    },
  };
}

/** Writes the plan (atomically, mode 0600) unless the file already says exactly this. */
export async function saveLaunchPlan(
  configPath: string,
  keys: PlanKeys,
  launches: PlannedLaunch[],
): Promise<void> {
  const path = launchPlanPath(configPath);
  const text = formatPlan(keys, launches);
  const current = await Deno.readTextFile(path).catch(() => undefined);
  // Nothing to start early and no plan yet: no file needed.
  if (current === undefined && launches.length === 0) return;
  if (current !== text) await writeFileAtomic(path, text);
}

/** Whether a config string is plain text: no `vault:`, `oauth:` or `${…}` reference (nor a malformed one). */
function isLiteral(value: string): boolean {
  const parsed = parseReferences(value);
  return parsed.ok && parsed.parts.every((part) => part.kind === "text");
}
