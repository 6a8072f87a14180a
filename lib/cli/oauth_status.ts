/** The OAuth part of `status`: a remote OAuth account's standing, from the vault and remote state only. */
import { accountReferences } from "../references.ts";
import type { AccountConfig } from "../config/mod.ts";
import { loginKey } from "../oauth/mod.ts";
import { OAuthRuntime } from "../oauth/mod.ts";
import type { Vault } from "../secrets/mod.ts";
import type { AccountStatus } from "./account_status.ts";

/** Overlays each OAuth account's login standing on its status (never a value). */
export async function withOAuthStanding(
  statuses: AccountStatus[],
  accounts: readonly AccountConfig[],
  vault: Vault,
  stateDir: string,
): Promise<AccountStatus[]> {
  const runtime = new OAuthRuntime({ vault, stateDir, env: () => undefined, log: () => {} });
  const out: AccountStatus[] = [];
  for (let status of statuses) {
    const account = accounts.find((a) => a.id === status.id);
    const logins = account ? accountReferences(account).oauth : [];
    if (account && logins.length > 0) {
      // `oauth:NAME` token logins: present when stored and not refused since.
      const needs = [...status.needs];
      for (const name of logins) {
        const standing = await runtime.standing({ ...account, id: loginKey(name) });
        needs.push({
          reference: `oauth:${name}`,
          present: standing.state === "connected" || standing.state === "expired-refreshing",
        });
      }
      const missing = needs.some((n) => !n.present);
      status = {
        ...status,
        needs,
        ...(missing && status.state === "ready" ? { state: "needs-login" as const } : {}),
      };
    }
    if (account?.auth !== "oauth" || status.state === "needs-secret" || status.state === "error") {
      out.push(status);
      continue;
    }
    const standing = await runtime.standing(account);
    if (standing.state === "connected" || standing.state === "expired-refreshing") {
      out.push({
        ...status,
        state: standing.state,
        ...(standing.identity ? { identity: standing.identity } : {}),
      });
    } else {
      out.push({ ...status, state: standing.state, error: standing.reason });
    }
  }
  return out;
}
