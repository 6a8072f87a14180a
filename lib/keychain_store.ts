/**
 * Where JanusMCP's secrets sit in the OS keychain (@napi-rs/keyring): one service name, entries
 * pinned to the Secret Service on Linux, and the one loader of the native binding — shared by the
 * keychain vault (lib/secrets) and the CLI's entry, which reads the secrets of the upstreams it
 * starts early (lib/cli/early_start.ts), so the binding loads once per process.
 *
 * Plain Deno APIs only: the entry imports this before anything heavy is loaded.
 */
import type * as Keyring from "@napi-rs/keyring";

/** The keychain service name every JanusMCP secret is stored under. */
export const KEYCHAIN_SERVICE = "janusmcp";

/** On Linux the library would otherwise fall back to the kernel keyring, which a reboot empties. */
export const KEYCHAIN_ENTRY_OPTIONS: Keyring.EntryOptions = { linux: { store: "secret-service" } };

let keyringModule: Promise<typeof Keyring> | undefined;

/** The native binding, loaded on first use (commands that never touch the keychain need no FFI). */
export function loadKeyring(): Promise<typeof Keyring> {
  keyringModule ??= import("@napi-rs/keyring").catch((error: unknown) => {
    keyringModule = undefined;
    throw error;
  });
  return keyringModule;
}

let earlyRead: Promise<void> | undefined;

/**
 * A keychain read the CLI's entry stopped waiting for (a locked keychain may be showing the
 * person a prompt): the broker's own reads wait for it to end, so that prompts come one at a time.
 */
export function earlyReadPending(read: Promise<unknown>): void {
  const ended: Promise<void> = read.then(() => {}, () => {}).finally(() => {
    if (earlyRead === ended) earlyRead = undefined;
  });
  earlyRead = ended;
}

/** Resolves once no keychain read of the entry's is pending (at once when none is). */
export function earlyReadEnded(): Promise<void> {
  return earlyRead ?? Promise.resolve();
}
