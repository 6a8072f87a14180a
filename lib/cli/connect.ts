/**
 * `janusmcp connect ACCOUNT`: the browser login of a remote OAuth account. The authorization URL
 * goes to stderr (never stdout) and to the browser (`$BROWSER`, else the OS opener); the result
 * says who was connected when the server tells. `--check` instead verifies the stored login
 * (refreshing it when due) without a browser.
 */
import { JanusError } from "../errors.ts";
import { openBrowser } from "../oauth/mod.ts";
import { LOGIN_TIMEOUT_MS } from "../oauth/mod.ts";
import type { Command } from "./context.ts";
import { openOAuthAccount } from "./oauth_account.ts";
import { FACES } from "./faces.ts";

const USAGE = `Usage: janusmcp connect ACCOUNT [--check] [--timeout SECONDS] [--json] [--config PATH]

Logs a remote account ("auth": "oauth") in with your browser: discovers the server's
authorization server, registers JanusMCP there (once per server) unless "oauth.clientId" is
set, and opens the login page. The callback listens on 127.0.0.1:7334 (JANUS_OAUTH_PORT).
Tokens go to the vault; "connected as …" is shown when the server says who logged in.
Log in again at any time to replace the identity.

Options:
  --check            do not log in: check the stored login works, refreshing it if due
  --timeout SECONDS  how long to wait for the browser (default 300)`;

export const connectCommand: Command = {
  ...FACES.connect,
  usage: USAGE,
  async run(parsed, ctx) {
    const [accountId, ...extra] = parsed.positionals;
    if (!accountId || extra.length) throw new JanusError("usage", `connect takes one ACCOUNT\n\n${USAGE}`);
    const timeoutSeconds = parsed.values.timeout === undefined
      ? LOGIN_TIMEOUT_MS / 1000
      : Number(parsed.values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
      throw new JanusError("usage", `--timeout must be a positive number of seconds`);
    }
    const env = (name: string) => Deno.env.get(name);
    const opened = await openOAuthAccount(accountId, ctx, env);
    const { account, runtime } = opened;

    if (parsed.values.check) {
      const auth = runtime.authProvider(account, opened.clientSecret);
      await auth.token();
      const standing = await runtime.standing(account);
      const identity = standing.state === "connected" || standing.state === "expired-refreshing"
        ? standing.identity
        : undefined;
      if (ctx.json) {
        ctx.out(`${JSON.stringify({ ok: true, account: account.id, state: standing.state, identity })}\n`);
      } else {ctx.out(
          `${account.id}: ${identity ? `connected as ${identity}` : "connected (identity unknown)"}\n`,
        );}
      return 0;
    }

    const spinner = startSpinner(ctx.err);
    let result;
    try {
      result = await runtime.login(account, opened, {
        timeoutMs: timeoutSeconds * 1000,
        showUrl: async (url) => {
          ctx.err(
            `Open this URL to log in to "${account.id}" (waiting up to ${
              Math.round(timeoutSeconds)
            } s):\n  ${url}\n`,
          );
          const problem = await openBrowser(url, env);
          if (problem) ctx.err(`janusmcp: ${problem}; open the URL by hand\n`);
          spinner.start();
        },
      });
    } finally {
      spinner.stop();
    }
    const said = result.identity
      ? `connected as ${result.identity}`
      : "connected (the server did not say who logged in)";
    if (ctx.json) {
      ctx.out(
        `${
          JSON.stringify({
            ok: true,
            account: account.id,
            identity: result.identity ?? null,
            issuer: result.issuer,
          })
        }\n`,
      );
    } else ctx.out(`${account.id}: ${said}\n`);
    return 0;
  },
};

/** A one-character spinner on stderr, only when stderr is a terminal. */
function startSpinner(err: (text: string) => void): { start(): void; stop(): void } {
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    start() {
      if (!Deno.stderr.isTerminal() || timer !== undefined) return;
      const frames = "|/-\\";
      let i = 0;
      timer = setInterval(() => err(`\r${frames[i++ % frames.length]} waiting for the browser…`), 150);
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      err("\r\x1b[K");
    },
  };
}
