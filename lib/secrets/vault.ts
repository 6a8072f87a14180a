/**
 * The vault contract every secret backend keeps (OS keychain, encrypted file), and the rules
 * for what may be stored: names as config references spell them, values never empty.
 */
import { JanusError } from "../errors.ts";
import { VAULT_NAME_PATTERN } from "../references.ts";

/** Where secrets live: the OS keychain (default) or an encrypted file (explicit opt-in). */
export type VaultBackend = "keychain" | "file";

/** A store of named secrets. Implementations never log, print or embed values in errors. */
export interface Vault {
  readonly backend: VaultBackend;
  /** The value stored under `name`, or `undefined` when there is none. */
  get(name: string): Promise<string | undefined>;
  /** Stores `value` under `name`, replacing any previous value. */
  set(name: string, value: string): Promise<void>;
  /** Removes `name`; `true` if it existed. */
  delete(name: string): Promise<boolean>;
  /** Every stored name, sorted. */
  list(): Promise<string[]>;
}

/** Throws a usage error unless `name` is a valid vault secret name (A-Z a-z 0-9 _ . -, 1–64). */
export function assertVaultName(name: string): void {
  if (!VAULT_NAME_PATTERN.test(name)) {
    // The name is not a secret, but cap it so a pasted value does not fill the terminal.
    const shown = name.length > 70 ? `${name.slice(0, 64)}…` : name;
    throw new JanusError(
      "usage",
      `invalid secret name ${JSON.stringify(shown)}: names use A-Z a-z 0-9 _ . - and are 1–64 characters`,
    );
  }
}

/** Throws a usage error for an empty value (an empty secret is always a mistake upstream). */
export function assertVaultValue(name: string, value: string): void {
  if (value.length === 0) {
    throw new JanusError("usage", `refusing to store an empty value for secret ${name}`);
  }
}
