/**
 * Listening with `Deno.serve` (plain Deno, no SDK): shared by the HTTP transport and by `serve
 * --http`, which listens before it loads the transport and the broker (lib/cli/serve_http.ts).
 */

/** What is served: a request handler and how to stop it. */
export interface Served {
  fetch(request: Request): Response | Promise<Response>;
  /** Drains calls in flight (bounded), then closes every session and stream. */
  close(): Promise<void>;
}

/** A listening HTTP server. */
export interface HttpServerHandle {
  /** The address actually bound (the port is real even when 0 was asked). */
  url: string;
  /** Stops accepting, drains, closes sessions; resolves when the server is down. */
  shutdown(): Promise<void>;
}

/** Serves `app` on `host:port` with `Deno.serve`. */
export function listenHttp(app: Served, host: string, port: number): Promise<HttpServerHandle> {
  return new Promise((resolve, reject) => {
    try {
      const server = Deno.serve({
        hostname: host,
        port,
        onListen: ({ port: bound }) => {
          const shown = host.includes(":") ? `[${host}]` : host;
          resolve({
            url: `http://${shown}:${bound}`,
            async shutdown() {
              const stopped = server.shutdown(); // stops accepting now; resolves when responses end
              await app.close(); // drains calls, then ends the streams that would never end alone
              await stopped;
            },
          });
        },
      }, app.fetch);
    } catch (error) {
      reject(error);
    }
  });
}
