// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Plays a short client conversation against `janusmcp --demo` so switching can be watched in a
 * terminal: who am I, call a tool, switch, call again. Run: deno task demo [--modern]
 */
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { BROKER_RUN_FLAGS } from "../lib/run_flags.ts";

const modern = Deno.args.includes("--modern");
const main = fileURLToPath(new URL("../main.ts", import.meta.url));
const transport = new StdioClientTransport({
  command: Deno.execPath(),
  args: ["run", "--quiet", ...BROKER_RUN_FLAGS, main, "serve", "--demo"],
  stderr: "inherit",
});
const client = new Client(
  { name: "janusmcp-demo-session", version: "1.0.0" },
  { versionNegotiation: { mode: modern ? { pin: "2026-07-28" } : "legacy" } },
);
client.setNotificationHandler("notifications/tools/list_changed", () => {
  console.log("  ← notifications/tools/list_changed");
});
await client.connect(transport);
// On 2026-07-28 change notifications arrive only on an open subscriptions/listen stream.
if (modern) await client.listen({ toolsListChanged: true });
console.log(`connected at protocol ${client.getNegotiatedProtocolVersion()}`);

const text = (result: { content?: unknown }) =>
  (result.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");
const call = async (name: string, args: Record<string, unknown> = {}) => {
  console.log(`\n→ ${name} ${JSON.stringify(args)}`);
  console.log(text(await client.callTool({ name, arguments: args })));
};

console.log(`tools: ${(await client.listTools()).tools.map((t) => t.name).join(", ")}`);
await call("whoami");
await call("janus_use_account", { account_id: "demo-personal" });
await call("whoami");
await call("janus_with_account", { account_id: "demo-work", tool: "whoami" });
await client.close();
