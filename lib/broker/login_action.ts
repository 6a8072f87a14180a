/**
 * `janus_login` and the "connected as …" line of `janus_whoami`. The login runs on the broker's
 * machine (its browser opens there); a client that can show a URL (2025-11-25 URL elicitation)
 * is asked to show it as well. The result names who logged in — never a token, code or verifier.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import { messageOf } from "../errors.ts";
import { resolveLaunch } from "../upstream/mod.ts";
import type { ControlHost } from "./control_host.ts";
import type { RequestContext } from "./request.ts";
import { jsonResult, toolError } from "./tool_results.ts";

/** Runs a browser login for a remote OAuth account and reports who logged in. */
export async function runLoginAction(
  broker: ControlHost,
  accountId: string,
  context: RequestContext,
): Promise<CallToolResult> {
  const account = broker.config.accounts.find((a) => a.id === accountId);
  if (!account) {
    const known = broker.config.accounts.filter((a) => a.auth === "oauth").map((a) => a.id).join(", ") ||
      "none";
    return toolError(`unknown account "${accountId}" (accounts that log in with OAuth: ${known})`);
  }
  if (account.auth !== "oauth") {
    return toolError(`account "${accountId}" does not log in with OAuth; it needs no janus_login`);
  }
  const remote = broker.sources.remote;
  if (!remote?.login) {
    return toolError("logins cannot be started from this broker; run `janusmcp connect` instead");
  }
  let identity: string | undefined;
  try {
    const launch = await resolveLaunch(account, broker.sources);
    if (launch.spec.transport === "stdio") return toolError(`account "${accountId}" is not remote`);
    const { url, clientSecret } = launch.spec;
    const result = await remote.login(account, { url, clientSecret }, {
      signal: context.signal,
      showUrl: async (authorizationUrl) => {
        const problem = await remote.openBrowser?.(authorizationUrl) ?? "no browser opener";
        if (context.ask) {
          // Not awaited: the login finishes through the browser, whatever the client answers.
          void context.ask({
            method: "elicitation/create",
            params: {
              mode: "url",
              message: `Log in to "${accountId}"${
                problem ? "" : " (a browser window was opened on the JanusMCP machine)"
              }`,
              url: authorizationUrl,
              elicitationId: crypto.randomUUID(),
            },
          }).catch(() => {});
        }
      },
    });
    identity = result.identity;
  } catch (error) {
    return toolError(
      `login of "${accountId}" failed: ${messageOf(error)}`,
    );
  }
  return jsonResult({
    ok: true,
    account: accountId,
    message: identity
      ? `${accountId}: connected as ${identity}`
      : `${accountId}: connected (identity unknown)`,
    ...(identity ? { identity } : {}),
  });
}

/** Adds each remote OAuth account's login line ("connected as …") to a whoami/list result. */
export async function withLoginStatus(
  broker: ControlHost,
  result: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const remote = broker.sources.remote;
  if (!remote?.loginStatus || !Array.isArray(result.accounts)) return result;
  const accounts = [];
  for (const entry of result.accounts as Record<string, unknown>[]) {
    const account = broker.config.accounts.find((a) => a.id === entry.id);
    const login = account?.auth === "oauth" ? await remote.loginStatus(account.id) : undefined;
    accounts.push(login ? { ...entry, login } : entry);
  }
  return { ...result, accounts };
}
