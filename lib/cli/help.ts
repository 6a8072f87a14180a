/** `janusmcp help [command]`: usage for the program or one command. */
import { JanusError } from "../errors.ts";
import { PRODUCT } from "../version.ts";
import type { Command, ListedCommand } from "./context.ts";
import type { CommandFace } from "./faces.ts";
import { FACES } from "./faces.ts";

/** The program's overview: commands and global flags. */
export function overview(commands: readonly CommandFace[]): string {
  const listed = commands.filter((c) => !c.hidden);
  const width = Math.max(...listed.map((c) => c.name.length));
  return `${PRODUCT.title} ${PRODUCT.version} — one local MCP endpoint for many accounts of the same services.

Usage: janusmcp [command] [options]

Commands:
${listed.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Global options:
  --config PATH   config file (else JANUS_CONFIG, ./config.json, the user config dir)
  --json          print one JSON document (errors as {"ok":false,"error":{...}} on stderr)
  --help, -h      show help
  --version, -V   print the version

Run "janusmcp help COMMAND" for a command's options.
`;
}

/** Builds the help command over the full command list (a command's usage is loaded with it). */
export function helpCommand(commands: () => readonly ListedCommand[]): Command {
  return {
    ...FACES.help,
    usage: "Usage: janusmcp help [command]",
    async run({ positionals }, ctx) {
      if (positionals.length === 0) {
        ctx.out(overview(commands()));
        return 0;
      }
      const command = commands().find((c) => c.name === positionals[0]);
      if (!command) {
        throw new JanusError(
          "usage",
          `unknown command "${positionals[0]}"; run "janusmcp help" for the list`,
        );
      }
      ctx.out(`${(await command.load()).usage}\n`);
      return 0;
    },
  };
}
