/**
 * A child process in its own process group (POSIX), stopped as a group: an `npx` or `sh -c`
 * wrapper's own children go with it. Stopping closes stdin first (the MCP stdio way to ask a
 * server to exit), then sends SIGTERM to the group, then SIGKILL once the grace period is over;
 * a child that ignores SIGTERM cannot hold shutdown up for longer than that.
 */

/** How to start one child. */
export interface ChildSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

/** How long a stopping child's group gets after SIGTERM before SIGKILL, by default. */
export const DEFAULT_STOP_GRACE_MS = 1_000;
/** How long to wait for a polite exit after stdin closes, before SIGTERM. */
const STDIN_CLOSE_WAIT_MS = 200;
const POLL_MS = 25;

const POSIX = Deno.build.os !== "windows";

/** A running child and its process group. */
export class ProcessGroup {
  /** Every group started and not yet stopped, for `killAll`. */
  static readonly #live = new Set<ProcessGroup>();
  readonly #child: Deno.ChildProcess;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  #stopping?: Promise<void>;
  #exited = false;
  #hurried = false;
  /** Resolves with the child's exit status. */
  readonly status: Promise<Deno.CommandStatus>;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#stdin = child.stdin.getWriter();
    this.status = child.status.finally(() => {
      this.#exited = true;
    });
  }

  /** Spawns the child with piped stdio; on POSIX it leads a new process group (setsid). */
  static spawn(spec: ChildSpec): ProcessGroup {
    const child = new Deno.Command(spec.command, {
      args: spec.args,
      env: spec.env,
      clearEnv: true, // only what the account gives it: other accounts' tokens never reach it
      cwd: spec.cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      detached: POSIX, // its own session and process group, so the whole group can be signalled
    }).spawn();
    const group = new ProcessGroup(child);
    ProcessGroup.#live.add(group);
    return group;
  }

  /** SIGKILLs every group still running, at once (shutdown in a hurry: the process may be killed next). */
  static killAll(): void {
    for (const group of ProcessGroup.#live) {
      group.#hurried = true;
      group.#signal("SIGKILL");
    }
  }

  get pid(): number {
    return this.#child.pid;
  }

  /** Whether the child (the group's leader) has exited. */
  get exited(): boolean {
    return this.#exited;
  }

  /**
   * Writes to the child's stdin (resolves once the pipe took it). The writer's own promise is
   * returned, not awaited in an async wrapper: no extra promise per upstream request.
   */
  write(bytes: Uint8Array): Promise<void> {
    return this.#stdin.write(bytes);
  }

  get stdout(): ReadableStream<Uint8Array> {
    return this.#child.stdout;
  }

  get stderr(): ReadableStream<Uint8Array> {
    return this.#child.stderr;
  }

  /** Stops the child and every process left in its group; safe to call more than once. */
  stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    this.#stopping ??= this.#stop(graceMs);
    return this.#stopping;
  }

  async #stop(graceMs: number): Promise<void> {
    try {
      await this.#stopInOrder(graceMs);
    } finally {
      ProcessGroup.#live.delete(this);
    }
  }

  async #stopInOrder(graceMs: number): Promise<void> {
    // Closing stdin waits for queued writes; a child that stopped reading must not hold us here.
    await within(this.#stdin.close().catch(() => {}), STDIN_CLOSE_WAIT_MS);
    await this.#waitFor(() => this.#exited, Math.min(STDIN_CLOSE_WAIT_MS, graceMs));
    // Even when the leader left on its own, its group may still hold children.
    if (this.#signal("SIGTERM")) {
      await this.#waitFor(() => this.#exited && !this.#groupAlive(), graceMs);
      this.#signal("SIGKILL");
    }
    await this.status;
  }

  /** Signals the whole group (or the child alone where groups do not exist); false when none is left. */
  #signal(signal: Deno.Signal): boolean {
    try {
      if (POSIX) Deno.kill(-this.#child.pid, signal);
      else if (!this.#exited) this.#child.kill(signal);
      else return false;
      return true;
    } catch {
      return false; // ESRCH: nothing left to signal
    }
  }

  /** Whether any process of the group is left (SIGCONT is harmless to a running process). */
  #groupAlive(): boolean {
    if (!POSIX) return !this.#exited;
    try {
      Deno.kill(-this.#child.pid, "SIGCONT");
      return true;
    } catch {
      return false;
    }
  }

  async #waitFor(done: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done() && !this.#hurried && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}

/** Waits for `promise`, but no longer than `ms` (the timer is cleared either way). */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
