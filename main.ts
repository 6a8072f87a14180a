import { main } from "./lib/cli/mod.ts";

Deno.exit(await main(Deno.args));
