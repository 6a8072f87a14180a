/** The product's name and version, shown by `janusmcp version` and sent as MCP server info. */
import denoJson from "../deno.json" with { type: "json" };

// The version lives in deno.json only; the release build reads it from there too.
export const PRODUCT = { name: "janusmcp", title: "JanusMCP", version: denoJson.version } as const;

/** The commit a release binary was built from (stamped by scripts/compile.ts), if any. */
export function buildCommit(): string | undefined {
  try {
    const info = JSON.parse(Deno.readTextFileSync(new URL("../build_info.json", import.meta.url)));
    return typeof info.commit === "string" ? info.commit : undefined;
  } catch {
    // Not a stamped build (a checkout), or no read access: the version alone is the answer.
    return undefined;
  }
}
