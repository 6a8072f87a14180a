/** What `status` says about one account (shared by its plain and OAuth parts). */

/** One account's readiness. */
export type AccountState =
  | "ready"
  | "needs-secret"
  | "needs-login"
  | "error"
  | "connected"
  | "expired-refreshing";

/** What `status` reports for one account. */
export interface AccountStatus {
  id: string;
  service: string;
  transport: string;
  state: AccountState;
  needs: { reference: string; present: boolean }[];
  error?: string;
  /** OAuth accounts: who the login is, when the server said. */
  identity?: string;
}
