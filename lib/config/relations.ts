/**
 * The rules that relate one config value to another, run by the schema as refinements: which
 * fields an account's transport allows or needs, duplicates, and references between accounts,
 * profiles and `defaultAccount`. They run even where a field failed its own check (so a document
 * gets every problem at once), so they read the parsed-so-far value as `unknown`.
 */
import type { z } from "zod";
import { describe, formatPath, type PathSegment } from "./wording.ts";
import { isRecord } from "../values.ts";

/** Marks a problem that stands for its whole subtree: field problems at or below its path are dropped. */
const REPLACES_BELOW = { replacesBelow: true } as const;

/** True for an issue raised with `REPLACES_BELOW`. */
export function replacesBelow(issue: { code: string; params?: Record<string, unknown> }): boolean {
  return issue.code === "custom" && issue.params?.replacesBelow === true;
}

type Json = Record<string, unknown>;

function report(ctx: z.RefinementCtx, path: PathSegment[], message: string, replaces = false): void {
  ctx.addIssue({ code: "custom", path, message, ...(replaces ? { params: REPLACES_BELOW } : {}) });
}

/**
 * The transport rules of one account: a field of the other transport is reported once, as
 * misplaced, and not also checked; a stdio account needs `command`, an http/sse one `url`. With
 * an unknown transport only the fields' own checks apply.
 */
export function transportRules(
  stdioKeys: readonly string[],
  remoteKeys: readonly string[],
): (account: unknown, ctx: z.RefinementCtx) => void {
  return (account: unknown, ctx: z.RefinementCtx): void => {
    if (!isRecord(account)) return;
    const transport = account.transport ??
      ("url" in account && !("command" in account) ? "auto" : "stdio");
    if ("oauth" in account && account.auth !== "oauth" && transport !== "stdio") {
      report(ctx, ["oauth"], 'only used with "auth": "oauth"', true);
    }
    const misplaced = (keys: readonly string[], usedBy: string) => {
      for (const key of keys) if (key in account) report(ctx, [key], `only used by ${usedBy} accounts`, true);
    };
    if (transport === "stdio") {
      misplaced(remoteKeys, "http/sse");
      if (!("command" in account)) report(ctx, ["command"], "required for a stdio account");
    } else if (transport === "http" || transport === "sse" || transport === "auto") {
      misplaced(stdioKeys, "stdio");
      if (!("url" in account)) report(ctx, ["url"], `required for an ${transport} account`);
    }
  };
}

/** The index of each value whose key (by `keyOf`) an earlier value already had → that earlier index. */
function repeats<T>(values: readonly T[], keyOf: (value: T) => string | undefined): Map<number, number> {
  const firstIndexOf = new Map<string, number>();
  const repeated = new Map<number, number>();
  values.forEach((value, index) => {
    const key = keyOf(value);
    if (key === undefined) return;
    const first = firstIndexOf.get(key);
    if (first === undefined) firstIndexOf.set(key, index);
    else repeated.set(index, first);
  });
  return repeated;
}

/**
 * Duplicates and references across the document. Every id written as a string counts as known,
 * valid or not, so a bad id is reported once (at the account) and not again where it is used.
 */
export function crossReferences(config: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(config)) return;
  const accounts = Array.isArray(config.accounts) ? config.accounts : [];
  const idOf = (account: unknown) =>
    isRecord(account) && typeof account.id === "string" ? account.id : undefined;
  for (const [index, first] of repeats(accounts, idOf)) {
    report(
      ctx,
      ["accounts", index, "id"],
      `"${idOf(accounts[index])}" is already used by accounts[${first}]`,
    );
  }
  const known = [...new Set(accounts.map(idOf).filter((id) => id !== undefined))];

  accounts.forEach((account, index) => {
    if (!isRecord(account) || !isRecord(account.headers)) return;
    const path = ["accounts", index, "headers"];
    const names = Object.keys(account.headers);
    for (const [at, first] of repeats(names, (name) => name.toLowerCase())) {
      const message = `same header as ${formatPath([...path, names[first]])} (header names ignore case)`;
      report(ctx, [...path, names[at]], message, true);
    }
  });

  for (const [name, members] of Object.entries(isRecord(config.profiles) ? config.profiles : {})) {
    if (known.includes(name)) {
      report(
        ctx,
        ["profiles", name],
        `"${name}" is also an account id (profiles and accounts share one namespace)`,
      );
    }
    // A profile is a list of ids, or an object whose `accounts` is that list.
    const [list, at] = Array.isArray(members)
      ? [members, ["profiles", name]]
      : isRecord(members) && Array.isArray(members.accounts)
      ? [members.accounts, ["profiles", name, "accounts"]]
      : [undefined, []];
    if (!list) continue;
    const repeated = repeats(list, (member) => typeof member === "string" ? member : undefined);
    list.forEach((member, index) => {
      const first = repeated.get(index);
      const path = [...at, index];
      if (first !== undefined) {
        report(ctx, path, `"${member}" is already listed at ${formatPath([...at, first])}`);
      } else if (typeof member === "string" && !known.includes(member)) {
        report(ctx, path, `unknown account ${describe(member)}`);
      }
    });
  }

  const { defaultAccount } = config;
  if (typeof defaultAccount === "string" && !known.includes(defaultAccount)) {
    const list = known.length === 0 ? "no accounts are configured" : `known: ${known.join(", ")}`;
    report(ctx, ["defaultAccount"], `unknown account ${describe(defaultAccount)} (${list})`);
  }
}
