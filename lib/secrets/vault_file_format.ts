/**
 * The encrypted vault file format (pure crypto, no file I/O).
 *
 *   offset  size  field
 *   0       8     magic "JANUSVLT"
 *   8       1     format version (1)
 *   9       1     KDF id (1 = scrypt)
 *   10      1     scrypt log2(N)
 *   11      1     scrypt r
 *   12      1     scrypt p
 *   13      16    salt (random, per file)
 *   29      16    key check: SHA-256("janusmcp vault key check" ‖ check key)[0..16]
 *   45      12    AES-GCM nonce (random, fresh on every write)
 *   57      16    header digest: SHA-256(bytes 0–56)[0..16]
 *   73      …     AES-256-GCM ciphertext of UTF-8 JSON {"secrets": {NAME: value}}, 16-byte tag last
 *
 * The whole 73-byte header is the AEAD's additional data, so a changed KDF parameter, salt or
 * version fails authentication. scrypt yields 64 bytes: the first 32 are the AES key, the last 32
 * only feed the key check, which tells a wrong passphrase apart from a damaged ciphertext without
 * weakening the cipher key. The (unkeyed) header digest tells a damaged header apart from a
 * wrong passphrase; it protects against accidents only, the AEAD against tampering.
 */
import { JanusError } from "../errors.ts";

/** scrypt cost parameters (N = 2^logN). */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

/** N = 2^17, r = 8, p = 1: 128 MiB and roughly half a second per unlock (OWASP's scrypt baseline). */
export const DEFAULT_SCRYPT: ScryptParams = { logN: 17, r: 8, p: 1 };

/** The vault file format version this code writes and reads. */
export const VAULT_FORMAT_VERSION = 1;

/** The parameters a vault file is keyed with (fixed when the file is created). */
export interface VaultKeyParams {
  kdf: ScryptParams;
  salt: Uint8Array<ArrayBuffer>;
}

/** A key derived from a passphrase for one file's parameters. */
export interface VaultKey {
  params: VaultKeyParams;
  aes: CryptoKey;
  check: Uint8Array<ArrayBuffer>;
}

/** A vault file split into its parts (not yet authenticated). */
export interface ParsedVaultFile {
  params: VaultKeyParams;
  check: Uint8Array<ArrayBuffer>;
  header: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
}

const MAGIC = new TextEncoder().encode("JANUSVLT");
const KDF_SCRYPT = 1;
const SALT_LENGTH = 16;
const CHECK_LENGTH = 16;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const VERSION_OFFSET = 8;
const SALT_OFFSET = 13;
const CHECK_OFFSET = SALT_OFFSET + SALT_LENGTH;
const NONCE_OFFSET = CHECK_OFFSET + CHECK_LENGTH;
const DIGEST_OFFSET = NONCE_OFFSET + NONCE_LENGTH;
const DIGEST_LENGTH = 16;
const HEADER_LENGTH = DIGEST_OFFSET + DIGEST_LENGTH;
const CHECK_LABEL = new TextEncoder().encode("janusmcp vault key check");
// Floors keep a file from being (re)written with weak parameters; ceilings keep a damaged header
// from asking for gigabytes of memory before authentication can reject it.
const SCRYPT_LIMITS = { logN: [15, 22], r: [8, 32], p: [1, 16] } as const;

/** Throws unless the parameters are within the accepted range (`where` names the file). */
export function assertScryptParams(params: ScryptParams, where: string): void {
  for (const key of ["logN", "r", "p"] as const) {
    const [min, max] = SCRYPT_LIMITS[key];
    const value = params[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new JanusError(
        "config",
        `${where}: scrypt ${key}=${value} is outside the accepted range ${min}–${max}`,
      );
    }
  }
}

/** Fresh key parameters for a new vault file: the given cost and a random salt. */
export function newKeyParams(kdf: ScryptParams = DEFAULT_SCRYPT): VaultKeyParams {
  return { kdf: { ...kdf }, salt: crypto.getRandomValues(new Uint8Array(SALT_LENGTH)) };
}

async function scryptBytes(passphrase: string, salt: Uint8Array, kdf: ScryptParams): Promise<Uint8Array> {
  // Loaded on the first unlock: node:crypto costs ~3.5 MiB of RSS, and a broker may never unlock.
  const { scrypt } = await import("node:crypto");
  const n = 2 ** kdf.logN;
  // node's default maxmem (32 MiB) is below what N=2^15, r=8 needs; allow the real need plus slack.
  const maxmem = 128 * n * kdf.r * kdf.p + 16 * 1024 * 1024;
  return await new Promise((resolve, reject) => {
    scrypt(passphrase, salt, 64, { N: n, r: kdf.r, p: kdf.p, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(new Uint8Array(key));
    });
  });
}

/** Derives the AES key and key check for `params` from a passphrase (scrypt; NFC-normalised). */
export async function deriveVaultKey(passphrase: string, params: VaultKeyParams): Promise<VaultKey> {
  // NFC so the same passphrase typed on different systems (composed or decomposed accents) matches.
  const derived = await scryptBytes(passphrase.normalize("NFC"), params.salt, params.kdf);
  try {
    const aes = await crypto.subtle.importKey("raw", derived.slice(0, 32), "AES-GCM", false, [
      "encrypt",
      "decrypt",
    ]);
    const checkInput = new Uint8Array(CHECK_LABEL.length + 32);
    checkInput.set(CHECK_LABEL);
    checkInput.set(derived.subarray(32), CHECK_LABEL.length);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", checkInput));
    checkInput.fill(0);
    return { params, aes, check: digest.slice(0, CHECK_LENGTH) };
  } finally {
    derived.fill(0);
  }
}

/** Whether `key` was derived from the passphrase that wrote `file` (constant time). */
export function keyMatches(key: VaultKey, file: ParsedVaultFile): boolean {
  let difference = 0;
  for (let i = 0; i < CHECK_LENGTH; i++) difference |= key.check[i] ^ file.check[i];
  return difference === 0;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  const length = Math.min(bytes.length, prefix.length);
  for (let i = 0; i < length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function truncated(path: string, length: number): JanusError {
  return new JanusError(
    "config",
    `vault file ${path} is truncated (${length} bytes); restore it from a backup (nothing was changed)`,
  );
}

async function headerDigest(header: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const digest = await crypto.subtle.digest("SHA-256", header.subarray(0, DIGEST_OFFSET));
  return new Uint8Array(digest, 0, DIGEST_LENGTH);
}

function damagedHeader(path: string, detail: string): JanusError {
  return new JanusError(
    "config",
    `vault file ${path} is corrupted (${detail}); restore it from a backup (nothing was changed)`,
  );
}

/** Splits vault file bytes into parts, or throws a config error naming `path`. */
export async function parseVaultFile(bytes: Uint8Array<ArrayBuffer>, path: string): Promise<ParsedVaultFile> {
  if (!startsWith(bytes, MAGIC)) {
    throw new JanusError(
      "config",
      `${path} is not a JanusMCP vault file (unknown header); nothing was changed`,
    );
  }
  if (bytes.length <= VERSION_OFFSET) throw truncated(path, bytes.length);
  const version = bytes[VERSION_OFFSET];
  if (version !== VAULT_FORMAT_VERSION) {
    throw new JanusError(
      "config",
      `vault file ${path} has format version ${version}, but this JanusMCP reads version ` +
        `${VAULT_FORMAT_VERSION} only (a newer JanusMCP wrote it?); nothing was changed`,
    );
  }
  if (bytes.length < HEADER_LENGTH + TAG_LENGTH) throw truncated(path, bytes.length);
  const header = bytes.slice(0, HEADER_LENGTH);
  const digest = await headerDigest(header);
  if (!digest.every((byte, i) => byte === header[DIGEST_OFFSET + i])) {
    throw damagedHeader(path, "its header checksum does not match");
  }
  if (bytes[9] !== KDF_SCRYPT) throw damagedHeader(path, `unknown key derivation ${bytes[9]}`);
  const kdf: ScryptParams = { logN: bytes[10], r: bytes[11], p: bytes[12] };
  assertScryptParams(kdf, `vault file ${path}`);
  return {
    params: { kdf, salt: bytes.slice(SALT_OFFSET, SALT_OFFSET + SALT_LENGTH) },
    check: bytes.slice(CHECK_OFFSET, CHECK_OFFSET + CHECK_LENGTH),
    header,
    ciphertext: bytes.slice(HEADER_LENGTH),
  };
}

/** Decrypts an authenticated file with a matching key into its secrets, or throws naming `path`. */
export async function openVaultFile(
  file: ParsedVaultFile,
  key: VaultKey,
  path: string,
): Promise<Map<string, string>> {
  let plaintext: Uint8Array;
  try {
    plaintext = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: file.header.slice(NONCE_OFFSET, DIGEST_OFFSET),
          additionalData: file.header,
          tagLength: 128,
        },
        key.aes,
        file.ciphertext,
      ),
    );
  } catch (error) {
    throw new JanusError(
      "config",
      `vault file ${path} is corrupted: its contents fail authentication (the passphrase is right, so the ` +
        `file was damaged or altered); restore it from a backup (nothing was changed)`,
      { cause: error },
    );
  }
  try {
    return decodeSecrets(new TextDecoder("utf-8", { fatal: true }).decode(plaintext), path);
  } finally {
    plaintext.fill(0);
  }
}

function decodeSecrets(text: string, path: string): Map<string, string> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    document = undefined;
  }
  const secrets = typeof document === "object" && document !== null && "secrets" in document
    ? document.secrets
    : undefined;
  if (typeof secrets !== "object" || secrets === null || Array.isArray(secrets)) {
    throw new JanusError(
      "config",
      `vault file ${path} decrypted to an unexpected layout; nothing was changed`,
    );
  }
  const result = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value !== "string") {
      throw new JanusError(
        "config",
        `vault file ${path}: secret ${name} is not a string; nothing was changed`,
      );
    }
    result.set(name, value);
  }
  return result;
}

/** Encrypts `secrets` under `key` with a fresh nonce into complete vault file bytes. */
export async function sealVaultFile(
  secrets: Map<string, string>,
  key: VaultKey,
): Promise<Uint8Array<ArrayBuffer>> {
  assertScryptParams(key.params.kdf, "new vault file");
  const header = new Uint8Array(HEADER_LENGTH);
  header.set(MAGIC);
  header[VERSION_OFFSET] = VAULT_FORMAT_VERSION;
  header[9] = KDF_SCRYPT;
  header[10] = key.params.kdf.logN;
  header[11] = key.params.kdf.r;
  header[12] = key.params.kdf.p;
  header.set(key.params.salt, SALT_OFFSET);
  header.set(key.check, CHECK_OFFSET);
  header.set(crypto.getRandomValues(new Uint8Array(NONCE_LENGTH)), NONCE_OFFSET);
  header.set(await headerDigest(header), DIGEST_OFFSET);
  // Object.fromEntries defines own properties, so a secret named "__proto__" stays a plain entry.
  const plaintext = new TextEncoder().encode(JSON.stringify({ secrets: Object.fromEntries(secrets) }));
  try {
    const ciphertext = new Uint8Array(
      await crypto.subtle.encrypt(
        {
          name: "AES-GCM",
          iv: header.slice(NONCE_OFFSET, DIGEST_OFFSET),
          additionalData: header,
          tagLength: 128,
        },
        key.aes,
        plaintext,
      ),
    );
    const bytes = new Uint8Array(HEADER_LENGTH + ciphertext.length);
    bytes.set(header);
    bytes.set(ciphertext, HEADER_LENGTH);
    return bytes;
  } finally {
    plaintext.fill(0);
  }
}
