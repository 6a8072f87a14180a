/** The compatibility matrix as a Markdown table (pure). */
import { type Feature, FEATURES } from "./features.ts";

/** One cell's verdict. */
export type Verdict =
  /** Through the broker exactly as directly. */
  | { kind: "same" }
  /** Through the broker, where a direct connection of this pair cannot even be made. */
  | { kind: "bridged" }
  /** Impossible, with the reason the client receives. */
  | { kind: "impossible"; reason: string };

/** One row: a client revision and an upstream, and the verdict per feature. */
export interface Row {
  client: string;
  upstream: string;
  transport: string;
  cells: Record<Feature, Verdict>;
}

/** Renders rows as a Markdown table with numbered footnotes for the impossible cells. */
export function renderMatrix(rows: readonly Row[]): string {
  const notes: string[] = [];
  const mark = (verdict: Verdict) => {
    if (verdict.kind === "same") return "✓";
    if (verdict.kind === "bridged") return "✓ᵇ";
    let index = notes.indexOf(verdict.reason);
    if (index < 0) index = notes.push(verdict.reason) - 1;
    return `✗${index + 1}`;
  };
  const head = ["client", "upstream speaks", "over", ...FEATURES.map((f) => f.replaceAll("_", " "))];
  const lines = [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((row) =>
      `| ${
        [row.client, row.upstream, row.transport, ...FEATURES.map((f) => mark(row.cells[f]))].join(" | ")
      } |`
    ),
  ];
  const legend = [
    "",
    "✓ works through the broker exactly as directly · ✓ᵇ works through the broker although this client and",
    "upstream cannot talk directly (the broker speaks each side's revision to it)",
    ...(notes.length
      ? [
        "· ✗n impossible; what the client receives instead:",
        "",
        ...notes.map((note, i) => `${i + 1}. ${note}`),
      ]
      : []),
  ];
  return [...lines, ...legend].join("\n");
}
