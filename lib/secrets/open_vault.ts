/**
 * Choosing and opening the vault backend: `JANUS_VAULT` (keychain|file) overrides the config's
 * `vault.backend`; the default is the OS keychain. The file backend is never chosen implicitly.
 */
import { join } from "node:path";
import { JanusError } from "../errors.ts";
import { createFileVault, type PassphrasePurpose, VAULT_FILE_NAME } from "./file_vault.ts";
import { createKeychainVault } from "./keychain_vault.ts";
import type { Vault, VaultBackend } from "./vault.ts";

/** The part of the config that chooses the vault (structural: this layer imports no config code). */
export interface VaultChoice {
  vault: { backend: VaultBackend };
}

/** What opening a vault depends on (all injected, so callers and tests control the environment). */
export interface OpenVaultOptions {
  config: VaultChoice;
  /** The directory holding the config file; the file vault lives there as `vault.enc`. */
  configDir: string;
  env: (name: string) => string | undefined;
  /** Asks the person for the file vault's passphrase when `JANUS_VAULT_PASSPHRASE` is not set. */
  promptPassphrase?: (purpose: PassphrasePurpose) => Promise<string>;
}

/** The backend in force: `JANUS_VAULT` when set (non-empty), else the config's choice. */
export function chooseVaultBackend(
  config: VaultChoice,
  env: (name: string) => string | undefined,
): VaultBackend {
  const override = env("JANUS_VAULT")?.trim();
  if (override === undefined || override === "") return config.vault.backend;
  if (override === "keychain" || override === "file") return override;
  throw new JanusError("config", `JANUS_VAULT must be "keychain" or "file", not ${JSON.stringify(override)}`);
}

/** The path of the file vault for a config directory. */
export function fileVaultPath(configDir: string): string {
  return join(configDir, VAULT_FILE_NAME);
}

/** Opens the chosen vault; nothing is read (and no passphrase asked) until it is first used. */
export function openVault(options: OpenVaultOptions): Vault {
  if (chooseVaultBackend(options.config, options.env) === "keychain") return createKeychainVault();
  const path = fileVaultPath(options.configDir);
  return createFileVault({
    path,
    passphrase: (purpose) => {
      const fromEnv = options.env("JANUS_VAULT_PASSPHRASE");
      if (fromEnv !== undefined && fromEnv !== "") return Promise.resolve(fromEnv);
      if (options.promptPassphrase) return options.promptPassphrase(purpose);
      return Promise.reject(
        new JanusError(
          "auth",
          `the file vault ${path} needs a passphrase: set JANUS_VAULT_PASSPHRASE or run in a terminal`,
        ),
      );
    },
  });
}
