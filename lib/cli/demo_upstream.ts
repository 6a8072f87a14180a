/** `janusmcp demo-upstream` (hidden): the demo MCP server the built-in demo config runs. */
import { serveDemoUpstream } from "../demo/mod.ts";
import type { Command } from "./context.ts";
import { FACES } from "./faces.ts";

export const demoUpstreamCommand: Command = {
  ...FACES.demoUpstream,
  usage: "Usage: janusmcp demo-upstream   (reads DEMO_ACCOUNT; used by the built-in demo)",
  async run() {
    await serveDemoUpstream(Deno.env.get("DEMO_ACCOUNT") ?? "unknown");
    return 0;
  },
};
