/**
 * The default vault: the OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret
 * Service) through @napi-rs/keyring, one credential per secret under one service name.
 *
 * When the keychain cannot be used this backend throws; it never falls back on its own. On Linux
 * every entry is pinned to the Secret Service because the library would otherwise fall back to
 * the kernel keyring, which lives in memory only and loses every secret at reboot.
 */
import type * as Keyring from "@napi-rs/keyring";
import { JanusError, messageOf } from "../errors.ts";
import { KEYCHAIN_ENTRY_OPTIONS, KEYCHAIN_SERVICE, loadKeyring as loadBinding } from "../keychain_store.ts";
import { VAULT_NAME_PATTERN } from "../references.ts";
import { assertVaultName, assertVaultValue, type Vault } from "./vault.ts";

export { KEYCHAIN_SERVICE };

/** Options for the keychain vault; `service` exists so tests can use a keychain namespace of their own. */
export interface KeychainVaultOptions {
  service?: string;
}

type KeyringModule = typeof Keyring;

const ENTRY_OPTIONS = KEYCHAIN_ENTRY_OPTIONS;
const MAX_REASON_LENGTH = 240;

/** Loads the native binding on first use, so commands that never touch the keychain need no FFI. */
async function loadKeyring(): Promise<KeyringModule> {
  try {
    return await loadBinding();
  } catch (error) {
    throw unavailable(`the keychain library could not be loaded (${oneLine(error)})`, error);
  }
}

/** The first line of an error's message, trimmed to a readable length. */
function oneLine(error: unknown): string {
  const message = messageOf(error);
  const line = message.split(/\r?\n/).map((part) => part.trim()).find((part) => part !== "") ??
    "unknown error";
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH)}…` : line;
}

function unavailable(reason: string, cause: unknown): JanusError {
  const hint = Deno.build.os === "linux"
    ? " (a Secret Service such as gnome-keyring, KWallet or KeePassXC must be running on the D-Bus session bus)"
    : "";
  return new JanusError(
    "auth",
    `the OS keychain is unavailable: ${reason}${hint}. JanusMCP never falls back to another store by itself; ` +
      `to keep secrets in an encrypted file instead, set JANUS_VAULT=file or put "vault": {"backend": "file"} ` +
      `in the config.`,
    { cause },
  );
}

/** Turns a library failure into a JanusError; the library reports every failure as GenericFailure, so
 * its message is the only thing that tells the cases apart. Messages never contain secret values. */
function keychainError(error: unknown, service: string, name?: string): JanusError {
  if (error instanceof JanusError) return error;
  const reason = oneLine(error);
  if (/TooLong|longer than platform limit/i.test(reason)) {
    return new JanusError(
      "usage",
      `secret ${name ?? ""} is too long for the OS keychain on this platform (${reason})`,
      { cause: error },
    );
  }
  if (/Ambiguous/i.test(reason)) {
    return new JanusError(
      "auth",
      `the OS keychain holds several entries for ${service}/${name ?? ""}; remove the extra ones with the ` +
        `system's keychain tool (${reason})`,
      { cause: error },
    );
  }
  return unavailable(reason, error);
}

class KeychainVault implements Vault {
  readonly backend = "keychain" as const;

  constructor(private readonly service: string) {}

  private async entry(name: string): Promise<Keyring.AsyncEntry> {
    const keyring = await loadKeyring();
    try {
      return new keyring.AsyncEntry(this.service, name, ENTRY_OPTIONS);
    } catch (error) {
      throw keychainError(error, this.service, name);
    }
  }

  async get(name: string): Promise<string | undefined> {
    assertVaultName(name);
    const entry = await this.entry(name);
    try {
      return (await entry.getPassword()) ?? undefined;
    } catch (error) {
      throw keychainError(error, this.service, name);
    }
  }

  async set(name: string, value: string): Promise<void> {
    assertVaultName(name);
    assertVaultValue(name, value);
    const entry = await this.entry(name);
    try {
      await entry.setPassword(value);
    } catch (error) {
      throw keychainError(error, this.service, name);
    }
  }

  async delete(name: string): Promise<boolean> {
    assertVaultName(name);
    const entry = await this.entry(name);
    try {
      return await entry.deleteCredential();
    } catch (error) {
      throw keychainError(error, this.service, name);
    }
  }

  async list(): Promise<string[]> {
    const keyring = await loadKeyring();
    let accounts: string[];
    try {
      // The library enumerates a service natively, so no index entry is kept (an index would drift
      // whenever a secret is edited with the system's own keychain tool). It returns each password
      // too; only the account names are kept, the values are dropped here and never leave.
      const credentials = await keyring.findCredentialsAsync(this.service);
      accounts = credentials.map((credential) => credential.account);
    } catch (error) {
      throw keychainError(error, this.service);
    }
    // Entries another tool put under our service with names we could never reference are ignored.
    return [...new Set(accounts.filter((account) => VAULT_NAME_PATTERN.test(account)))].sort();
  }
}

/** A vault backed by the OS keychain under `service` (default `janusmcp`). */
export function createKeychainVault(options: KeychainVaultOptions = {}): Vault {
  return new KeychainVault(options.service ?? KEYCHAIN_SERVICE);
}
