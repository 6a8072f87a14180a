/** The OAuth part of `status`: a remote OAuth account's standing, from the vault and remote state only. */
import type { AccountConfig } from "../config/types.ts";
import { OAuthRuntime } from "../oauth/runtime.ts";
import type { Vault } from "../secrets/vault.ts";
import type { AccountStatus } from "./status.ts";

/** Overlays each OAuth account's login standing on its status (never a value). */
export async function withOAuthStanding(
  statuses: AccountStatus[],
  accounts: readonly AccountConfig[],
  vault: Vault,
  stateDir: string,
): Promise<AccountStatus[]> {
  const runtime = new OAuthRuntime({ vault, stateDir, env: () => undefined, log: () => {} });
  const out: AccountStatus[] = [];
  for (const status of statuses) {
    const account = accounts.find((a) => a.id === status.id);
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
