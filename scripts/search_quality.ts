/**
 * Tool search quality: the committed query set (scripts/search_queries.json) against one
 * profile of every real and fixture tool list, indexed the way the broker indexes a profile
 * (route table with namespacing, then the search index). Pure: no processes, no network.
 */
import type { Tool } from "@modelcontextprotocol/server";
import { fileURLToPath } from "node:url";
import { routeByName } from "../lib/broker/routes.ts";
import { ToolIndex } from "../lib/search/tool_index.ts";
import { SAAS_TOOLS } from "../tests/fixtures/saas_tools.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** One account of the benchmark profile: id, what it is, its tools. */
export interface BenchAccount {
  id: string;
  text: string;
  tools: Tool[];
}

async function snapshot(name: string): Promise<Tool[]> {
  const file = JSON.parse(await Deno.readTextFile(`${ROOT}tests/fixtures/tool_lists/${name}.json`));
  return file.tools as Tool[];
}

/** The benchmark profile: three real servers' lists and five SaaS-shaped ones. */
export async function benchAccounts(): Promise<BenchAccount[]> {
  return [
    { id: "everything", text: "everything demo", tools: await snapshot("everything") },
    { id: "filesystem", text: "filesystem files", tools: await snapshot("filesystem") },
    { id: "memory", text: "memory knowledge graph", tools: await snapshot("memory") },
    ...["github", "linear", "slack", "sentry", "supabase"].map((service) => ({
      id: `${service}-acme`,
      text: `${service} Acme ${service}`,
      tools: SAAS_TOOLS[service],
    })),
  ];
}

/** The outcome of the query set. */
export interface QualityReport {
  tools: number;
  queries: number;
  top1: number;
  top3: number;
  misses: { query: string; expect: string; got: string[] }[];
}

/** Runs every query and counts where the expected tool ranks. */
export async function measureQuality(): Promise<QualityReport> {
  const accounts = await benchAccounts();
  const table = routeByName(accounts.map((a) => ({ accountId: a.id, items: a.tools })));
  const text = new Map(accounts.map((a) => [a.id, a.text]));
  const index = new ToolIndex(table.items.map((tool) => {
    const route = table.routes.get(tool.name);
    if (!route) throw new Error(`no route for ${tool.name}`);
    return { name: tool.name, account: route.accountId, accountText: text.get(route.accountId), tool };
  }));
  const { queries } = JSON.parse(await Deno.readTextFile(`${ROOT}scripts/search_queries.json`)) as {
    queries: { query: string; expect: string }[];
  };
  const report: QualityReport = { tools: index.size, queries: queries.length, top1: 0, top3: 0, misses: [] };
  for (const { query, expect } of queries) {
    const got = index.search(query, { limit: 3 }).map((hit) => {
      const route = table.routes.get(hit.name);
      return `${route?.accountId}/${route?.upstream}`;
    });
    if (got[0] === expect) report.top1++;
    if (got.includes(expect)) report.top3++;
    else report.misses.push({ query, expect, got });
  }
  return report;
}

if (import.meta.main) {
  const report = await measureQuality();
  // deno-lint-ignore no-console
  console.log(JSON.stringify(report, null, 2));
}
