/**
 * The six upstreams of the matrix (three kinds × stdio and Streamable HTTP), and how to reach
 * each directly or as an account of the broker.
 */
import { StreamableHTTPClientTransport, type Transport } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { StderrLines } from "../../../lib/upstream/stderr_lines.ts";
import { REPO } from "../harness.ts";
import type { FixtureKind } from "../../fixtures/matrix_server.ts";

export const KINDS: FixtureKind[] = ["legacy", "modern", "dual"];
export const TRANSPORTS = ["stdio", "http"] as const;
export type UpstreamTransport = typeof TRANSPORTS[number];

/** One upstream of the matrix. */
export interface Upstream {
  kind: FixtureKind;
  transport: UpstreamTransport;
  /** Its account id in the broker's config. */
  id: string;
  /** HTTP only: where it listens. */
  url?: string;
}

/** What the table calls each kind. */
export const KIND_LABEL: Record<FixtureKind, string> = {
  legacy: "2025-only",
  modern: "2026-only",
  dual: "both",
};

const STDIO_ARGS = (kind: FixtureKind) => [
  "run",
  "--quiet",
  `--config=${REPO}deno.json`,
  "--allow-env=MATRIX_BAD_TOOL",
  `${REPO}tests/fixtures/matrix_stdio.ts`,
  kind,
];

/** Starts an HTTP fixture of one kind on a free port. */
export async function startHttpFixture(
  kind: FixtureKind,
  env: Record<string, string> = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--quiet",
      `--config=${REPO}deno.json`,
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      `${REPO}tests/fixtures/matrix_http.ts`,
      kind,
      "0",
    ],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const url = await new Promise<string>((resolve, reject) => {
    (async () => {
      const seen: string[] = [];
      const lines = new StderrLines((line) => {
        seen.push(line);
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match) resolve(match[1]);
      });
      for await (const chunk of child.stderr) lines.push(chunk);
      lines.end();
      reject(new Error(`matrix fixture ${kind} exited: ${seen.join("\n")}`));
    })();
  });
  return {
    url,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
    },
  };
}

/** A transport that reaches an upstream directly. */
export function directTransport(upstream: Upstream): Transport {
  if (upstream.transport === "http") {
    return new StreamableHTTPClientTransport(new URL(upstream.url ?? "http://missing-url.invalid/"));
  }
  return new StdioClientTransport({
    command: "deno",
    args: STDIO_ARGS(upstream.kind),
    env: getDefaultEnvironment(),
    stderr: "ignore",
  });
}

/** The upstream as an account of the broker's config. */
export function accountOf(upstream: Upstream): Record<string, unknown> {
  const base = {
    id: upstream.id,
    service: "matrix",
    label: `${KIND_LABEL[upstream.kind]} over ${upstream.transport}`,
  };
  return upstream.transport === "http"
    ? { ...base, transport: "http", url: upstream.url }
    : { ...base, command: "deno", args: STDIO_ARGS(upstream.kind) };
}
