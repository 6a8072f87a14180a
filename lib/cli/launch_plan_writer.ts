/**
 * Writing the launch plan (lib/launch_plan.ts) once `serve` has been up for a moment: the stdio
 * upstreams it started at once — its default selector's — whose launch may start early (its
 * references kept as written, never their values), so the next `serve` of the same config and
 * selection can start them at its own start.
 */
import { writeFileAtomic } from "../atomic_write.ts";
import type { Broker } from "../broker/mod.ts";
import { Session } from "../broker/mod.ts";
import { type AccountConfig, launchPlanPath } from "../config/mod.ts";
import {
  earlyLaunch,
  formatPlan,
  type PlanKeys,
  type PlannedLaunch,
  type PlanVault,
} from "../launch_plan.ts";
import { messageOf } from "../errors.ts";

/** How long `serve` runs before its plan is written: after the start, off its busiest moment. */
const PLAN_DELAY_MS = 1_500;

/**
 * An account's launch as the plan keeps it, when it may start early (the rule is `earlyLaunch`,
 * which the entry applies to a config it has only parsed, early_launches.ts): undefined for a
 * remote account too.
 */
export function plannedLaunch(account: AccountConfig): PlannedLaunch | undefined {
  return account.transport === "stdio" ? earlyLaunch(account) : undefined;
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
  const launches = accounts.map(plannedLaunch).filter((launch) => launch !== undefined);
  let saving: Promise<void> | undefined;
  const save = () =>
    saving ??= (async () => {
      clearTimeout(timer);
      try {
        await saveLaunchPlan(configPath, keys, broker.config.vault.backend, launches);
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
  vault: PlanVault,
  launches: PlannedLaunch[],
): Promise<void> {
  const path = launchPlanPath(configPath);
  const text = formatPlan(keys, vault, launches);
  const current = await Deno.readTextFile(path).catch(() => undefined);
  // Nothing to start early and no plan yet: no file needed.
  if (current === undefined && launches.length === 0) return;
  if (current !== text) await writeFileAtomic(path, text);
}
