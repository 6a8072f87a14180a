/**
 * `janusmcp login PROVIDER NAME`: a token login at a configured provider for `oauth:NAME`
 * references (stdio servers that want a token in their environment). In the browser by
 * default; `--device` uses the device grant (RFC 8628) for machines without one.
 */
import { dirname } from "node:path";
import { VAULT_NAME_PATTERN } from "../references.ts";
import { loadConfig } from "../config/mod.ts";
import { locateConfigFromEnvironment } from "../config/mod.ts";
import { JanusError } from "../errors.ts";
import { openBrowser } from "../oauth/mod.ts";
import { LOGIN_TIMEOUT_MS } from "../oauth/mod.ts";
import { OAuthRuntime } from "../oauth/mod.ts";
import { openVault } from "../secrets/mod.ts";
import type { Command } from "./context.ts";
import { FACES } from "./faces.ts";

const USAGE = `Usage: janusmcp login PROVIDER NAME [--device] [--timeout SECONDS] [--json] [--config PATH]

Logs in at an OAuth provider from "oauthProviders" in the config and keeps the tokens in the
vault as login NAME; "oauth:NAME" (or "\${oauth:NAME}") in an account's env, args or headers is
replaced by its access token, refreshed when due. Presets: github, gitlab, google, microsoft,
slack, atlassian (you supply the client id):

  "oauthProviders": { "github": { "clientId": "Iv1.0123456789abcdef", "scopes": ["repo"] } }
  janusmcp login github work
  "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "oauth:work" }

Options:
  --device           device grant: shows a URL and a code to enter on any device
  --timeout SECONDS  how long to wait for the login (default 300)`;

export const loginCommand: Command = {
  ...FACES.login,
  usage: USAGE,
  async run(parsed, ctx) {
    const [providerName, name, ...extra] = parsed.positionals;
    if (!providerName || !name || extra.length) {
      throw new JanusError("usage", `login takes PROVIDER and NAME\n\n${USAGE}`);
    }
    if (!VAULT_NAME_PATTERN.test(name)) {
      throw new JanusError("usage", `login name "${name}" must use A-Z a-z 0-9 _ . - (1–64 characters)`);
    }
    const timeout = parsed.values.timeout === undefined
      ? LOGIN_TIMEOUT_MS / 1000
      : Number(parsed.values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) {
      throw new JanusError("usage", "--timeout must be a positive number of seconds");
    }
    const env = (variable: string) => Deno.env.get(variable);
    const configPath = ctx.configPath ?? locateConfigFromEnvironment().path;
    const loaded = await loadConfig(configPath);
    const runtime = new OAuthRuntime({
      vault: openVault({ config: loaded.config, configDir: dirname(configPath), env }),
      stateDir: dirname(configPath),
      env,
      providers: loaded.config.oauthProviders,
      log: (id, line) => ctx.err(`janusmcp: [${id}] ${line}\n`),
    });
    const result = await runtime.loginWithProvider(
      providerName,
      name,
      parsed.values.device ? "device" : "browser",
      {
        timeoutMs: timeout * 1000,
        show: async (url, userCode) => {
          ctx.err(
            userCode
              ? `To log in "${name}" at ${providerName}, open ${url} and enter the code ${userCode}\n`
              : `Open this URL to log in "${name}" at ${providerName}:\n  ${url}\n`,
          );
          const problem = await openBrowser(url, env);
          if (problem && !userCode) ctx.err(`janusmcp: ${problem}; open the URL by hand\n`);
        },
      },
    );
    if (ctx.json) {
      ctx.out(
        `${
          JSON.stringify({ ok: true, login: name, provider: providerName, identity: result.identity ?? null })
        }\n`,
      );
    } else {
      ctx.out(
        `oauth:${name}: logged in at ${providerName}${result.identity ? ` as ${result.identity}` : ""}\n`,
      );
    }
    return 0;
  },
};
