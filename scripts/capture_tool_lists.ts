/**
 * Snapshots the tool lists of real MCP servers for the search-quality benchmark
 * (scripts/search_bench.ts), so that benchmark runs offline and always on the same lists.
 *
 *   npm install --prefix /tmp/mcp @modelcontextprotocol/server-filesystem@2026.8.31 \
 *     @modelcontextprotocol/server-memory@2026.8.31
 *   deno run -A scripts/capture_tool_lists.ts /tmp/mcp
 *
 * Writes tests/fixtures/tool_lists/<server>.json: `{source, tools}` with each tool's name, title,
 * description and inputSchema as the server lists them.
 */
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { fileURLToPath } from "node:url";

const OUT = fileURLToPath(new URL("../tests/fixtures/tool_lists/", import.meta.url));
const prefix = Deno.args[0];
if (!prefix) throw new Error("usage: capture_tool_lists.ts NPM_PREFIX (where the servers are installed)");

const servers = [
  {
    file: "everything",
    source: "@modelcontextprotocol/server-everything@2026.8.31",
    command: "deno",
    args: ["run", "-A", "--quiet", "npm:@modelcontextprotocol/server-everything@2026.8.31", "stdio"],
  },
  {
    file: "filesystem",
    source: "@modelcontextprotocol/server-filesystem@2026.8.31",
    command: `${prefix}/node_modules/.bin/mcp-server-filesystem`,
    args: [Deno.makeTempDirSync()],
  },
  {
    file: "memory",
    source: "@modelcontextprotocol/server-memory@2026.8.31",
    command: `${prefix}/node_modules/.bin/mcp-server-memory`,
    args: [],
  },
];

for (const server of servers) {
  const client = new Client({ name: "janus-capture", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({ command: server.command, args: server.args, stderr: "ignore" }),
  );
  const { tools } = await client.listTools();
  await client.close();
  const kept = tools.map(({ name, title, description, inputSchema }) => ({
    name,
    title,
    description,
    inputSchema,
  }));
  await Deno.writeTextFile(
    `${OUT}${server.file}.json`,
    JSON.stringify({ source: server.source, tools: kept }, null, 2) + "\n",
  );
  // deno-lint-ignore no-console
  console.log(`${server.file}: ${kept.length} tools`);
}
