/**
 * Upstream processes started at launch from the config and state files (lib/early_launches.ts),
 * before the pool exists, waiting for it to adopt them: the stdio upstream transport takes one
 * whose launch is identical to the one it would spawn (`claimEarly`), and spawns as usual
 * otherwise. What is not adopted soon after `serve` has started its upstreams is stopped as a group
 * (stdin closed, SIGTERM, then SIGKILL), as is everything left on any way out: the CLI's end (`dismissEarly`),
 * a stop signal before `serve` listens for signals itself (the guard below), or a deadline.
 * The vault secrets read at launch for these processes are handed to the pool's vault in-process
 * (`earlySecret`) while any of them waits, so the keychain is read once: a second read may prompt
 * the person on some systems, and the pool's launch must come out identical to be adopted.
 *
 * Plain Deno APIs only: the CLI's entry fills this before anything heavy is loaded.
 */
import { type ChildSpec, DEFAULT_STOP_GRACE_MS, ProcessGroup } from "./process_group.ts";

/** A process started early, and for which account. */
interface Waiting {
  account: string;
  spec: ChildSpec;
  group: ProcessGroup;
}

/** How long after `serve` started its upstreams an early process may still be adopted (adoption takes ms). */
const ADOPTION_WINDOW_MS = 1_000;
/** The latest an early process is kept when `serve` never gets as far as starting its upstreams. */
const DEADLINE_MS = 10_000;
/** How a process killed by these signals would have exited (128 + the signal number). */
const SIGNAL_EXIT: Partial<Record<Deno.Signal, number>> = { SIGINT: 130, SIGTERM: 143 };

const waiting: Waiting[] = [];
let deadline: ReturnType<typeof setTimeout> | undefined;
let guard: (() => void) | undefined;
let note: ((line: string) => void) | undefined;
/** Vault secrets the waiting processes were started with, by name; in memory only, and only while one waits. */
const handed = new Map<string, string>();

/**
 * Starts these processes (each in its own process group, as the pool would) and keeps them for
 * adoption; until `earlyHandover`, a stop signal stops them and ends this process. A launch
 * that cannot be spawned is skipped: the pool's own attempt reports why. `secrets` are the vault
 * values (by name) a launch was resolved with, kept for `earlySecret`. Returns how many started.
 */
export function startEarly(
  launches: readonly { account: string; spec: ChildSpec; secrets?: ReadonlyMap<string, string> }[],
): number {
  if (launches.length === 0) return 0;
  // Before the first spawn: a signal between a spawn and the guard would orphan that process.
  guard ??= guardSignals();
  let started = 0;
  for (const { account, spec, secrets } of launches) {
    let group: ProcessGroup;
    try {
      group = ProcessGroup.spawn(spec);
    } catch {
      continue;
    }
    for (const [name, value] of secrets ?? []) handed.set(name, value);
    const entry = { account, spec, group };
    waiting.push(entry);
    started += 1;
    // One that exits by itself is not adopted: the pool starts a fresh one, as it would have.
    void group.status.then(() => {
      if (take(entry)) void group.stop();
    });
  }
  if (started > 0) stopWaitingAfter(DEADLINE_MS);
  else if (waiting.length === 0) {
    guard();
    guard = undefined;
  }
  return started;
}

/** The waiting early process whose launch is exactly `spec`, now the caller's; undefined when none is. */
export function claimEarly(spec: ChildSpec): ProcessGroup | undefined {
  const entry = waiting.find((candidate) => !candidate.group.exited && sameChildSpec(candidate.spec, spec));
  if (!entry) return undefined;
  take(entry);
  note?.(
    `[${entry.account}] its upstream (pid ${entry.group.pid}) was started at launch, ahead of the broker`,
  );
  if (waiting.length === 0) clearTimeout(deadline);
  return entry.group;
}

/**
 * `serve` has started its upstreams and listens for stop signals itself: the guard steps aside,
 * what is still waiting a moment later is stopped, and adoptions are logged to `log`.
 */
export function earlyHandover(log: (line: string) => void): void {
  note = log;
  guard?.();
  guard = undefined;
  if (waiting.length > 0) stopWaitingAfter(ADOPTION_WINDOW_MS);
}

/**
 * The value of vault secret `name` an early process waiting for adoption was started with, for
 * the pool's vault to use instead of reading the keychain again; undefined when none was.
 */
export function earlySecret(name: string): string | undefined {
  return handed.get(name);
}

/** Stops every early process not adopted (safe to call at any time, and more than once). */
export async function dismissEarly(): Promise<void> {
  guard?.();
  guard = undefined;
  await stopWaiting();
}

async function stopWaiting(): Promise<void> {
  clearTimeout(deadline);
  handed.clear();
  const left = waiting.splice(0);
  if (left.length === 0) return;
  note?.(
    `head start: stopping ${left.length} process(es) started at launch and not adopted (${
      left.map((entry) => entry.account).join(", ")
    })`,
  );
  await Promise.allSettled(left.map((entry) => entry.group.stop(DEFAULT_STOP_GRACE_MS)));
}

/** Whether two launches start the same process: command, arguments, working directory, whole environment. */
export function sameChildSpec(a: ChildSpec, b: ChildSpec): boolean {
  if (a.command !== b.command || a.cwd !== b.cwd || a.args.length !== b.args.length) return false;
  if (a.args.some((arg, i) => arg !== b.args[i])) return false;
  const names = Object.keys(a.env);
  return names.length === Object.keys(b.env).length &&
    names.every((name) => Object.hasOwn(b.env, name) && a.env[name] === b.env[name]);
}

function take(entry: Waiting): boolean {
  const index = waiting.indexOf(entry);
  if (index >= 0) waiting.splice(index, 1);
  // Nothing waits any more: a later start (a restart) reads the vault afresh.
  if (waiting.length === 0) handed.clear();
  return index >= 0;
}

function stopWaitingAfter(ms: number): void {
  clearTimeout(deadline);
  deadline = setTimeout(() => void dismissEarly(), ms);
  // Never what keeps the process alive: every way out calls dismissEarly itself.
  Deno.unrefTimer(deadline);
}

/**
 * Until `serve` listens for SIGINT/SIGTERM itself, such a signal would end this process at once
 * and leave the early processes (each in its own process group) behind: stop them first, then
 * exit as the signal would have. `serve` goes on loading meanwhile and may start upstreams of its
 * own: every group still alive is killed on the way out. A second signal ends it all at once.
 */
function guardSignals(): () => void {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let stopping = false;
  const listeners = signals.map((signal) => {
    const exit = () => {
      ProcessGroup.killAll();
      Deno.exit(SIGNAL_EXIT[signal] ?? 1);
    };
    const listener = () => {
      if (stopping) exit();
      stopping = true;
      void stopWaiting().finally(exit);
    };
    Deno.addSignalListener(signal, listener);
    return () => Deno.removeSignalListener(signal, listener);
  });
  return () => listeners.forEach((remove) => remove());
}
