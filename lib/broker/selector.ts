/** Selector resolution (pure): which accounts a call runs against, and why. */
import type { AccountConfig, JanusConfig, Selector } from "../config/mod.ts";

/** Where the resolved selector came from, highest precedence first. */
export type SelectorSource = "override" | "session" | "global" | "default" | "first" | "none";

/** The accounts one call is bound to, frozen for the whole call. */
export interface ResolvedSelector {
  /** Undefined only when the config has no accounts. */
  selector?: Selector;
  /** The selector's accounts in order (one for an account, the members for a profile). */
  accounts: readonly AccountConfig[];
  source: SelectorSource;
}

/** The candidate selectors for one call, one per precedence level. */
export interface SelectorInputs {
  /** A one-shot override for this call only (`janus_with_account`). */
  override?: Selector;
  /** The session's own choice (binding mode `session`). */
  session?: Selector;
  /** The persisted global choice. */
  global?: Selector;
}

/**
 * Resolves a selector: override > session > persisted global > defaultAccount > first account.
 * In `locked` mode only the configured default (or first) account counts; in `global` mode a
 * session choice is ignored. Selectors naming things the config no longer has are skipped.
 */
export function resolveSelector(config: JanusConfig, inputs: SelectorInputs): ResolvedSelector {
  const candidates: [SelectorSource, Selector | undefined][] = [
    // Locked means no switching of any kind, one-shot overrides included (the broker refuses them too).
    ["override", config.bindingMode === "locked" ? undefined : inputs.override],
    ["session", config.bindingMode === "session" ? inputs.session : undefined],
    ["global", config.bindingMode === "locked" ? undefined : inputs.global],
    ["default", config.defaultAccount ? { kind: "account", id: config.defaultAccount } : undefined],
    ["first", config.accounts[0] ? { kind: "account", id: config.accounts[0].id } : undefined],
  ];
  for (const [source, selector] of candidates) {
    if (!selector) continue;
    const accounts = accountsOf(config, selector);
    if (accounts) return { selector, accounts, source };
  }
  return { accounts: [], source: "none" };
}

/** The accounts a selector names, or undefined when the config does not know it. */
export function accountsOf(config: JanusConfig, selector: Selector): AccountConfig[] | undefined {
  if (selector.kind === "account") {
    const account = config.accounts.find((a) => a.id === selector.id);
    return account ? [account] : undefined;
  }
  const members = config.profiles[selector.name];
  if (!members) return undefined;
  const accounts = members.map((id) => config.accounts.find((a) => a.id === id));
  return accounts.every((a) => a !== undefined) ? accounts as AccountConfig[] : undefined;
}

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
