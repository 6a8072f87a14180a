/** Reading a running broker's module list from its inspector (`deno run --inspect=127.0.0.1:0`). */
import { BROKER_RUN_FLAGS } from "../../lib/run_flags.ts";
import { REPO } from "./harness.ts";

/**
 * The command line of `janusmcp serve --config PATH …` with the inspector on, run as users run it.
 * No --quiet: it would hide the inspector's "Debugger listening on" line.
 */
export function inspectableServeArgs(configPath: string, extra: string[] = []): string[] {
  return [
    "run",
    `--config=${REPO}deno.json`,
    ...BROKER_RUN_FLAGS,
    "--inspect=127.0.0.1:0",
    `${REPO}main.ts`,
    "serve",
    "--config",
    configPath,
    ...extra,
  ];
}

/** The inspector's URL in a `deno run --inspect` stderr line, if this is that line. */
export function inspectorUrl(line: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1];
}

/** The URLs of every script the process has parsed so far (the inspector reports them on enable). */
export async function loadedScripts(inspector: string): Promise<string[]> {
  const socket = new WebSocket(inspector);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot reach the inspector at ${inspector}`));
  });
  const urls: string[] = [];
  try {
    await new Promise<void>((resolve) => {
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as {
          id?: number;
          method?: string;
          params?: { url: string };
        };
        if (message.method === "Debugger.scriptParsed" && message.params) urls.push(message.params.url);
        if (message.id === 1) resolve(); // the reply comes after every scriptParsed event
      };
      socket.send(JSON.stringify({ id: 1, method: "Debugger.enable", params: {} }));
    });
  } finally {
    socket.close();
  }
  return urls;
}
