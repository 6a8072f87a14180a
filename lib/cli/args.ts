/**
 * The one command-line parser: global options and the chosen command's own options are parsed
 * together by `node:util` `parseArgs`, in one pass over the arguments after the command name,
 * so every flag works before or after positionals and no command sees a flag another layer ate.
 * Pure: commands are passed in, nothing is read from the process.
 */
import { parseArgs } from "node:util";
import { JanusError } from "../errors.ts";

/** One option a command (or the program) accepts. */
export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
  /** What the value is, for "--name needs …" (default "a value"). */
  value?: string;
  /** An empty value (`--name=`) counts as missing; otherwise the command judges it. */
  nonEmpty?: boolean;
}

/** Options by long name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What a command receives: its positionals and every option given (globals included). */
export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** The options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  json: { type: "boolean" },
  config: { type: "string", value: "a file path", nonEmpty: true },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

/** A command as the parser sees it. */
export interface ParsableCommand {
  name: string;
  options?: OptionSpecs;
}

/** The parsed command line: which command, and its arguments. */
export interface CommandLine<C extends ParsableCommand> {
  /** Undefined when the first positional names no command (the caller reports it). */
  command?: C;
  /** The command name as typed (the default command's name when none was typed). */
  name: string;
  /** Whether a command name was typed (else the default command runs). */
  typed: boolean;
  args: ParsedArgs;
  json: boolean;
  help: boolean;
  version: boolean;
  configPath?: string;
}

/**
 * Finds the command (the first positional; `defaultName` when there is none) and parses the
 * rest with the global options plus that command's. Throws a usage JanusError naming the
 * offending option.
 */
export function parseCommandLine<C extends ParsableCommand>(
  argv: readonly string[],
  commands: readonly C[],
  defaultName: string,
): CommandLine<C> {
  // First find the command name: options of any command may come before it, so every known
  // option's arity is needed to tell an option's value from the command name.
  const union = unionOptions(commands);
  const first = tokenize(argv, union).find((t) => t.kind === "positional" || t.kind === "option-terminator");
  const typed = first?.kind === "positional" ? first : undefined;
  const name = typed?.value ?? defaultName;
  const command = commands.find((c) => c.name === name);
  const rest = typed ? [...argv.slice(0, typed.index), ...argv.slice(typed.index + 1)] : [...argv];
  const specs = { ...GLOBAL_OPTIONS, ...command?.options };
  // An unknown command is reported as such, not as a complaint about one of its flags.
  const args = command ? parseOptions(rest, specs, name) : lenient(rest);
  const config = args.values.config;
  return {
    command,
    name,
    typed: typed !== undefined,
    args,
    json: args.values.json === true,
    help: args.values.help === true,
    version: args.values.version === true,
    configPath: typeof config === "string" ? config : undefined,
  };
}

/** Parses `args` against `specs` strictly: unknown options, missing values and stray values are usage errors. */
export function parseOptions(args: readonly string[], specs: OptionSpecs, commandName?: string): ParsedArgs {
  const values: ParsedArgs["values"] = {};
  const positionals: string[] = [];
  for (const token of tokenize(args, specs)) {
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === "option-terminator") continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    // Global options' errors read the same whatever the command; a command's own say whose they are.
    const prefix = commandName && spec && !Object.hasOwn(GLOBAL_OPTIONS, token.name)
      ? `${commandName}: `
      : "";
    if (!spec) {
      throw new JanusError(
        "usage",
        `${commandName ? `${commandName}: ` : ""}Unknown option '${token.rawName}'${
          commandName ? `; see "janusmcp help ${commandName}"` : ""
        }`,
      );
    }
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new JanusError("usage", `${prefix}--${token.name} takes no value`);
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    // A value taken from the next argument may not look like an option: `--config --json` is a
    // forgotten value, not a file named "--json" (write --config=--json for that).
    if (
      value === undefined || (spec.nonEmpty && value === "") || (!token.inlineValue && value.startsWith("-"))
    ) {
      throw new JanusError("usage", `${prefix}--${token.name} needs ${spec.value ?? "a value"}`);
    }
    values[token.name] = value; // the last one wins
  }
  return { positionals, values };
}

type Token =
  | { kind: "positional"; index: number; value: string }
  | { kind: "option-terminator"; index: number }
  | { kind: "option"; index: number; name: string; rawName: string; value?: string; inlineValue?: boolean };

function tokenize(args: readonly string[], specs: OptionSpecs): Token[] {
  const options: Record<string, { type: "boolean" | "string"; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  return parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true })
    .tokens as Token[];
}

/** Best-effort values for an unknown command (only --json matters: how to report the error). */
function lenient(args: readonly string[]): ParsedArgs {
  const tokens = tokenize(args, GLOBAL_OPTIONS);
  const values: ParsedArgs["values"] = {};
  for (const token of tokens) {
    if (token.kind === "option" && token.name === "json" && token.value === undefined) values.json = true;
  }
  return { positionals: tokens.flatMap((t) => t.kind === "positional" ? [t.value] : []), values };
}

/** Every option of every command, for finding the command name; conflicting declarations are a bug. */
function unionOptions(commands: readonly ParsableCommand[]): OptionSpecs {
  const union: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS };
  for (const command of commands) {
    for (const [name, spec] of Object.entries(command.options ?? {})) {
      const seen = union[name];
      if (seen && (seen.type !== spec.type || seen.short !== spec.short)) {
        throw new Error(`option --${name} of ${command.name} conflicts with another declaration`);
      }
      union[name] = spec;
    }
  }
  return union;
}

/** The option's value as a string, if given. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

/** Whether a boolean option was given. */
export function flagOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** Refuses more positionals than a command takes. */
export function assertPositionals(args: ParsedArgs, command: string, max: number, names = ""): void {
  if (args.positionals.length > max) {
    const extra = JSON.stringify(args.positionals[max]);
    throw new JanusError(
      "usage",
      max === 0
        ? `${command} takes no arguments, got ${extra}`
        : `${command} takes ${names}, got an extra argument ${extra}`,
    );
  }
}
