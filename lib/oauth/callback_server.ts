/**
 * The loopback redirect target of a browser login (RFC 8252 §7.3): listens on 127.0.0.1 only,
 * answers one `/callback`, and is closed afterwards. The port is 7334 unless JANUS_OAUTH_PORT
 * says otherwise (tests pass a free one); a taken port is a clear error, not a random port, as
 * the redirect URI is part of the client's registration.
 */
import { JanusError } from "../errors.ts";

/** The default callback port. */
export const DEFAULT_OAUTH_PORT = 7334;
const CALLBACK_PATH = "/callback";

/** What the authorization server sent back to the redirect URI. */
export type CallbackResult =
  | { kind: "code"; code: string; state?: string; iss?: string }
  | { kind: "error"; error: string; description?: string; state?: string };

/** A listening callback server. */
export interface CallbackServer {
  /** The redirect URI to register and send. */
  redirectUrl: string;
  /** Resolves with the first callback that reaches `/callback`. */
  result: Promise<CallbackResult>;
  close(): Promise<void>;
}

/** The callback port from JANUS_OAUTH_PORT, else the default. */
export function callbackPort(env: (name: string) => string | undefined): number {
  const raw = env("JANUS_OAUTH_PORT")?.trim();
  if (raw === undefined || raw === "") return DEFAULT_OAUTH_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new JanusError(
      "usage",
      `JANUS_OAUTH_PORT must be a port number (1–65535), not ${JSON.stringify(raw)}`,
    );
  }
  return port;
}

const PAGE = (title: string, body: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${body}</p></body>`;

/** Starts listening on 127.0.0.1:port; throws a usage error naming the port when it is taken. */
export function startCallbackServer(port: number): CallbackServer {
  let settle!: (result: CallbackResult) => void;
  const result = new Promise<CallbackResult>((resolve) => settle = resolve);
  let done = false;
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (request) => {
      const url = new URL(request.url);
      if (url.pathname !== CALLBACK_PATH || request.method !== "GET") {
        return new Response("Not Found", { status: 404 });
      }
      if (done) return new Response(PAGE("Already handled", "This login has already finished."), html());
      const q = url.searchParams;
      const state = q.get("state") ?? undefined;
      const error = q.get("error");
      const code = q.get("code");
      if (error !== null || code === null) {
        done = true;
        settle({
          kind: "error",
          error: error ?? "missing_code",
          ...(q.get("error_description") ? { description: q.get("error_description") ?? "" } : {}),
          state,
        });
        return new Response(
          PAGE("Login failed", "You can close this window and look at the terminal."),
          html(),
        );
      }
      done = true;
      settle({ kind: "code", code, state, iss: q.get("iss") ?? undefined });
      return new Response(
        PAGE("Logged in", "JanusMCP received the login. You can close this window."),
        html(),
      );
    });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new JanusError(
        "usage",
        `the login callback port 127.0.0.1:${port} is already in use (another login in progress?); free it or set JANUS_OAUTH_PORT to another port`,
      );
    }
    throw error;
  }
  return {
    redirectUrl: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}${CALLBACK_PATH}`,
    result,
    close: async () => {
      await server.shutdown();
    },
  };
}

function html(): ResponseInit {
  return { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } };
}
