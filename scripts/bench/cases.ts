/**
 * The paths a call can take, each started fresh for every run: direct to the upstream (the
 * floor), through JanusMCP (stdio or HTTP in, both revisions), and through the peers.
 */
import type { Client } from "@modelcontextprotocol/client";
import { PEER_PACKAGES, type PeerInstall, type PeerName, startPeer } from "./peers.ts";
import {
  account,
  brokerLine,
  type CommandLine,
  cpuSeconds,
  EVERYTHING,
  freePort,
  httpClient,
  type Revision,
  rssMiB,
  spawnServer,
  startHttpBroker,
  stdioClient,
  waitForPort,
  writeConfig,
} from "./processes.ts";

/** One client session on a started case. */
export interface BenchSession {
  client: Client;
  close(): Promise<void>;
}

/** A case, started: sessions can be opened on it until it is stopped. */
export interface StartedCase {
  /** Opens a session; stdio cases allow exactly one (the process is the session). */
  open(): Promise<BenchSession>;
  /** The resident memory of the serving process (the broker or peer, not the upstream), MiB. */
  rssMiB(): number;
  /** CPU seconds the serving process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A path a call can take. */
export interface BenchCase {
  id: string;
  label: string;
  group: "direct" | "floor" | "janus" | "peer";
  transport: "stdio" | "http";
  revision: Revision;
  /** Starts it fresh (a new broker, peer or upstream process). */
  start(setup: CaseSetup): Promise<StartedCase>;
}

/** What starting a case may need. */
export interface CaseSetup {
  peers?: PeerInstall;
  /** Extra `deno run` flags for the broker process (e.g. `--inspect=127.0.0.1:0`). */
  brokerFlags?: string[];
  /** Receives the broker's stderr (stdio cases), e.g. to find the inspector URL. */
  brokerStderr?: (text: string) => void;
}

/** A stdio server as a case: its one process is its one session. */
function stdioCase(line: () => Promise<CommandLine>, revision: Revision, setup: CaseSetup): StartedCase {
  let pid: number | undefined;
  let opened: BenchSession | undefined;
  return {
    async open() {
      if (opened) throw new Error("a stdio case has one session");
      const started = await stdioClient(await line(), revision, setup.brokerStderr);
      pid = started.pid;
      opened = { client: started.client, close: () => started.client.close() };
      return opened;
    },
    rssMiB: () => rssMiB(pid),
    cpuSeconds: () => cpuSeconds(pid),
    async stop() {
      await opened?.client.close();
    },
  };
}

/** A config with one server-everything account. */
export function everythingConfig(): Promise<string> {
  return writeConfig({ accounts: [account("everything", EVERYTHING)] });
}

function httpCase(
  url: string,
  server: { pid: number; stop(): Promise<void> },
  revision: Revision,
): StartedCase {
  const open = new Set<BenchSession>();
  return {
    async open() {
      const session = await httpClient(url, revision);
      const tracked = {
        client: session.client,
        close: async () => {
          open.delete(tracked);
          await session.close();
        },
      };
      open.add(tracked);
      return tracked;
    },
    rssMiB: () => rssMiB(server.pid),
    cpuSeconds: () => cpuSeconds(server.pid),
    async stop() {
      await Promise.all([...open].map((session) => session.close().catch(() => {})));
      await server.stop();
    },
  };
}

function janusStdio(revision: Revision): BenchCase {
  return {
    id: `janus-stdio-${revision.slice(0, 4)}`,
    label: `JanusMCP (stdio ${revision} → stdio)`,
    group: "janus",
    transport: "stdio",
    revision,
    start: (setup) =>
      Promise.resolve(
        stdioCase(
          async () => brokerLine(["serve", "--config", await everythingConfig()], setup.brokerFlags),
          revision,
          setup,
        ),
      ),
  };
}

function janusHttp(revision: Revision): BenchCase {
  return {
    id: `janus-http-${revision.slice(0, 4)}`,
    label: `JanusMCP (HTTP ${revision} → stdio)`,
    group: "janus",
    transport: "http",
    revision,
    async start(setup) {
      const { server, url } = await startHttpBroker(await everythingConfig(), setup.brokerFlags);
      return httpCase(url, server, revision);
    },
  };
}

function peer(name: PeerName, revision: Revision = "2025-11-25"): BenchCase {
  return {
    id: revision === "2025-11-25" ? name : `${name}-${revision.slice(0, 4)}`,
    label: `${name} ${PEER_PACKAGES[name]} (HTTP ${revision} → stdio)`,
    group: "peer",
    transport: "http",
    revision,
    async start(setup) {
      if (!setup.peers) throw new Error("the peers are not installed");
      const { server, url } = await startPeer(setup.peers, name, EVERYTHING);
      return httpCase(url, server, revision);
    },
  };
}

const FLOOR = new URL("./floor/", import.meta.url).pathname;

/** A bare Deno relay in front of the upstream (scripts/bench/floor): what no broker code can remove. */
function floor(transport: "stdio" | "http"): BenchCase {
  const relay = (extra: string[]) => ({
    command: "deno",
    args: ["run", "-A", `${FLOOR}${transport}_relay.ts`, ...extra, EVERYTHING.command, ...EVERYTHING.args],
  });
  return {
    id: `floor-${transport}`,
    label: `floor: bare Deno relay (${transport === "stdio" ? "stdio" : "HTTP 2025-11-25"} → stdio)`,
    group: "floor",
    transport,
    revision: "2025-11-25",
    async start(setup) {
      if (transport === "stdio") return stdioCase(() => Promise.resolve(relay([])), "2025-11-25", setup);
      const port = freePort();
      const server = spawnServer(relay([String(port)]));
      await waitForPort(port);
      return httpCase(`http://127.0.0.1:${port}/mcp`, server, "2025-11-25");
    },
  };
}

/** Every case, in table order. */
export const CASES: readonly BenchCase[] = [
  {
    id: "direct",
    label: "direct (stdio, no proxy)",
    group: "direct",
    transport: "stdio",
    revision: "2025-11-25",
    start: (setup) => Promise.resolve(stdioCase(() => Promise.resolve(EVERYTHING), "2025-11-25", setup)),
  },
  floor("stdio"),
  floor("http"),
  janusStdio("2025-11-25"),
  janusStdio("2026-07-28"),
  janusHttp("2025-11-25"),
  janusHttp("2026-07-28"),
  peer("supergateway"),
  peer("mcp-proxy"),
  peer("mcp-proxy", "2026-07-28"), // supergateway 4.0.0 does not offer 2026-07-28 (server/discover)
];
