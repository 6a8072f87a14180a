/**
 * Which accounts a call runs against (pure): the selector precedence rule and the shape of a
 * saved selector. Apart from the broker and the config layer, on the config's structure alone, so
 * that the CLI's entry can apply the very same rule to a config file it has only JSON-parsed
 * (early_launches.ts) before the SDK and the config schema load; the broker applies it to the
 * validated config (lib/broker/selector.ts).
 */
import { isRecord } from "./values.ts";

/** What a session is pointed at. */
export type Selector = { kind: "account"; id: string } | { kind: "profile"; name: string };

/** Where the resolved selector came from, highest precedence first. */
export type SelectorSource = "override" | "session" | "global" | "default" | "first" | "none";

/** What the rule reads of a config: accounts in order, profiles as account-id lists, the default, the mode. */
export interface SelectableConfig<A extends { id: string }> {
  bindingMode: "global" | "session" | "locked";
  defaultAccount?: string;
  accounts: readonly A[];
  profiles: Readonly<Record<string, readonly string[]>>;
}

/** The accounts one call is bound to, frozen for the whole call. */
export interface Resolved<A> {
  /** Undefined only when the config has no accounts. */
  selector?: Selector;
  /** The selector's accounts in order (one for an account, the members for a profile). */
  accounts: readonly A[];
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
export function resolveSelector<A extends { id: string }>(
  config: SelectableConfig<A>,
  inputs: SelectorInputs,
): Resolved<A> {
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
export function accountsOf<A extends { id: string }>(
  config: Pick<SelectableConfig<A>, "accounts" | "profiles">,
  selector: Selector,
): A[] | undefined {
  if (selector.kind === "account") {
    const account = config.accounts.find((a) => a.id === selector.id);
    return account ? [account] : undefined;
  }
  const members = Object.hasOwn(config.profiles, selector.name) ? config.profiles[selector.name] : undefined;
  if (!members) return undefined;
  const accounts: A[] = [];
  for (const id of members) {
    const account = config.accounts.find((a) => a.id === id);
    if (!account) return undefined;
    accounts.push(account);
  }
  return accounts;
}

/** A selector in a known shape, or undefined (shapes from a newer version are dropped). */
export function readSelector(value: unknown): Selector | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === "account" && isNonEmptyString(value.id)) return { kind: "account", id: value.id };
  if (value.kind === "profile" && isNonEmptyString(value.name)) return { kind: "profile", name: value.name };
  return undefined;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}
