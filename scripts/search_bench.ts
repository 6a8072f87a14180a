/**
 * What tool search saves, measured: a real broker process (stdio, the shipped permission set)
 * serving a profile of 5 accounts × 20 tools (GitHub, Linear, Slack, Sentry and
 * Supabase-shaped fixture servers), listed with `exposure: "all"` and with `"search"`, plus the
 * size of one search answer; then search quality on the committed query set
 * (scripts/search_quality.ts). Sizes are bytes of the JSON result; tokens are approximated as
 * bytes / 4.
 *
 *   deno task bench:search            (add --json for one JSON document)
 */
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { measureQuality } from "./search_quality.ts";
import { BROKER_RUN_FLAGS } from "../lib/run_flags.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SERVICES = ["github", "linear", "slack", "sentry", "supabase"];

/** The size of a value as JSON text: bytes, and tokens at ~4 bytes per token. */
function size(value: unknown): { bytes: number; approxTokens: number } {
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  return { bytes, approxTokens: Math.round(bytes / 4) };
}

async function measureContext() {
  const dir = await Deno.makeTempDir({ prefix: "janus-search-bench-" });
  const accounts = SERVICES.map((service) => ({
    id: `${service}-acme`,
    service,
    command: "deno",
    args: [
      "run",
      "--quiet",
      `--config=${ROOT}deno.json`,
      "--allow-env",
      `${ROOT}tests/fixtures/catalog_upstream.ts`,
    ],
    env: { CATALOG_SERVICE: service },
  }));
  const ids = accounts.map((a) => a.id);
  await Deno.writeTextFile(
    `${dir}/config.json`,
    JSON.stringify({
      accounts,
      profiles: {
        every: { accounts: ids, exposure: "all" },
        searched: { accounts: ids, exposure: "search" },
      },
      bindingMode: "session",
    }),
  );
  const client = new Client({ name: "search-bench", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: "deno",
      args: [
        "run",
        "--quiet",
        `--config=${ROOT}deno.json`,
        ...BROKER_RUN_FLAGS,
        `${ROOT}main.ts`,
        "serve",
        "--config",
        `${dir}/config.json`,
      ],
      stderr: "ignore",
    }),
  );
  try {
    const listed = async (profile: string) => {
      await client.callTool({ name: "janus_use_profile", arguments: { profile } });
      const result = await client.listTools();
      return { tools: result.tools.length, ...size(result) };
    };
    const all = await listed("every");
    const search = await listed("searched");
    const answer = await client.callTool({
      name: "janus_search_tools",
      arguments: { query: "open a github issue" },
    });
    const text = (answer.content as { text: string }[])[0].text;
    return {
      profile: `${SERVICES.length} accounts × 20 tools`,
      all,
      search,
      savedPercent: Math.round((1 - search.bytes / all.bytes) * 100),
      // What the model reads of one answer (5 hits with their input schemas), and the whole result.
      searchAnswer: { hits: 5, text: new TextEncoder().encode(text).length, whole: size(answer).bytes },
    };
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const context = await measureContext();
const quality = await measureQuality();
const report = { context, quality };
if (Deno.args.includes("--json")) {
  // deno-lint-ignore no-console
  console.log(JSON.stringify(report, null, 2));
} else {
  const line = (label: string, s: { tools: number; bytes: number; approxTokens: number }) =>
    `  ${label.padEnd(8)} ${String(s.tools).padStart(3)} tools  ${
      String(s.bytes).padStart(7)
    } bytes  ~${s.approxTokens} tokens`;
  // deno-lint-ignore no-console
  console.log([
    `tools/list for a profile of ${context.profile} (tokens ≈ bytes / 4):`,
    line("all", context.all),
    line("search", context.search),
    `  saved: ${context.savedPercent}% of the list; one search answer (5 hits with schemas): ${context.searchAnswer.text} bytes of text`,
    `search quality: ${quality.top3}/${quality.queries} queries with the right tool in the top 3 (${
      Math.round(quality.top3 / quality.queries * 100)
    }%), ${quality.top1} first, over ${quality.tools} tools`,
    ...quality.misses.map((m) => `  miss: "${m.query}" → expected ${m.expect}, got ${m.got.join(", ")}`),
  ].join("\n"));
}
