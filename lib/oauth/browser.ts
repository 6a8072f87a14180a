/**
 * Opening the authorization URL: the command in `$BROWSER` when set (split on spaces, the URL
 * appended), else the OS opener. The browser is not waited for; a failure to start one is
 * reported, and the URL has been printed anyway so the person can open it by hand.
 */

/** The command line that opens `url` on this OS (or with `$BROWSER`). */
export function openerCommand(
  url: string,
  env: (name: string) => string | undefined,
  os: typeof Deno.build.os = Deno.build.os,
): string[] {
  const browser = env("BROWSER")?.trim();
  if (browser) return [...browser.split(/\s+/), url];
  if (os === "darwin") return ["open", url];
  if (os === "windows") return ["rundll32", "url.dll,FileProtocolHandler", url];
  return ["xdg-open", url];
}

/** Starts the browser on `url`; resolves with a problem description when it could not be started. */
export function openBrowser(
  url: string,
  env: (name: string) => string | undefined,
): Promise<string | undefined> {
  const [command, ...args] = openerCommand(url, env);
  try {
    const child = new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "inherit" })
      .spawn();
    // Reap the process whenever it ends; the login does not depend on it.
    void child.status.catch(() => {});
    child.unref();
    return Promise.resolve(undefined);
  } catch (error) {
    return Promise.resolve(
      `could not start "${command}" (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
