/**
 * Ablation rows over seeds: per variant, the mean and the sample standard deviation of each
 * metric over its measured runs, and whether its difference from a reference variant exceeds the
 * seeds' spread. The rule (stated in every table that uses it): a difference counts as beyond the
 * spread when |mean - reference mean| is larger than both variants' range (max - min) over their
 * seeds; with fewer than two measured runs on either side it cannot be judged (null).
 * @see experiments/README.md (the ablation specs)
 */
import { InputError } from '../core/errors.js';

/** Options of {@link summarizeSeeds}. */
export interface SeedSummaryOptions {
  /** The column naming the variant (rows with equal values are seeds of one variant). */
  group: string;
  /** Numeric columns to summarise; null or a missing value = the run was not measured. */
  metrics: readonly string[];
  /** The variant the first metric's difference is measured against (default: the first variant). */
  reference?: string;
}

/** One summarised variant: `runs` measured of `planned`, then `<metric> mean` / `<metric> std` per metric, and the comparison. */
export type SeedSummaryRow = Record<string, string | number | null>;

const mean = (x: readonly number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
/** Sample standard deviation (n - 1); null below two values. */
const std = (x: readonly number[]): number | null => {
  if (x.length < 2) return null;
  const m = mean(x);
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
};

// #region summarizeSeeds
/**
 * Summarises ablation runs by variant, in the order variants first appear.
 * A run counts as measured when every metric is a finite number.
 * @returns per variant: group, runs, planned, `<m> mean`, `<m> std` per metric, `Δ <first metric>`
 *   (mean minus the reference's) and `beyond spread` ('yes' / 'no'; null when either side has fewer than two measured runs)
 * @throws InputError naming the column when a metric is neither a number nor null, or the reference is not a variant
 */
export function summarizeSeeds(rows: readonly Record<string, unknown>[], o: SeedSummaryOptions): SeedSummaryRow[] {
  if (o.metrics.length === 0) throw new InputError('summarizeSeeds: metrics', 'expected at least one metric column');
  const groups = new Map<string, number[][]>(), planned = new Map<string, number>();
  for (const [i, r] of rows.entries()) {
    const g = String(r[o.group]);
    planned.set(g, (planned.get(g) ?? 0) + 1);
    if (!groups.has(g)) groups.set(g, []);
    const values = o.metrics.map((m) => {
      const v = r[m];
      if (v !== null && v !== undefined && typeof v !== 'number') throw new InputError(`summarizeSeeds: rows[${i}].${m}`, `expected a number or null, got ${JSON.stringify(v)}`);
      return typeof v === 'number' ? v : NaN;
    });
    if (values.every(Number.isFinite)) groups.get(g)!.push(values);
  }
  const ref = o.reference ?? [...planned.keys()][0];
  if (!planned.has(ref)) throw new InputError('summarizeSeeds: reference', `expected one of ${[...planned.keys()].map((k) => JSON.stringify(k)).join(', ')}, got ${JSON.stringify(ref)}`);
  const column = (g: string, j: number): number[] => groups.get(g)!.map((v) => v[j]);
  const range = (x: number[]): number => Math.max(...x) - Math.min(...x);
  const first = o.metrics[0], refRuns = column(ref, 0);
  return [...planned.keys()].map((g) => {
    const out: SeedSummaryRow = { [o.group]: g, runs: groups.get(g)!.length, planned: planned.get(g)! };
    o.metrics.forEach((m, j) => {
      const x = column(g, j);
      out[`${m} mean`] = x.length ? mean(x) : null;
      out[`${m} std`] = std(x);
    });
    const x = column(g, 0);
    out[`Δ ${first}`] = x.length && refRuns.length ? mean(x) - mean(refRuns) : null;
    out['beyond spread'] = g === ref || x.length < 2 || refRuns.length < 2 ? null : Math.abs(mean(x) - mean(refRuns)) > Math.max(range(x), range(refRuns)) ? 'yes' : 'no';
    return out;
  });
}
// #endregion summarizeSeeds
