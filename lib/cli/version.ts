/** `janusmcp version`: print the version. */
import { buildCommit, PRODUCT } from "../version.ts";
import type { Command } from "./context.ts";
import { FACES } from "./faces.ts";

export const versionCommand: Command = {
  ...FACES.version,
  usage: "Usage: janusmcp version [--json]   (also: janusmcp --version)",
  run(_args, ctx) {
    const commit = buildCommit();
    ctx.out(
      ctx.json
        ? JSON.stringify({
          ok: true,
          name: PRODUCT.name,
          version: PRODUCT.version,
          deno: Deno.version.deno,
          ...(commit === undefined ? {} : { commit }),
        }) + "\n"
        : `${PRODUCT.name} ${PRODUCT.version}${commit === undefined ? "" : ` (${commit.slice(0, 12)})`}\n`,
    );
    return Promise.resolve(0);
  },
};
