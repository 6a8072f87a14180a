/** `janusmcp demo-upstream` (hidden): the demo MCP server the built-in demo config runs. */
import { serveDemoUpstream } from "../demo/mod.ts";
import type { Command } from "./context.ts";

export const demoUpstreamCommand: Command = {
  name: "demo-upstream",
  summary: "Run the demo MCP server used by --demo",
  usage: "Usage: janusmcp demo-upstream   (reads DEMO_ACCOUNT; used by the built-in demo)",
  hidden: true,
  async run() {
    await serveDemoUpstream(Deno.env.get("DEMO_ACCOUNT") ?? "unknown");
    return 0;
  },
};
