/** Waiting for the signals that stop a long-running command (serve, the daemon). */

/** Resolves on SIGINT or SIGTERM (SIGINT only on Windows). */
export function waitForStopSignal(): { promise: Promise<void>; dispose(): void } {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let listener = () => {};
  const promise = new Promise<void>((resolve) => {
    listener = () => resolve();
  });
  for (const signal of signals) Deno.addSignalListener(signal, listener);
  return { promise, dispose: () => signals.forEach((signal) => Deno.removeSignalListener(signal, listener)) };
}
