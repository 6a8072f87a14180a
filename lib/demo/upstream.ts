/**
 * A tiny MCP server used by the built-in demo: it reports which demo account it runs as (from
 * DEMO_ACCOUNT), so switching accounts through JanusMCP is visible at once.
 */
import { Server, type Tool } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";

/** Serves the demo upstream over stdio until stdin closes. */
export function serveDemoUpstream(account: string): Promise<void> {
  return new Promise((resolve) => {
    serveStdio(() => {
      const server = new Server(
        { name: "janusmcp-demo", version: "1.0.0" },
        { capabilities: { tools: {}, resources: {} } },
      );
      server.onclose = () => resolve();
      const tools: Tool[] = [
        {
          name: "whoami",
          description: `Say which demo account this server acts as (${account}).`,
          inputSchema: { type: "object", properties: {} },
          annotations: { readOnlyHint: true },
        },
        {
          name: "post_message",
          description: "Pretend to post a message as the current demo account.",
          inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
        },
      ];
      server.setRequestHandler("tools/list", () => ({ tools }));
      server.setRequestHandler("tools/call", (request) => {
        const text = request.params.name === "whoami"
          ? `You are acting as the demo account "${account}".`
          : `Posted as "${account}": ${String(request.params.arguments?.text ?? "")}`;
        return { content: [{ type: "text", text }] };
      });
      server.setRequestHandler("resources/list", () => ({
        resources: [{ uri: "demo://account", name: "account", mimeType: "text/plain" }],
      }));
      server.setRequestHandler("resources/read", (request) => ({
        contents: [{ uri: request.params.uri, mimeType: "text/plain", text: `demo account: ${account}` }],
      }));
      return server;
    });
  });
}
