/**
 * Checks made when the config is loaded, before any upstream starts: a `${ENV}` secret whose
 * value is too short to be redacted is reported then, not silently left visible in results.
 * (Vault values are read only when an upstream starts, and are checked then.)
 */
import { accountReferences } from "../references.ts";
import { isSecretEnv } from "../config/mod.ts";
import type { JanusConfig } from "../config/mod.ts";
import { MIN_REDACTABLE_LENGTH } from "../secrets/mod.ts";

/** One warning per secret environment variable whose current value is too short to redact. */
export function shortSecretWarnings(
  config: JanusConfig,
  env: (name: string) => string | undefined,
): string[] {
  const warned = new Set<string>();
  const warnings: string[] = [];
  for (const account of config.accounts) {
    for (const name of accountReferences(account).env) {
      const value = env(name);
      if (value === undefined || value.length >= MIN_REDACTABLE_LENGTH) continue;
      if (!isSecretEnv(account, name) || warned.has(name)) continue;
      warned.add(name);
      warnings.push(
        `account "${account.id}": the value of \${${name}} is a secret shorter than ${MIN_REDACTABLE_LENGTH} characters, so it cannot be redacted from results; use a longer value`,
      );
    }
  }
  return warnings;
}
