/** `janusmcp use SELECTOR`: set the persisted global selector. */
import { JanusError } from "../errors.ts";
import { assertPositionals } from "./args.ts";
import { AGENT_OPTIONS_USAGE, runAgent } from "./agent_backend.ts";
import { emit, expectReply } from "./agent_emit.ts";
import { printUse } from "./agent_output.ts";
import type { Command } from "./context.ts";
import { FACES } from "./faces.ts";

export const useCommand: Command = {
  ...FACES.use,
  usage: `Usage: janusmcp use SELECTOR [--json] [--timeout DURATION] [--direct | --daemon]

Points the persisted global choice at SELECTOR (an account id or a profile name) after checking
its upstreams start; MCP sessions that follow the global choice, and later CLI commands, use it.
Refused (exit 3) when bindingMode is "locked". "tools", "schema" and "call" never change it.

Options:
${AGENT_OPTIONS_USAGE}`,
  async run(args, ctx) {
    assertPositionals(args, "use", 1, "one SELECTOR");
    const selector = args.positionals[0];
    if (selector === undefined) {
      throw new JanusError("usage", "use needs a SELECTOR: an account id or a profile name");
    }
    const reply = await runAgent(ctx, { op: "use", selector }, args);
    return emit(ctx, printUse(expectReply(reply, "use"), ctx.json));
  },
};
