/** The secrets layer: vault backends (OS keychain, encrypted file), secret input, redaction. */
export type { Vault, VaultBackend } from "./vault.ts";
export { assertVaultName, assertVaultValue } from "./vault.ts";
export type { KeychainVaultOptions } from "./keychain_vault.ts";
export { createKeychainVault, KEYCHAIN_SERVICE } from "./keychain_vault.ts";
export type { FileVaultOptions, PassphrasePurpose, PassphraseSource } from "./file_vault.ts";
export { createFileVault, MIN_NEW_PASSPHRASE_LENGTH, VAULT_FILE_NAME } from "./file_vault.ts";
export type { ScryptParams } from "./vault_file_format.ts";
export { DEFAULT_SCRYPT, VAULT_FORMAT_VERSION } from "./vault_file_format.ts";
export type { OpenVaultOptions } from "./open_vault.ts";
export { chooseVaultBackend, fileVaultPath, openVault } from "./open_vault.ts";
export type { AddResult } from "./redact.ts";
export { MIN_ENCODED_LENGTH, MIN_REDACTABLE_LENGTH, Redactor } from "./redact.ts";
export type { PromptOutput, ReadSecretOptions, SecretInput } from "./prompt.ts";
export { MAX_SECRET_BYTES, readSecretFromStdin } from "./prompt.ts";
export { SecretScrubber } from "./scrubber.ts";
