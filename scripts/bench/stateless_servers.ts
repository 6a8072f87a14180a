// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * What reusing the stateless 2026-07-28 servers saves, in-process and without an upstream (so
 * scheduling on a loaded machine hardly enters): `tools/call janus_whoami` through the SDK's
 * `createMcpHandler`, once with a fresh session server per request (as before December 2026) and
 * once with `StatelessServers`, alternating; prints the process CPU per request.
 *
 *   deno run -A scripts/bench/stateless_servers.ts [--requests 2000] [--rounds 7]
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { Broker } from "../../lib/broker/mod.ts";
import { validateConfig } from "../../lib/config/validate.ts";
import { buildSessionServer, createSessionServer } from "../../lib/transport/session_server.ts";
import { StatelessServers } from "../../lib/transport/stateless_servers.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { requests: { type: "string", default: "2000" }, rounds: { type: "string", default: "7" } },
});
const requests = Number(values.requests);
const rounds = Number(values.rounds);

const validated = validateConfig({ accounts: [] });
if (!validated.ok) throw new Error("the empty config does not validate");
const broker = new Broker({
  config: validated.config,
  sources: { env: () => undefined },
  persistGlobal: () => Promise.resolve(),
  log: () => {},
});
const session = broker.openSession("http-stateless", { stateless: true });
const pool = new StatelessServers(() => buildSessionServer(broker, session));
const handlers = {
  fresh: createMcpHandler(() => createSessionServer(broker, session), { legacy: "reject" }),
  pooled: createMcpHandler(pool.take, { legacy: "reject" }),
};

async function call(handler: { fetch: typeof handlers.fresh.fetch }, id: number): Promise<void> {
  const body = {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: {
      name: "janus_whoami",
      arguments: {},
      _meta: {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" },
        "io.modelcontextprotocol/clientCapabilities": {},
      },
    },
  };
  const response = await handler.fetch(
    new Request("http://127.0.0.1/mcp", {
      method: "POST",
      body: JSON.stringify(body),
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": "tools/call",
        "mcp-name": "janus_whoami",
      },
    }),
    { parsedBody: body },
  );
  const text = await response.text();
  if (response.status !== 200) throw new Error(text);
}

const cpu: Record<keyof typeof handlers, number[]> = { fresh: [], pooled: [] };
for (let round = 0; round <= rounds; round++) {
  for (const name of ["fresh", "pooled"] as const) {
    for (let i = 0; i < requests / 10; i++) await call(handlers[name], i);
    const before = process.cpuUsage();
    for (let i = 0; i < requests; i++) await call(handlers[name], i);
    const used = process.cpuUsage(before);
    if (round > 0) cpu[name].push((used.user + used.system) / requests); // round 0 warms the JIT
  }
}
for (const [name, runs] of Object.entries(cpu)) {
  const sorted = [...runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `${name}: CPU ${median.toFixed(1)} µs/request (runs ${sorted.map((r) => r.toFixed(0)).join(", ")})`,
  );
}
console.log(`servers the pool built: ${pool.built}`);
Deno.exit(0); // the open handlers keep the event loop alive
