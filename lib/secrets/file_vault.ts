/**
 * The opt-in file vault: every secret in one encrypted file (`vault.enc` beside the config),
 * unlocked with a passphrase. Only used when the user chose it (JANUS_VAULT=file or config
 * `"vault": {"backend": "file"}`); the OS keychain stays the default.
 *
 * Every change re-reads and authenticates the file before rewriting it, so a wrong passphrase or
 * a damaged file is reported and never overwritten. Writes are atomic with mode 0600.
 */
import { JanusError, messageOf } from "../errors.ts";
import { writeFileAtomic } from "../atomic_write.ts";
import { assertVaultName, assertVaultValue, type Vault } from "./vault.ts";
import {
  deriveVaultKey,
  keyMatches,
  newKeyParams,
  openVaultFile,
  parseVaultFile,
  type ScryptParams,
  sealVaultFile,
  type VaultKey,
  type VaultKeyParams,
} from "./vault_file_format.ts";

/** The vault file's name inside the config directory. */
export const VAULT_FILE_NAME = "vault.enc";

/** Why a passphrase is asked for: to open an existing file, or to create a new one. */
export type PassphrasePurpose = "unlock" | "create";

/** Supplies the passphrase (from the environment or a prompt); called at most once per purpose and vault. */
export type PassphraseSource = (purpose: PassphrasePurpose) => Promise<string>;

/** Where the vault file is and how to unlock it. */
export interface FileVaultOptions {
  /** Full path of the vault file. */
  path: string;
  passphrase: PassphraseSource;
  /** scrypt cost for a newly created file (existing files keep theirs). */
  kdf?: ScryptParams;
}

/** A new vault's passphrase protects every secret at once; below this length it is refused. */
export const MIN_NEW_PASSPHRASE_LENGTH = 8;

interface Contents {
  secrets: Map<string, string>;
  /** The key that opened the file (undefined when the file does not exist yet). */
  key?: VaultKey;
}

function sameParams(a: VaultKeyParams, b: VaultKeyParams): boolean {
  return a.kdf.logN === b.kdf.logN && a.kdf.r === b.kdf.r && a.kdf.p === b.kdf.p &&
    a.salt.length === b.salt.length && a.salt.every((byte, i) => byte === b.salt[i]);
}

class FileVault implements Vault {
  readonly backend = "file" as const;
  #passphrase: Promise<string> | undefined;
  #key: VaultKey | undefined;
  // Operations run one at a time so two concurrent `set`s in one process cannot lose an update.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FileVaultOptions) {}

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }

  async #askPassphrase(purpose: PassphrasePurpose): Promise<string> {
    this.#passphrase ??= this.options.passphrase(purpose);
    let passphrase: string;
    try {
      passphrase = await this.#passphrase;
    } catch (error) {
      this.#passphrase = undefined;
      throw error;
    }
    if (passphrase === "") {
      this.#passphrase = undefined;
      throw new JanusError("auth", `empty vault passphrase for ${this.options.path}`);
    }
    if (purpose === "create" && passphrase.length < MIN_NEW_PASSPHRASE_LENGTH) {
      this.#passphrase = undefined;
      throw new JanusError(
        "usage",
        `the passphrase for a new vault file must have at least ${MIN_NEW_PASSPHRASE_LENGTH} characters`,
      );
    }
    return passphrase;
  }

  async #keyFor(params: VaultKeyParams, purpose: PassphrasePurpose): Promise<VaultKey> {
    if (this.#key && sameParams(this.#key.params, params)) return this.#key;
    const key = await deriveVaultKey(await this.#askPassphrase(purpose), params);
    this.#key = key;
    return key;
  }

  async #readBytes(): Promise<Uint8Array<ArrayBuffer> | undefined> {
    try {
      return await Deno.readFile(this.options.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      const reason = messageOf(error);
      throw new JanusError("config", `cannot read vault file ${this.options.path}: ${reason}`, {
        cause: error,
      });
    }
  }

  async #read(): Promise<Contents> {
    const bytes = await this.#readBytes();
    if (bytes === undefined) return { secrets: new Map() };
    const file = await parseVaultFile(bytes, this.options.path);
    const key = await this.#keyFor(file.params, "unlock");
    if (!keyMatches(key, file)) {
      // Forget the passphrase so the next attempt asks again instead of repeating the mistake.
      this.#passphrase = undefined;
      this.#key = undefined;
      throw new JanusError("auth", `wrong vault passphrase for ${this.options.path}`);
    }
    return { secrets: await openVaultFile(file, key, this.options.path), key };
  }

  async #write(contents: Contents): Promise<void> {
    const key = contents.key ?? await this.#keyFor(newKeyParams(this.options.kdf), "create");
    await writeFileAtomic(this.options.path, await sealVaultFile(contents.secrets, key));
  }

  async get(name: string): Promise<string | undefined> {
    assertVaultName(name);
    return await this.#serial(async () => (await this.#read()).secrets.get(name));
  }

  async set(name: string, value: string): Promise<void> {
    assertVaultName(name);
    assertVaultValue(name, value);
    return await this.#serial(async () => {
      const contents = await this.#read();
      contents.secrets.set(name, value);
      await this.#write(contents);
    });
  }

  async delete(name: string): Promise<boolean> {
    assertVaultName(name);
    return await this.#serial(async () => {
      const contents = await this.#read();
      if (!contents.secrets.delete(name)) return false;
      await this.#write(contents);
      return true;
    });
  }

  async list(): Promise<string[]> {
    return await this.#serial(async () => [...(await this.#read()).secrets.keys()].sort());
  }
}

/** A vault kept in one passphrase-encrypted file at `options.path`. */
export function createFileVault(options: FileVaultOptions): Vault {
  return new FileVault(options);
}
