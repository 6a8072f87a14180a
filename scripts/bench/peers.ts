/**
 * The peers JanusMCP is compared with, pinned, installed by the benchmark itself into a temp dir
 * with `npm install --prefix` (nothing global, nothing in the repository).
 */
import {
  type CommandLine,
  freePort,
  type ServerProcess,
  spawnServer,
  tempDir,
  waitForPort,
} from "./processes.ts";

/** Pinned peer versions (npm). */
export const PEER_PACKAGES = { supergateway: "4.0.0", "mcp-proxy": "6.7.19" } as const;
/** A peer by its npm package name. */
export type PeerName = keyof typeof PEER_PACKAGES;

/** Where the peers were installed. */
export interface PeerInstall {
  dir: string;
  /** The entry script of each peer's command. */
  bin: Record<PeerName, string>;
}

/** Installs the pinned peers into `dir` (a fresh temp dir by default). */
export async function installPeers(dir?: string): Promise<PeerInstall> {
  const prefix = dir ?? await tempDir("janus-bench-peers-");
  const specs = Object.entries(PEER_PACKAGES).map(([name, version]) => `${name}@${version}`);
  const output = await new Deno.Command("npm", {
    args: ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", ...specs],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`npm install of ${specs.join(" ")} failed:\n${new TextDecoder().decode(output.stderr)}`);
  }
  return {
    dir: prefix,
    bin: {
      supergateway: `${prefix}/node_modules/supergateway/dist/index.js`,
      "mcp-proxy": `${prefix}/node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs`,
    },
  };
}

/** A shell word (supergateway takes its upstream as one shell command string). */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Starts a peer on a free port in front of `upstream`; resolves once it accepts connections. */
export async function startPeer(
  install: PeerInstall,
  name: PeerName,
  upstream: CommandLine,
): Promise<{ server: ServerProcess; url: string }> {
  const port = freePort();
  const args = name === "supergateway"
    ? [
      install.bin.supergateway,
      "--stdio",
      [upstream.command, ...upstream.args].map(quote).join(" "),
      "--outputTransport",
      "streamableHttp",
      "--stateful", // stateless mode spawns a new upstream process for every POST
      "--port",
      String(port),
      "--logLevel",
      "none",
    ]
    : [
      install.bin["mcp-proxy"],
      "--server",
      "stream",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--",
      upstream.command,
      ...upstream.args,
    ];
  const server = spawnServer({ command: "node", args });
  try {
    await waitForPort(port);
  } catch (error) {
    await server.stop();
    throw new Error(`${name} did not listen: ${(error as Error).message}\n${server.stderr()}`);
  }
  return { server, url: `http://127.0.0.1:${port}/mcp` };
}
