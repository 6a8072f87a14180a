/** `janusmcp schema TOOL`: one tool's full definition. */
import { JanusError } from "../errors.ts";
import { assertPositionals, stringOption } from "./args.ts";
import { AGENT_OPTIONS_USAGE, runAgent } from "./agent_backend.ts";
import { emit, expectReply } from "./agent_emit.ts";
import { printSchema } from "./agent_output.ts";
import type { Command } from "./context.ts";
import { FACES } from "./faces.ts";

export const schemaCommand: Command = {
  ...FACES.schema,
  usage: `Usage: janusmcp schema TOOL [--account ID] [--json] [--timeout DURATION] [--direct | --daemon]

Prints TOOL's definition as JSON (name, description, inputSchema, annotations…), looked up in
the current selector's accounts, or in account ID with --account. A name several accounts of a
profile share needs --account (exit 3, naming the candidates). --json prints
{"ok":true,"account":ID,"tool":{…}} on one line.

Options:
  --account ID        the account whose tool this is
${AGENT_OPTIONS_USAGE}`,
  async run(args, ctx) {
    assertPositionals(args, "schema", 1, "one TOOL");
    const tool = args.positionals[0];
    if (tool === undefined) {
      throw new JanusError("usage", "schema needs a TOOL name; list them with janusmcp tools");
    }
    const reply = await runAgent(ctx, { op: "schema", tool, account: stringOption(args, "account") }, args);
    return emit(ctx, printSchema(expectReply(reply, "schema"), ctx.json));
  },
};
