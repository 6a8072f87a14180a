/**
 * What JanusMCP remembers about remote accounts that is not a secret, in `remote-state.json`
 * beside the config: who each account is logged in as, whether it needs a new login (and why),
 * and which transport a URL without one answered on. Several processes share the file, so every
 * change is a read-modify-write under a file lock; a damaged file is treated as empty.
 */
import { isRecord } from "../values.ts";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic_write.ts";
import { withFileLock } from "./file_lock.ts";

/** One remote account's remembered facts. */
export interface RemoteAccountState {
  /** "alice@acme.example": who the last login was, when the server said. */
  identity?: string;
  /** Issuer of the authorization server the account logged in at. */
  issuer?: string;
  /** Set when the stored login stopped working; cleared by a new login. */
  needsLogin?: { reason: string; loginId?: string };
  /** The transport a URL without `transport` answered on, and for which URL. */
  transport?: { url: string; kind: "http" | "sse" };
}

interface RemoteStateFile {
  accounts: Record<string, RemoteAccountState>;
}

/** The file's name in the state directory. */
export const REMOTE_STATE_FILE = "remote-state.json";

function readAccount(value: unknown): RemoteAccountState {
  if (!isRecord(value)) return {};
  const out: RemoteAccountState = {};
  if (typeof value.identity === "string") out.identity = value.identity;
  if (typeof value.issuer === "string") out.issuer = value.issuer;
  if (isRecord(value.needsLogin) && typeof value.needsLogin.reason === "string") {
    out.needsLogin = {
      reason: value.needsLogin.reason,
      ...(typeof value.needsLogin.loginId === "string" ? { loginId: value.needsLogin.loginId } : {}),
    };
  }
  const t = value.transport;
  if (isRecord(t) && typeof t.url === "string" && (t.kind === "http" || t.kind === "sse")) {
    out.transport = { url: t.url, kind: t.kind };
  }
  return out;
}

/** The remote-state file of one state directory. */
export class RemoteStateStore {
  readonly path: string;
  readonly #lockPath: string;

  constructor(stateDir: string) {
    this.path = join(stateDir, REMOTE_STATE_FILE);
    this.#lockPath = join(stateDir, "locks", "remote-state.lock");
  }

  /** Every account's remembered state (empty when the file is missing or damaged). */
  async all(): Promise<Record<string, RemoteAccountState>> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch {
      return {};
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return {};
    }
    if (!isRecord(raw) || !isRecord(raw.accounts)) return {};
    return Object.fromEntries(Object.entries(raw.accounts).map(([id, value]) => [id, readAccount(value)]));
  }

  /** A cheap change marker (modification time) of the file: logins and needs-login marks change it. */
  async stamp(): Promise<number | undefined> {
    try {
      return (await Deno.stat(this.path)).mtime?.getTime();
    } catch {
      return undefined;
    }
  }

  /** One account's remembered state. */
  async get(accountId: string): Promise<RemoteAccountState> {
    return (await this.all())[accountId] ?? {};
  }

  /** Changes one account's state under the lock, leaving every other account's as it is. */
  update(accountId: string, change: (state: RemoteAccountState) => RemoteAccountState): Promise<void> {
    return withFileLock(this.#lockPath, async () => {
      const accounts = await this.all();
      const next = change({ ...(accounts[accountId] ?? {}) });
      const file: RemoteStateFile = { accounts: { ...accounts, [accountId]: next } };
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
    });
  }
}
