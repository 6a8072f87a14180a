/** Waiting for the signals that stop a long-running command (serve, the daemon). */
import { ProcessGroup } from "../process_group.ts";

/**
 * Resolves on SIGINT or SIGTERM (SIGINT only on Windows). After `hurry()` (shutdown under way),
 * a further signal kills every upstream process group at once instead.
 */
export function waitForStopSignal(): { promise: Promise<void>; hurry(): void; dispose(): void } {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let stopping = false;
  let resolveStop = () => {};
  const promise = new Promise<void>((resolve) => {
    resolveStop = resolve;
  });
  const listener = () => {
    if (stopping) ProcessGroup.killAll();
    else resolveStop();
  };
  for (const signal of signals) Deno.addSignalListener(signal, listener);
  return {
    promise,
    hurry: () => {
      stopping = true;
    },
    dispose: () => signals.forEach((signal) => Deno.removeSignalListener(signal, listener)),
  };
}
