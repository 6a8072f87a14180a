/** What the pool says (pure): its refusal during a restart backoff and its log lines about upstreams. */
import { JanusError } from "../errors.ts";
import { type ConnectPlan, type Era, ERA_REVISION } from "./revisions.ts";

/** The refusal while an account waits out its restart backoff. */
export function restarting(accountId: string, waitMs: number, lastError: string | undefined): JanusError {
  const why = lastError ? ` (last failure: ${lastError})` : "";
  return new JanusError(
    "upstream",
    `account "${accountId}": its upstream is restarting, retry in ${Math.ceil(waitMs / 1000)} s${why}`,
  );
}

/** Why an account that already has a connection gets a second one, at the plan's era. */
export function secondConnectionLine(
  stdio: boolean,
  plan: Exclude<ConnectPlan, { kind: "auto" }>,
  need: Era | undefined,
): string {
  const what = stdio ? "a second process" : "a second connection";
  const why = plan.kind === "try"
    ? "to learn whether the upstream also speaks it"
    : "the upstream speaks both";
  return `starting ${what} at ${ERA_REVISION[plan.era]} for a ${
    ERA_REVISION[need ?? plan.era]
  } client (${why})`;
}

/** An upstream that refused one era, served over the other. */
export function fallbackLine(refused: Era, served: Era): string {
  return `its upstream does not speak ${ERA_REVISION[refused]}; ${
    ERA_REVISION[refused]
  } clients are served over ${ERA_REVISION[served]}`;
}

/** An upstream that closed by itself: when it restarts (`waitMs` of backoff, after `times` in a row). */
export function closedLine(waitMs: number, times: number): string {
  return waitMs > 0
    ? `upstream closed (${times} times in a row); restarting on the next call after ${
      Math.ceil(waitMs / 1000)
    } s`
    : "upstream closed; it will be restarted on the next call";
}
