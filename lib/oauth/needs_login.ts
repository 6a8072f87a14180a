/** The one wording of "this account must log in again", naming both ways to do it. */
import { JanusError } from "../errors.ts";

/** A JanusError (code `auth`) saying the account needs a login, why, and how to do it. */
export function needsLoginError(accountId: string, reason: string, howToLogin?: string): JanusError {
  return new JanusError(
    "auth",
    howToLogin
      ? `${accountId} needs a login (${reason}): ${howToLogin}`
      : `account "${accountId}" needs a login (${reason}): run \`janusmcp connect ${accountId}\` in a terminal, or call janus_login with {"account_id": "${accountId}"} in chat`,
  );
}
