/**
 * Servers for the stateless 2026-07-28 HTTP session, handed to the SDK's `createMcpHandler` as its
 * per-request factory. The handler connects each server to one exchange and closes it after the
 * answer. Building a fresh one per request (the SDK's protocol state and 11 handlers) cost about
 * 15 µs and its garbage per call (profile, December 2026), so a closed server is handed out again.
 *
 * What that relies on, checked by tests/transport/stateless_servers_test.ts: the handler refuses
 * only an instance still connected (`transport` set), marks each one modern and seeds the client's
 * identity for every request, and restores the `onclose` it found. The broker's handlers read the
 * client's name, capabilities and log level from each request's envelope, never from the instance.
 * A server closed while one of its handlers still runs (its client went away mid-call) is dropped,
 * not reused: that handler could otherwise notify through the next request's exchange.
 */
import type { Server } from "@modelcontextprotocol/server";
import type { BuiltServer } from "./session_server.ts";

/** Idle servers kept at most: about the concurrency a busy local client reaches. */
const MAX_IDLE = 16;

/** A pool of one session's servers: `take` is the factory. */
export class StatelessServers {
  readonly #idle: Server[] = [];
  #built = 0;

  constructor(private readonly build: () => BuiltServer) {}

  /** How many servers were built so far (the rest of the requests reused one). */
  get built(): number {
    return this.#built;
  }

  /** A server not serving any request: an idle one, or a new one. */
  readonly take = (): Server => {
    const idle = this.#idle.pop();
    if (idle) return idle;
    const { server, running } = this.build();
    this.#built++;
    server.onclose = () => {
      if (running() === 0 && this.#idle.length < MAX_IDLE) this.#idle.push(server);
    };
    return server;
  };
}
