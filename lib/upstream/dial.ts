/** Dialling an upstream: the client transport for its launch, and the words for a failure to connect. */
import {
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from "@modelcontextprotocol/client";
import { messageOf } from "../errors.ts";
// The SDK's `getDefaultEnvironment` (tests/early_launches_test.ts holds the two equal), without its
// module: @modelcontextprotocol/client/stdio brings cross-spawn (CommonJS) and node:stream, 13-25 ms
// of loading on a first start's path to its first tools/list, for a list of six variable names.
import { inheritedEnvironment } from "../early_launches.ts";
import type { LaunchSpec } from "./launch.ts";
import type { StderrLines } from "./stderr_lines.ts";
import type { UpstreamSettings } from "./settings.ts";
import { StdioUpstreamTransport } from "./stdio_upstream.ts";
import type { StreamResumes } from "./stream_resumes.ts";

/** The MCP client transport for a launch: a child process over stdio, or a remote URL. */
export function createTransport(
  spec: LaunchSpec,
  stderr: StderrLines,
  resumes: StreamResumes,
  limits: { settings: UpstreamSettings; refused(problem: string): void },
): Transport {
  if (spec.transport === "stdio") {
    // The broker's own stdio transport: a process group per upstream and an explicit reply limit.
    return new StdioUpstreamTransport({
      command: spec.command,
      args: spec.args,
      // Only a minimal inherited environment plus the account's own: the broker's environment
      // (other accounts' tokens among it) never reaches an upstream.
      env: { ...inheritedEnvironment(), ...spec.env },
      cwd: spec.cwd,
      stderr: "pipe",
      onStderr: (chunk) => stderr.push(chunk),
      onRefused: limits.refused,
      ...limits.settings,
    });
  }
  const url = new URL(spec.url);
  const options = {
    requestInit: { headers: spec.headers },
    ...(spec.authProvider ? { authProvider: spec.authProvider } : {}),
  };
  // `auto` is settled before dialling (remote_fallback.ts); SSE only when that is what was asked.
  // Both fetch through `resumes`, whose inner fetch holds replies to the size limit.
  return spec.transport === "sse"
    ? new SSEClientTransport(url, { ...options, fetch: resumes.fetch })
    : new StreamableHTTPClientTransport(url, { ...options, fetch: resumes.fetch });
}

/** Why an upstream could not be reached, naming the account, what was started or dialled, and its last output. */
export function connectFailure(
  accountId: string,
  spec: LaunchSpec,
  error: unknown,
  recent: readonly string[],
): string {
  const target = spec.transport === "stdio" ? `command "${spec.command}"` : `${spec.transport} ${spec.url}`;
  const reason = messageOf(error);
  const tail = recent.length ? `; its last output: ${recent.join(" | ")}` : "";
  return `account "${accountId}": could not connect to its upstream (${target}): ${reason}${tail}`;
}
