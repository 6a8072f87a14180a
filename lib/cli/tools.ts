/** `janusmcp tools [SELECTOR]`: the tools of each account of a selector (default: the current one). */
import { assertPositionals } from "./args.ts";
import { AGENT_OPTIONS_USAGE, runAgent } from "./agent_backend.ts";
import { emit, expectReply } from "./agent_emit.ts";
import { printTools } from "./agent_output.ts";
import type { Command } from "./context.ts";
import { FACES } from "./faces.ts";

export const toolsCommand: Command = {
  ...FACES.tools,
  usage:
    `Usage: janusmcp tools [SELECTOR] [--search QUERY] [--json] [--timeout DURATION] [--direct | --daemon]

For each account of SELECTOR (an account id or a profile name; default: the persisted global
choice, else defaultAccount, else the first account): a header "# id (service) — N tools", then
each tool's name and the first sentence of its description. Tools that several accounts of a
profile share (listed once to MCP clients, with a janus_account argument) come first, in a
block "# a1, a2 (shared; --account picks one)". Names are the account's own; call one with
"janusmcp call NAME [--account ID]". --json prints the full definitions keyed by account id,
and the shared tools as "folded". An account whose upstream cannot start is reported as unavailable (exit 5).
--search QUERY lists only the best matches for QUERY (at most 10, best first): the same local
ranking as the janus_search_tools tool.

Options:
${AGENT_OPTIONS_USAGE}`,
  async run(args, ctx) {
    assertPositionals(args, "tools", 1, "at most one SELECTOR");
    const search = typeof args.values.search === "string" ? args.values.search : undefined;
    const reply = await runAgent(ctx, { op: "tools", selector: args.positionals[0], search }, args);
    return emit(ctx, printTools(expectReply(reply, "tools"), ctx.json));
  },
};
