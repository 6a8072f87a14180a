import { writeAll } from "../write_all.ts";
import type { OptionSpecs, ParsedArgs } from "./args.ts";
import type { CommandFace } from "./faces.ts";

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
  /** The environment (the process's when absent). */
  env?: (name: string) => string | undefined;
  /** Standard input (the process's when absent). */
  stdin?: CliInput;
}

/** The parts of stdin a command uses. */
export interface CliInput {
  isTerminal(): boolean;
  readable: ReadableStream<Uint8Array>;
}

/** One CLI command: its name, one-line summary, usage text and runner. */
export interface Command {
  name: string;
  summary: string;
  /** Full help text shown by `janusmcp help NAME`. */
  usage: string;
  /** Hidden commands are runnable but not listed in `help`. */
  hidden?: boolean;
  /** The command's own options, parsed together with the global ones (see args.ts). */
  options?: OptionSpecs;
  /** Runs with its parsed arguments; returns the exit code, throws JanusError on failure. */
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}

/** A command in the CLI's list: its face, and its module, loaded only to run it or show its usage. */
export interface ListedCommand extends CommandFace {
  load(): Promise<Command>;
}

/** A context bound to the process's stdout/stderr. */
export function processContext(flags: { json: boolean; configPath?: string }): CliContext {
  return {
    ...flags,
    out: (text) => writeAll(Deno.stdout, text),
    err: (text) => writeAll(Deno.stderr, text),
  };
}
