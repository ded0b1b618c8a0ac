/**
 * Ablation specs and tables for `i2p modalink ablation` and `i2p register ablation`: the spec
 * `{"rows": [{variant, change, runDir, seed?}], "notes": [...]}` (see experiments/), and the table
 * written as ablation.md (notes as a list under it) and ablation.csv; when rows carry seeds,
 * also ablation-seeds.md / .csv: per variant the mean and std over its seeds (metrics/seed-summary.ts).
 */
import fs from 'node:fs';
import * as aq from 'arquero';
import { InputError } from '../core/errors.js';
import { writeTableFiles } from '../data/formats/table-files.js';
import { summarizeSeeds } from '../metrics/seed-summary.js';

/** One planned row of an ablation spec; rows of one variant with different seeds share `variant`. */
export interface AblationSpecRow { variant: string; change: string; runDir: string; seed?: number }

/** Reads an ablation spec; errors name the file and the field. */
export function readAblationSpec(file: string): { rows: AblationSpecRow[]; notes?: string[] } {
  let spec: { rows?: unknown; notes?: unknown };
  try { spec = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof spec; } catch (e) { throw new InputError(file, `not a readable JSON file: ${(e as Error).message}`); }
  if (!Array.isArray(spec.rows)) throw new InputError(`${file}: rows`, 'expected an array of {variant, change, runDir}');
  spec.rows.forEach((r: Record<string, unknown>, i: number) => {
    for (const k of ['variant', 'change', 'runDir']) if (typeof r?.[k] !== 'string') throw new InputError(`${file}: rows[${i}].${k}`, `expected a string, got ${JSON.stringify(r?.[k])}`);
    if (r.seed !== undefined && !Number.isInteger(r.seed)) throw new InputError(`${file}: rows[${i}].seed`, `expected an integer, got ${JSON.stringify(r.seed)}`);
  });
  if (spec.notes !== undefined && !(Array.isArray(spec.notes) && spec.notes.every((n) => typeof n === 'string'))) throw new InputError(`${file}: notes`, 'expected an array of strings');
  return spec as { rows: AblationSpecRow[]; notes?: string[] };
}

/** The rule the seed table states under it. */
export const SEED_RULE = 'Over seeds: mean and sample std (n - 1) of the measured runs; a difference from the first variant is "beyond spread" when it exceeds both variants\' range (max - min) over their seeds, and is not judged with fewer than two measured runs on either side.';

/**
 * Writes `<outDir>/ablation.md` (rows, then the notes as a list) and `ablation.csv`. When any spec
 * row has a seed, the rows get a `seed` column after `variant`, and `ablation-seeds.md` / `.csv`
 * summarise them by variant over `metrics` (the first is compared with the first variant).
 * @param specRows the spec's rows, in the order of `rows`
 * @returns the markdown of ablation.md, then the seed table's when written
 */
export function writeAblationTable(outDir: string, rows: Record<string, unknown>[], notes: string[] = [], specRows: readonly AblationSpecRow[] = [], metrics: readonly string[] = []): string {
  const seeded = specRows.some((r) => r.seed !== undefined);
  const table = seeded ? rows.map((r, i) => { const { variant, ...rest } = r; return { variant, seed: specRows[i]?.seed ?? null, ...rest }; }) : rows;
  let md = writeTableFiles(aq.from(table), outDir, 'ablation', { notes }).markdown;
  if (seeded && metrics.length > 0) {
    md += '\n' + writeTableFiles(aq.from(summarizeSeeds(rows, { group: 'variant', metrics })), outDir, 'ablation-seeds', { notes: [SEED_RULE, ...notes] }).markdown;
  }
  return md;
}
