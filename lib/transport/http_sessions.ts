/** The live 2025-11-25 HTTP sessions, by `Mcp-Session-Id`, closed when idle too long. */
import type { Server } from "@modelcontextprotocol/server";
import type { LegacyHttpTransport } from "./legacy_http_transport.ts";

/** One session's transport and server. */
export interface LegacySession {
  transport: LegacyHttpTransport;
  server: Server;
}

interface Entry extends LegacySession {
  lastSeen: number;
}

/** Sessions by id; `get` counts as activity. */
export class LegacySessions {
  readonly #entries = new Map<string, Entry>();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(private readonly idleMs: number, private readonly log: (line: string) => void) {
    this.#timer = setInterval(() => void this.prune(), Math.max(1000, Math.min(idleMs / 4, 60_000)));
    Deno.unrefTimer(Number(this.#timer));
  }

  /** Registers a session once its id is known. */
  add(id: string, session: LegacySession): void {
    this.#entries.set(id, { ...session, lastSeen: Date.now() });
  }

  /** The session with this id, marking it active; undefined if unknown or closed. */
  get(id: string): LegacySession | undefined {
    const entry = this.#entries.get(id);
    if (entry) entry.lastSeen = Date.now();
    return entry;
  }

  /** How many sessions are open (the session cap counts them). */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops a session that closed by itself (DELETE, or its server closed). */
  forget(id: string): void {
    this.#entries.delete(id);
  }

  /** Closes the sessions idle for longer than the limit. */
  async prune(now = Date.now()): Promise<void> {
    const idle = [...this.#entries].filter(([, entry]) => now - entry.lastSeen > this.idleMs);
    for (const [id, entry] of idle) {
      this.#entries.delete(id);
      this.log(
        `http: closing session ${id.slice(0, 8)}… after ${Math.round(this.idleMs / 1000)}s without a request`,
      );
      await entry.server.close().catch(() => {});
    }
  }

  /** Closes every session (shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.#timer);
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.allSettled(entries.map((entry) => entry.server.close()));
  }
}
