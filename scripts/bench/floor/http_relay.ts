/**
 * The floor of an HTTP-to-stdio relay (issue 13): `Deno.serve` in front of one upstream process,
 * with the least a 2025-11-25 client needs — no session, no SSE, no MCP beyond the JSON-RPC id. A
 * POSTed request goes to the upstream under a relay-wide id (sessions may reuse theirs), and its
 * reply comes back as `application/json`; a notification or a client's response gets 202; GET is
 * 405 (no server stream). Its added latency is what Deno's HTTP server plus two pipe hops cost on
 * this machine.
 *
 *   deno run -A scripts/bench/floor/http_relay.ts PORT COMMAND [ARG…]
 */
const [port, command, ...args] = Deno.args;
if (!port || !command) throw new Error("usage: http_relay.ts PORT COMMAND [ARG…]");
const upstream = new Deno.Command(command, { args, stdin: "piped", stdout: "piped", stderr: "inherit" })
  .spawn();
const writer = upstream.stdin.getWriter();
const encoder = new TextEncoder();
const waiting = new Map<number, (reply: Record<string, unknown>) => void>();
let nextId = 1;

(async () => {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of upstream.stdout) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (!line.trim()) continue;
      const message = JSON.parse(line) as Record<string, unknown>;
      const answer = typeof message.id === "number" ? waiting.get(message.id) : undefined;
      if (answer && !("method" in message)) answer(message); // the upstream's own requests are dropped
    }
  }
})();

Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen() {} }, async (request) => {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const message = await request.json() as Record<string, unknown>;
  if (!("method" in message) || !("id" in message)) {
    await writer.write(encoder.encode(JSON.stringify(message) + "\n"));
    return new Response(null, { status: 202 });
  }
  const id = nextId++;
  const reply = new Promise<Record<string, unknown>>((resolve) => waiting.set(id, resolve));
  await writer.write(encoder.encode(JSON.stringify({ ...message, id }) + "\n"));
  const answered = await reply;
  waiting.delete(id);
  return Response.json({ ...answered, id: message.id });
});
