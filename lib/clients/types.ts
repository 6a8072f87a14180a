/** The vocabulary of client installers: what an entry is, where a client keeps it, what a run did. */

/** The name JanusMCP is registered under in every client's config. */
export const ENTRY_NAME = "janusmcp";

/** How a client starts JanusMCP over stdio: an absolute command, its arguments, extra environment. */
export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The facts a client's config location depends on (injected, so every OS is tested on any OS). */
export interface ClientEnvironment {
  os: typeof Deno.build.os;
  /** The user's home directory. */
  home: string;
  env: (name: string) => string | undefined;
}

/** How a client's configuration is changed. */
export type ClientFormat = "json" | "toml" | "cli";

/** One install target: an LLM client and how JanusMCP is registered with it. */
export interface ClientTarget {
  id: string;
  title: string;
  format: ClientFormat;
  /** The user-level config file the client reads (for `cli` targets: the file its CLI writes). */
  configPath(environment: ClientEnvironment): string;
  /** Keys leading to the object that maps server names to entries (JSON targets). */
  containerPath: string[];
  /** The entry this client expects for a launch spec. */
  entry(spec: LaunchSpec): Record<string, unknown>;
  /** Where the user restarts or reloads the client after a change. */
  restartHint: string;
}

/** What one install or uninstall did (or, with --dry-run, would do). */
export interface ChangeResult {
  target: string;
  path: string;
  action: "added" | "updated" | "removed" | "unchanged" | "absent";
  dryRun: boolean;
  /** A unified diff of the file (empty when nothing changes). */
  diff: string;
  /** The backup written before the change, if the file existed and changed. */
  backup?: string;
  /** For CLI targets: the commands that were (or would be) run, in order. */
  commands?: string[][];
  /** For CLI targets: the CLI is not on PATH, so the user runs `commands` by hand. */
  manual?: boolean;
}
