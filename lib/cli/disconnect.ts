/** `janusmcp disconnect ACCOUNT`: deletes a remote account's tokens, revoking them at the server when it offers that (RFC 7009). */
import { JanusError } from "../errors.ts";
import type { Command } from "./context.ts";
import { openOAuthAccount } from "./oauth_account.ts";
import { FACES } from "./faces.ts";

const USAGE = `Usage: janusmcp disconnect ACCOUNT [--json] [--config PATH]

Revokes the account's tokens at its authorization server (when the server offers revocation)
and deletes them from the vault. The client registration stays, for the next "connect".`;

export const disconnectCommand: Command = {
  ...FACES.disconnect,
  usage: USAGE,
  async run({ positionals }, ctx) {
    if (positionals.length !== 1) throw new JanusError("usage", `disconnect takes one ACCOUNT\n\n${USAGE}`);
    const opened = await openOAuthAccount(positionals[0], ctx, (name) => Deno.env.get(name));
    const result = await opened.runtime.disconnect(opened.account, opened.clientSecret);
    if (ctx.json) {
      ctx.out(`${JSON.stringify({ ok: true, account: opened.account.id, ...result })}\n`);
      return 0;
    }
    const id = opened.account.id;
    if (!result.hadLogin) ctx.out(`${id}: was not connected; nothing to do\n`);
    else if (result.revoked) ctx.out(`${id}: disconnected (tokens revoked at the server and deleted)\n`);
    else ctx.out(`${id}: disconnected (tokens deleted; not revoked: ${result.revokeProblem})\n`);
    return 0;
  },
};
