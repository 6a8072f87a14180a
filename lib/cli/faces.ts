/**
 * What the CLI knows of each command before loading it: its name, summary and options — enough
 * to parse the command line and list the commands. A command's module (and what it imports:
 * the SDK, the broker, the vault, …) is loaded only when it runs or shows its usage, so
 * `janusmcp version` and `help` start in a few tens of milliseconds. Data only: nothing here
 * may import more than the argument types.
 */
import type { OptionSpecs } from "./args.ts";

/** A command as the parser and the overview see it. */
export interface CommandFace {
  name: string;
  summary: string;
  /** Hidden commands are runnable but not listed in `help`. */
  hidden?: boolean;
  /** The command's own options, parsed together with the global ones (see args.ts). */
  options?: OptionSpecs;
}

/** The options every agent command (tools, schema, call, use) takes. */
export const AGENT_OPTIONS: OptionSpecs = {
  direct: { type: "boolean" },
  daemon: { type: "boolean" },
  timeout: { type: "string", value: "a duration such as 30s, 500ms or 2m" },
};

/** The flags `serve` takes (besides the global ones). */
export const SERVE_OPTIONS: OptionSpecs = {
  demo: { type: "boolean" },
  http: { type: "boolean" },
  transport: { type: "string", value: "stdio, http or both" },
  host: { type: "string", value: "an address" },
  port: { type: "string", value: "a port number" },
  "allow-remote": { type: "boolean" },
  "session-idle-timeout": { type: "string", value: "a number of seconds" },
};

/** `install` and `uninstall` options (the global `--json`/`--config` come with every command). */
const INSTALL_OPTIONS: OptionSpecs = { "dry-run": { type: "boolean" } };

const LOGIN_TIMEOUT: OptionSpecs = { timeout: { type: "string", value: "a number of seconds" } };

/** Every command's face, by the module that implements it. */
export const FACES = {
  serve: {
    name: "serve",
    summary: "Serve the broker over stdio and/or HTTP (the default command)",
    options: SERVE_OPTIONS,
  },
  tools: {
    name: "tools",
    summary: "List the tools of an account or profile (default: the current selector)",
    options: { ...AGENT_OPTIONS, search: { type: "string", value: "a query", nonEmpty: true } },
  },
  schema: {
    name: "schema",
    summary: "Show one tool's full definition (input schema included)",
    options: { ...AGENT_OPTIONS, account: { type: "string", value: "an account id" } },
  },
  call: {
    name: "call",
    summary: "Call one tool on one account and print its result",
    options: {
      ...AGENT_OPTIONS,
      account: { type: "string", value: "an account id" },
      args: { type: "string", value: "a JSON object" },
    },
  },
  use: {
    name: "use",
    summary: "Set the global selector (an account or profile), as janus_use_account does",
    options: AGENT_OPTIONS,
  },
  daemon: {
    name: "daemon",
    summary: "Start, stop or inspect the background broker that keeps upstreams warm",
  },
  status: {
    name: "status",
    summary: "Show each account's state and which secrets it needs (never their values)",
  },
  vault: { name: "vault", summary: "Store, list and delete the secrets config refers to as vault:NAME" },
  connect: {
    name: "connect",
    summary: "Log a remote account in with OAuth in the browser",
    options: { check: { type: "boolean" }, ...LOGIN_TIMEOUT },
  },
  disconnect: { name: "disconnect", summary: "Log a remote OAuth account out: revoke and delete its tokens" },
  login: {
    name: "login",
    summary: "Log in at an OAuth provider for oauth:NAME token references",
    options: { device: { type: "boolean" }, ...LOGIN_TIMEOUT },
  },
  version: { name: "version", summary: "Print the version" },
  install: {
    name: "install",
    summary: "Add JanusMCP to an LLM client (claude-desktop, cursor, vscode, …), or list/print the entries",
    options: INSTALL_OPTIONS,
  },
  uninstall: {
    name: "uninstall",
    summary: "Remove JanusMCP from an LLM client's MCP config",
    options: INSTALL_OPTIONS,
  },
  demoUpstream: { name: "demo-upstream", summary: "Run the demo MCP server used by --demo", hidden: true },
  help: { name: "help", summary: "Show help for janusmcp or one command" },
} as const satisfies Record<string, CommandFace>;
