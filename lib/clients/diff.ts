/** A unified line diff, for `install --dry-run` to show exactly what would change in a file. */

type Op = { kind: " " | "-" | "+"; line: string };

/** Line operations turning `a` into `b` (longest common subsequence on the differing middle). */
function operations(a: string[], b: string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix && suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) suffix++;
  const x = a.slice(prefix, a.length - suffix);
  const y = b.slice(prefix, b.length - suffix);
  // lengths[i][j]: LCS length of x[i..] and y[j..]; config files are small, so O(n·m) is fine.
  const lengths = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lengths[i][j] = x[i] === y[j]
        ? lengths[i + 1][j + 1] + 1
        : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const middle: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      middle.push({ kind: " ", line: x[i++] });
      j++;
    } else if (j < y.length && (i === x.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      middle.push({ kind: "+", line: y[j++] });
    } else middle.push({ kind: "-", line: x[i++] });
  }
  return [
    ...a.slice(0, prefix).map((line): Op => ({ kind: " ", line })),
    ...middle,
    ...a.slice(a.length - suffix).map((line): Op => ({ kind: " ", line })),
  ];
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\r?\n$/, "").split(/\r?\n/);
}

/** A unified diff of two texts with `context` lines around each change; "" when they are equal. */
export function unifiedDiff(before: string, after: string, label: string, context = 3): string {
  if (before === after) return "";
  const ops = operations(splitLines(before), splitLines(after));
  const changed = ops.map((op, index) => op.kind !== " " ? index : -1).filter((index) => index >= 0);
  const hunks: [number, number][] = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(ops.length, index + context + 1);
    const last = hunks[hunks.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else hunks.push([start, end]);
  }
  const out = [`--- ${label}`, `+++ ${label} (after)`];
  for (const [start, end] of hunks) {
    const oldStart = ops.slice(0, start).filter((op) => op.kind !== "+").length;
    const newStart = ops.slice(0, start).filter((op) => op.kind !== "-").length;
    const slice = ops.slice(start, end);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    out.push(
      `@@ -${oldStart + (oldCount > 0 ? 1 : 0)},${oldCount} +${
        newStart + (newCount > 0 ? 1 : 0)
      },${newCount} @@`,
    );
    out.push(...slice.map((op) => `${op.kind}${op.line}`));
  }
  return `${out.join("\n")}\n`;
}
