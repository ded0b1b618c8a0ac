/**
 * The ablation table: one row per training run (one change against a baseline run, same data,
 * seeds and budget), read from each run's evaluation (`<run>/eval-<protocol>/recall.csv`,
 * written by {@link evaluateRun}). A variant whose run or evaluation is missing gets a row
 * marked `not run` with empty numbers: nothing is filled in that was not measured.
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { InputError } from '../core/errors.js';
import { readCheckpointState } from '../train/checkpoint.js';

/** One planned row. */
export interface AblationVariant {
  /** Short name, e.g. `no NMF branch`. */
  variant: string;
  /** The config change against the baseline, e.g. `nmfBranch: false` (`-` for the baseline). */
  change: string;
  /** The run folder. */
  runDir: string;
}

/** One row of the table; recall fractions, or null when the run is missing. */
export interface AblationRow {
  variant: string; change: string; status: string; epochs: number | null; steps: number | null;
  'recall@1': number | null; 'recall@5': number | null; 'recall@1%': number | null;
  /** Per-test Recall@1, `test=value` joined by `; `. */
  'recall@1 per test': string;
}

// #region ablation
/**
 * Reads every variant's evaluation: the trained model's `all` row (or its only test) and each test's Recall@1.
 * @param protocol the evaluation folder `eval-<protocol>` to read (default 'synthetic')
 */
export function ablationRows(variants: AblationVariant[], protocol = 'synthetic'): AblationRow[] {
  return variants.map((v) => {
    const csv = path.join(v.runDir, `eval-${protocol}`, 'recall.csv');
    const st = readCheckpointState(v.runDir);
    const empty = { variant: v.variant, change: v.change, epochs: st?.epoch ?? null, steps: st?.step ?? null, 'recall@1': null, 'recall@5': null, 'recall@1%': null, 'recall@1 per test': '' };
    if (!st) return { ...empty, status: 'not run' };
    if (!fs.existsSync(csv)) return { ...empty, status: 'trained, not evaluated' };
    const rows = aq.fromCSV(fs.readFileSync(csv, 'utf8')).objects() as Record<string, unknown>[];
    const mine = rows.filter((r) => String(r.method).startsWith('ModaLink (trained)'));
    if (mine.length === 0) throw new InputError(csv, "has no 'ModaLink (trained)' rows");
    const all = mine.find((r) => r.test === 'all') ?? mine[0];
    const perTest = mine.filter((r) => r.test !== 'all').map((r) => `${String(r.test).split(' ')[0]}=${Number(r['recall@1']).toFixed(3)}`).join('; ');
    return {
      ...empty, status: 'measured',
      'recall@1': Number(all['recall@1']), 'recall@5': Number(all['recall@5']), 'recall@1%': Number(all['recall@1%']), 'recall@1 per test': perTest,
    };
  });
}
// #endregion ablation
