/** Selector resolution (pure): which accounts a call runs against, and why (the rule itself is lib/selection.ts). */
import type { AccountConfig, Selector } from "../config/mod.ts";
import type { Resolved } from "../selection.ts";

export { accountsOf, resolveSelector, type SelectorInputs, type SelectorSource } from "../selection.ts";

/** The accounts one call is bound to, frozen for the whole call. */
export type ResolvedSelector = Resolved<AccountConfig>;

/** Whether two selectors name the same thing. */
export function sameSelector(a: Selector | undefined, b: Selector | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind === "account" && b.kind === "account") return a.id === b.id;
  if (a.kind === "profile" && b.kind === "profile") return a.name === b.name;
  return false;
}

/** A short human name for a selector: `account acme` / `profile client-a`. */
export function describeSelector(selector: Selector | undefined): string {
  if (!selector) return "no account";
  return selector.kind === "account" ? `account "${selector.id}"` : `profile "${selector.name}"`;
}
