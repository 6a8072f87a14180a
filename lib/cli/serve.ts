/** `janusmcp serve`: run the broker over stdio. */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { Broker } from "../broker/broker.ts";
import { loadConfig } from "../config/load.ts";
import { locateConfigFromEnvironment } from "../config/locate.ts";
import { StateStore } from "../config/state.ts";
import type { JanusConfig, Selector } from "../config/types.ts";
import { demoConfig } from "../demo/config.ts";
import { openVault } from "../secrets/open_vault.ts";
import { Redactor } from "../secrets/redact.ts";
import { JanusError } from "../errors.ts";
import { serveBrokerOverStdio } from "../transport/stdio.ts";
import { PRODUCT } from "../version.ts";
import type { CliContext, Command } from "./context.ts";

/** Where the broker's configuration and persisted choice come from. */
interface Setup {
  config: JanusConfig;
  configPath?: string;
  /** Where the file vault and state live. */
  configDir: string;
  initialGlobal?: Selector;
  persistGlobal(selector: Selector): Promise<void>;
  banner: string;
}

export const serveCommand: Command = {
  name: "serve",
  summary: "Serve the broker over stdio (the default command)",
  usage: `Usage: janusmcp [serve] [--demo] [--config PATH]

Serves JanusMCP to one MCP client over stdio (either protocol revision). stdout carries MCP
frames only; logs go to stderr. Ends when the client closes stdin, or on SIGINT/SIGTERM,
after closing every upstream.

Options:
  --demo          serve the built-in demo configuration (two accounts of a demo server)
  --config PATH   use this config file (else JANUS_CONFIG, ./config.json, the user config dir)`,
  async run(args, ctx) {
    let values;
    try {
      ({ values } = parseArgs({ args, options: { demo: { type: "boolean" } }, strict: true }));
    } catch (error) {
      throw new JanusError("usage", `serve: ${(error as Error).message}`);
    }
    const setup = values.demo ? demoSetup() : await fileSetup(ctx);
    // One redactor for everything that leaves: tool results and errors (via the session server),
    // and every log line. It learns each value the moment an upstream is given it.
    const redactor = new Redactor();
    const env = (name: string) => Deno.env.get(name);
    const passphrase = env("JANUS_VAULT_PASSPHRASE");
    if (passphrase) redactor.add("JANUS_VAULT_PASSPHRASE", passphrase);
    const log = (line: string) => ctx.err(redactor.redactText(`janusmcp: ${line}\n`));
    log(setup.banner);
    if (Deno.stdin.isTerminal()) {
      log(
        "stdin is a terminal: JanusMCP speaks MCP over stdio and is meant to be started by an MCP client (see README). To watch a scripted client use the demo, run: deno task demo. Ctrl-C stops.",
      );
    }

    const tooShort = new Set<string>();
    const broker = new Broker({
      config: setup.config,
      configPath: setup.configPath,
      initialGlobal: setup.initialGlobal,
      persistGlobal: setup.persistGlobal,
      sources: { env, vault: openVault({ config: setup.config, configDir: setup.configDir, env }) },
      log,
      secretsResolved: (accountId, secrets) => {
        for (const secret of secrets) {
          if (redactor.add(secret.name, secret.value).registered || tooShort.has(secret.name)) continue;
          tooShort.add(secret.name);
          log(`warning: [${accountId}] the value of ${secret.name} is too short to be redacted from output`);
        }
      },
    });
    const stopped = waitForStopSignal();
    const outbound = <T>(value: T): T => redactor.redactValue(value);
    await Promise.race([serveBrokerOverStdio(broker, { log, outbound }), stopped.promise]);
    stopped.dispose();
    await broker.close();
    return 0;
  },
};

function demoSetup(): Setup {
  const config = demoConfig();
  return {
    config,
    configDir: Deno.cwd(),
    persistGlobal: () => Promise.resolve(), // the demo keeps its choice in memory only
    banner: `${PRODUCT.title} ${PRODUCT.version}: serving the built-in demo over stdio (accounts: ${
      config.accounts.map((a) => a.id).join(", ")
    }). Connect an MCP client to this command, then call janus_use_account.`,
  };
}

async function fileSetup(ctx: CliContext): Promise<Setup> {
  const configPath = ctx.configPath ?? locateConfigFromEnvironment().path;
  const loaded = await loadConfig(configPath);
  const state = new StateStore(configPath, { warn: (message) => ctx.err(`janusmcp: ${message}\n`) });
  const initialGlobal = loaded.exists ? (await state.load()).globalSelector : undefined;
  const { accounts, bindingMode } = loaded.config;
  const banner = loaded.exists
    ? `${PRODUCT.title} ${PRODUCT.version}: serving over stdio; config ${configPath} (${accounts.length} account${
      accounts.length === 1 ? "" : "s"
    }, bindingMode ${bindingMode})`
    : `${PRODUCT.title} ${PRODUCT.version}: no config file at ${configPath}; serving the control tools only. Create it (see README) or run with --demo.`;
  return {
    config: loaded.config,
    configPath,
    configDir: dirname(configPath),
    initialGlobal,
    persistGlobal: (selector) => state.save({ globalSelector: selector }),
    banner,
  };
}

/** Resolves on SIGINT or SIGTERM (SIGINT only on Windows). */
function waitForStopSignal(): { promise: Promise<void>; dispose(): void } {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let listener = () => {};
  const promise = new Promise<void>((resolve) => {
    listener = () => resolve();
  });
  for (const signal of signals) Deno.addSignalListener(signal, listener);
  return { promise, dispose: () => signals.forEach((signal) => Deno.removeSignalListener(signal, listener)) };
}
