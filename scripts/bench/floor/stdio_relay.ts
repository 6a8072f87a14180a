/**
 * The floor of a stdio relay (issue 13): a Deno process between client and upstream that copies
 * bytes both ways and does nothing else — no parsing, no MCP. Its added latency over a direct
 * call is what two extra pipe hops and one Deno process cost on this machine, the part of the
 * broker's added median no code in the broker can remove.
 *
 *   deno run -A scripts/bench/floor/stdio_relay.ts COMMAND [ARG…]
 */
const [command, ...args] = Deno.args;
if (!command) throw new Error("usage: stdio_relay.ts COMMAND [ARG…]");
const upstream = new Deno.Command(command, { args, stdin: "piped", stdout: "piped", stderr: "inherit" })
  .spawn();
await Promise.all([
  Deno.stdin.readable.pipeTo(upstream.stdin).catch(() => {}),
  upstream.stdout.pipeTo(Deno.stdout.writable).catch(() => {}),
]);
Deno.exit((await upstream.status).code);
