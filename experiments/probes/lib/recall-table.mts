// What the retrieval probes share: their table of Recall@1 / Recall@1% per task and lever, pooled per group.

/** One task's recall under one lever: fractions, and the number of queries scored. */
export interface RecallCell { r1: number; r1p: number; n: number }

/**
 * Prints a markdown table, one row per task (Recall@1 / Recall@1% in percent per column), then one row per group
 * of two or more tasks with the query-weighted pool of its tasks (the recall over all their queries).
 */
export function printRecallTable<T extends { name: string; group: string }>(tasks: T[], columns: string[], cell: (task: T, column: number) => RecallCell): void {
  const pct = (r1: number, r1p: number) => `${(100 * r1).toFixed(1)} / ${(100 * r1p).toFixed(1)}`;
  console.log(`| task | queries | ${columns.join(' | ')} |`);
  console.log(`| --- | --- | ${columns.map(() => '---').join(' | ')} |`);
  const sums = new Map<string, number[][]>();
  for (const t of tasks) {
    const cells = columns.map((_, i) => cell(t, i));
    const g = sums.get(t.group) ?? columns.map(() => [0, 0, 0]);
    cells.forEach((c, i) => { g[i][0] += c.r1 * c.n; g[i][1] += c.r1p * c.n; g[i][2] += c.n; });
    sums.set(t.group, g);
    console.log(`| ${t.name} | ${cells[0].n} | ${cells.map((c) => pct(c.r1, c.r1p)).join(' | ')} |`);
  }
  const size = new Map<string, number>();
  for (const t of tasks) size.set(t.group, (size.get(t.group) ?? 0) + 1);
  for (const [g, v] of sums) if (size.get(g)! > 1) console.log(`| ${g}, all queries | ${v[0][2]} | ${v.map((c) => pct(c[0] / c[2], c[1] / c[2])).join(' | ')} |`);
}
