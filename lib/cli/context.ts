import { writeAll } from "../write_all.ts";

/** What every CLI command receives: parsed global flags and where to write. */
export interface CliContext {
  /** `--json`: print one JSON document (errors as an envelope on stderr). */
  json: boolean;
  /** `--config PATH`, when given (else JANUS_CONFIG / ./config.json / the user config dir). */
  configPath?: string;
  /** Writes to stdout (never used by `serve` in stdio mode: stdout carries MCP frames). */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
}

/** One CLI command: its name, one-line summary, usage text and runner. */
export interface Command {
  name: string;
  summary: string;
  /** Full help text shown by `janusmcp help NAME`. */
  usage: string;
  /** Hidden commands are runnable but not listed in `help`. */
  hidden?: boolean;
  /** Runs with the arguments after the command name; returns the exit code, throws JanusError on failure. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** A context bound to the process's stdout/stderr. */
export function processContext(flags: { json: boolean; configPath?: string }): CliContext {
  return {
    ...flags,
    out: (text) => writeAll(Deno.stdout, text),
    err: (text) => writeAll(Deno.stderr, text),
  };
}
