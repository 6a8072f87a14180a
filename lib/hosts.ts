/** Bind addresses (pure, SDK-free: `serve`'s option parsing needs it before anything heavy loads). */

/** Whether a bind address stays on this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d+\.\d+\.\d+$/.test(bare);
}
