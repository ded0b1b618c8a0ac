/**
 * The registration ablation table (issue: without GPDM, without ICLM, N_q in {16, 32, 64},
 * L in {1, 2, 3}, all on the same seeded test pairs): one row per training run, read from
 * each run's evaluation (`<run>/<evalSubdir>/registration.csv`, written by
 * {@link evaluateRegistration}) and its checkpoint (steps, epochs). The numbers are the model's
 * final-pose row (the row whose method starts with `ICL`). A run without a checkpoint is
 * `not run`, one without the CSV `trained, not evaluated`; both keep empty numbers: nothing
 * is filled in that was not measured.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { InputError } from '../core/errors.js';
import { readCheckpointState } from '../train/checkpoint.js';

/** One planned row. */
export interface RegistrationAblationVariant {
  /** Short name, e.g. `no GPDM`. */
  variant: string;
  /** The config change against the baseline, e.g. `gpdm: false` (`-` for the baseline). */
  change: string;
  /** The run folder. */
  runDir: string;
}

/** One row of the table; null where the run or its evaluation is missing. */
export interface RegistrationAblationRow {
  variant: string; change: string;
  /** `measured`, `not run` or `trained, not evaluated`. */
  status: 'measured' | 'not run' | 'trained, not evaluated';
  /** Optimisation steps and completed epochs of the checkpoint's stage. */
  steps: number | null; epochs: number | null;
  /** Test pairs scored. */
  pairs: number | null;
  /** RTE, metres, mean and std over all pairs. */
  'RTE mean (m)': number | null; 'RTE std (m)': number | null;
  /** RRE (Euler sum), degrees, mean and std over all pairs. */
  'RRE mean (deg)': number | null; 'RRE std (deg)': number | null;
  /** Medians of RTE (m) and RRE (deg); null also when the CSV predates the median columns. */
  'RTE median (m)': number | null; 'RRE median (deg)': number | null;
  /** Geodesic rotation error, degrees, mean. */
  'geodesic mean (deg)': number | null;
  /** Share of pairs with RTE < 2 m and RRE < 5 deg, percent. */
  'Acc (%)': number | null;
}

/** The columns of `registration.csv` the table reads (see evaluate.ts's RegistrationResultRow). */
const COLUMNS = ['pairs', 'rteMean', 'rteStd', 'rreMean', 'rreStd', 'geodesicMean', 'accuracyPct'] as const;
/** Read when the CSV has them (evaluations written before the medians existed do not). */
const OPTIONAL = ['rteMedian', 'rreMedian'] as const;

const SPECIAL: Record<string, number> = { NaN: NaN, inf: Infinity, '-inf': -Infinity };

/** A CSV cell as a number (`NaN`, `inf`, `-inf` as tableToCsv writes them); anything else is an error naming the file and column. */
function cell(csv: string, row: Record<string, unknown>, column: string): number {
  const s = String(row[column] ?? '').trim();
  if (s in SPECIAL) return SPECIAL[s];
  const x = s === '' ? NaN : Number(s);
  if (!Number.isFinite(x)) throw new InputError(`${csv}: column '${column}'`, `expected a number in the ICL row, got ${JSON.stringify(row[column] ?? null)}`);
  return x;
}

// #region registrationAblationRows
/**
 * Reads every variant's checkpoint and evaluation.
 * @param variants the planned rows, in table order
 * @param evalSubdir the folder under each run holding `registration.csv` (default 'eval')
 * @throws InputError naming the CSV when it has no `ICL` row or a non-numeric cell
 */
export function registrationAblationRows(variants: RegistrationAblationVariant[], evalSubdir = 'eval'): RegistrationAblationRow[] {
  return variants.map((v) => {
    const csv = path.join(v.runDir, evalSubdir, 'registration.csv');
    const st = readCheckpointState(v.runDir);
    const row = (status: RegistrationAblationRow['status'], n: Record<string, number> = {}): RegistrationAblationRow => ({
      variant: v.variant, change: v.change, status, steps: st?.step ?? null, epochs: st?.epoch ?? null, pairs: n.pairs ?? null,
      'RTE mean (m)': n.rteMean ?? null, 'RTE std (m)': n.rteStd ?? null, 'RRE mean (deg)': n.rreMean ?? null, 'RRE std (deg)': n.rreStd ?? null,
      'RTE median (m)': n.rteMedian ?? null, 'RRE median (deg)': n.rreMedian ?? null,
      'geodesic mean (deg)': n.geodesicMean ?? null, 'Acc (%)': n.accuracyPct ?? null,
    });
    if (!st) return row('not run');
    if (!fs.existsSync(csv)) return row('trained, not evaluated');
    const rows = aq.fromCSV(fs.readFileSync(csv, 'utf8'), { autoType: false }).objects() as Record<string, unknown>[];
    const mine = rows.find((r) => String(r.method).startsWith('ICL'));
    if (!mine) throw new InputError(csv, "has no row whose method starts with 'ICL' (the model's final pose)");
    const optional = OPTIONAL.filter((k) => k in mine).map((k) => [k, cell(csv, mine, k)]);
    return row('measured', Object.fromEntries([...COLUMNS.map((k) => [k, cell(csv, mine, k)]), ...optional]));
  });
}
// #endregion registrationAblationRows
