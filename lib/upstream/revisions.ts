/**
 * Which protocol revision to speak to an upstream for a given need (pure). An upstream may speak
 * 2025-11-25 ("legacy": initialize, sessions, server-to-client requests mid-call), 2026-07-28
 * ("modern": stateless, multi-round-trip input), or both. A 2025 client's call is best carried
 * over 2025 (so the upstream may ask it mid-call) and a 2026 client's over 2026; when the upstream
 * speaks only one revision, that one carries every call.
 *
 * `server/discover` names only modern revisions, so whether a modern upstream also speaks 2025 is
 * learnt by trying, once, when a 2025 client first needs it; verdicts are remembered.
 */
import type { DiscoverResult, PriorDiscovery } from "@modelcontextprotocol/client";

/** A protocol era: 2025-11-25 and before ("legacy"), or 2026-07-28 and after ("modern"). */
export type Era = "legacy" | "modern";

/** The public names of the two eras, for log lines and messages. */
export const ERA_REVISION: Record<Era, string> = { legacy: "2025-11-25", modern: "2026-07-28" };

/**
 * What is known about an upstream's revisions. `modern` holds its discover result when it speaks
 * 2026-07-28 (reused as the connect `prior`: no probe), false when it does not; `legacy` is
 * whether it speaks 2025-11-25. Absent means not known yet.
 */
export interface Revisions {
  modern?: DiscoverResult | false;
  legacy?: boolean;
}

/**
 * How to open a connection: adopt a known verdict (`prior`, no probe), `auto` (probe, fall back
 * to 2025), or `try` one era that is not known to work (a failure is then a verdict only when
 * the other era answers).
 */
export type ConnectPlan =
  | { kind: "prior"; era: Era; prior: PriorDiscovery }
  | { kind: "auto" }
  | { kind: "try"; era: Era };

/** The connection to use: one already open (`reuse`), or a plan to open one. */
export type Choice = { kind: "reuse"; era: Era } | ConnectPlan;

/**
 * Chooses the connection for a need. `need` is the era of the client whose request it carries
 * (undefined when no client is involved, e.g. a list fetched for a status display); `open` are
 * the eras with a live connection.
 */
export function chooseConnection(known: Revisions, need: Era | undefined, open: ReadonlySet<Era>): Choice {
  if (need === undefined) {
    const live = open.has("modern") ? "modern" : open.has("legacy") ? "legacy" : undefined;
    if (live) return { kind: "reuse", era: live };
    if (known.modern) return priorPlan(known, "modern");
    if (known.legacy) return priorPlan(known, "legacy");
    return { kind: "auto" };
  }
  const other: Era = need === "legacy" ? "modern" : "legacy";
  const speaks = need === "legacy" ? known.legacy : known.modern ? true : known.modern;
  if (speaks === true) return open.has(need) ? { kind: "reuse", era: need } : priorPlan(known, need);
  if (speaks === false) {
    if (open.has(other)) return { kind: "reuse", era: other };
    return speaksEra(known, other) ? priorPlan(known, other) : { kind: "auto" };
  }
  // Unknown for this era. When nothing is known at all, a modern need probes (`auto` settles
  // both at once for a 2025-only upstream); a legacy need tries 2025 directly (one start, not
  // a probe and then a second start).
  if (need === "modern" && !speaksEra(known, "legacy")) return { kind: "auto" };
  return { kind: "try", era: need };
}

/** What a successful connection teaches, given how it was opened. */
export function learn(
  known: Revisions,
  plan: ConnectPlan,
  connected: { era: Era; discover?: DiscoverResult },
): Revisions {
  const next: Revisions = { ...known };
  if (connected.era === "modern") {
    if (connected.discover) next.modern = connected.discover;
  } else {
    next.legacy = true;
    // `auto` falls back to 2025 only when the upstream does not speak 2026.
    if (plan.kind === "auto") next.modern = false;
  }
  return next;
}

/** What a failed `try` teaches once the other era has answered: this era is not spoken. */
export function refuted(known: Revisions, era: Era): Revisions {
  return era === "legacy" ? { ...known, legacy: false } : { ...known, modern: false };
}

/** Whether two verdicts say the same thing (so nothing needs saving). */
export function sameRevisions(a: Revisions | undefined, b: Revisions): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b);
}

function speaksEra(known: Revisions, era: Era): boolean {
  return era === "legacy" ? known.legacy === true : Boolean(known.modern);
}

function priorPlan(known: Revisions, era: Era): ConnectPlan {
  return era === "modern" && known.modern
    ? { kind: "prior", era, prior: { kind: "modern", discover: known.modern } }
    : { kind: "prior", era: "legacy", prior: { kind: "legacy" } };
}
