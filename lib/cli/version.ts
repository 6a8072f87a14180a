/** `janusmcp version`: print the version. */
import { PRODUCT } from "../version.ts";
import type { Command } from "./context.ts";

export const versionCommand: Command = {
  name: "version",
  summary: "Print the version",
  usage: "Usage: janusmcp version [--json]   (also: janusmcp --version)",
  run(_args, ctx) {
    ctx.out(
      ctx.json
        ? JSON.stringify({
          ok: true,
          name: PRODUCT.name,
          version: PRODUCT.version,
          deno: Deno.version.deno,
        }) + "\n"
        : `${PRODUCT.name} ${PRODUCT.version}\n`,
    );
    return Promise.resolve(0);
  },
};
