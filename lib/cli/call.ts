/** `janusmcp call TOOL`: call one tool on one account, arguments from --args or stdin. */
import { JanusError } from "../errors.ts";
import { assertPositionals, type ParsedArgs, stringOption } from "./args.ts";
import { AGENT_OPTIONS_USAGE, runAgent } from "./agent_backend.ts";
import { emit, expectReply } from "./agent_emit.ts";
import { printCall } from "./agent_output.ts";
import type { CliContext, Command } from "./context.ts";
import { FACES } from "./faces.ts";

export const callCommand: Command = {
  ...FACES.call,
  usage: `Usage: janusmcp call TOOL [--account ID] [--args JSON] [--json] [--timeout DURATION]
                     [--direct | --daemon]

Calls TOOL on the account of the current selector that has it (or on account ID), with the
arguments in --args, else read from stdin when it is not a terminal, else {}. They must be a
JSON object. A "janus_account" argument (as MCP clients pass to a tool several accounts share)
picks the account like --account, and is not passed on. Prints text content one item per line and other content as one JSON line each;
--json prints {"ok","account","tool","isError","content","structuredContent"?} on one line.
Never changes the global selector.

Exit codes: 0 ok · 2 bad arguments · 3 unknown or ambiguous tool (the candidates are named) ·
4 auth · 5 upstream or daemon unavailable · 6 the tool returned isError · 7 the tool needs input
the command line cannot give · 124 timeout · 130 interrupted (the upstream call is cancelled).

Options:
  --account ID        the account to call it on
  --args JSON         the arguments, a JSON object
${AGENT_OPTIONS_USAGE}`,
  async run(args, ctx) {
    assertPositionals(args, "call", 1, "one TOOL");
    const tool = args.positionals[0];
    if (tool === undefined) {
      throw new JanusError("usage", "call needs a TOOL name; list them with janusmcp tools");
    }
    const toolArguments = await readArguments(args, ctx);
    const reply = await runAgent(
      ctx,
      { op: "call", tool, account: stringOption(args, "account"), arguments: toolArguments },
      args,
    );
    return emit(ctx, printCall(expectReply(reply, "call"), ctx.json));
  },
};

/** The tool arguments: --args, else piped stdin, else {}; a JSON object or a usage error naming the problem. */
export async function readArguments(args: ParsedArgs, ctx: CliContext): Promise<Record<string, unknown>> {
  let text = stringOption(args, "args");
  let source = "--args";
  if (text === undefined) {
    const stdin = ctx.stdin ?? Deno.stdin;
    if (stdin.isTerminal()) return {};
    text = await new Response(stdin.readable).text();
    source = "stdin";
    if (text.trim() === "") return {};
  }
  return parseArguments(text, source);
}

/** Parses tool arguments (pure). */
export function parseArguments(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JanusError("usage", `${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new JanusError("usage", `${source} must be a JSON object of tool arguments, got ${kind}`);
  }
  return value as Record<string, unknown>;
}
