/** The built-in demo configuration: two accounts of the demo upstream, run by this same program. */
import { fileURLToPath } from "node:url";
import { type AccountConfig, EMPTY_CONFIG, type JanusConfig } from "../config/mod.ts";

/** Builds the demo config; the upstream is this program's hidden `demo-upstream` command. */
export function demoConfig(): JanusConfig {
  const account = (id: string, label: string, name: string): AccountConfig => ({
    id,
    service: "demo",
    label,
    transport: "stdio",
    ...selfCommand(),
    env: { DEMO_ACCOUNT: name },
    headers: {},
  });
  return {
    ...EMPTY_CONFIG, // every default the demo does not set
    accounts: [
      account("demo-work", "Demo — work identity", "alice@work.example"),
      account("demo-personal", "Demo — personal identity", "alice@home.example"),
    ],
    bindingMode: "session",
    defaultAccount: "demo-work",
  };
}

/** How to run this program again: the compiled binary directly, or `deno run main.ts`. */
function selfCommand(): { command: string; args: string[] } {
  const exe = Deno.execPath();
  const isDeno = /^deno(\.exe)?$/i.test(exe.split(/[\\/]/).pop() ?? "");
  if (!isDeno) return { command: exe, args: ["demo-upstream"] };
  const root = fileURLToPath(new URL("../../", import.meta.url));
  // The demo server needs only environment access; --config keeps imports resolvable from any cwd.
  return {
    command: exe,
    args: ["run", "--quiet", `--config=${root}deno.json`, "--allow-env", `${root}main.ts`, "demo-upstream"],
  };
}
