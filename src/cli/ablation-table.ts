/**
 * Ablation specs and tables for `i2p modalink ablation` and `i2p register ablation`: the spec
 * `{"rows": [{variant, change, runDir}], "notes": [...]}` (see experiments/), and the table
 * written as ablation.md (notes as a list under it) and ablation.csv.
 */
import fs from 'node:fs';
import * as aq from 'arquero';
import { InputError } from '../core/errors.js';
import { writeTableFiles } from '../data/formats/table-files.js';

/** One planned row of an ablation spec. */
export interface AblationSpecRow { variant: string; change: string; runDir: string }

/** Reads an ablation spec; errors name the file and the field. */
export function readAblationSpec(file: string): { rows: AblationSpecRow[]; notes?: string[] } {
  let spec: { rows?: unknown; notes?: unknown };
  try { spec = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof spec; } catch (e) { throw new InputError(file, `not a readable JSON file: ${(e as Error).message}`); }
  if (!Array.isArray(spec.rows)) throw new InputError(`${file}: rows`, 'expected an array of {variant, change, runDir}');
  spec.rows.forEach((r: Record<string, unknown>, i: number) => {
    for (const k of ['variant', 'change', 'runDir']) if (typeof r?.[k] !== 'string') throw new InputError(`${file}: rows[${i}].${k}`, `expected a string, got ${JSON.stringify(r?.[k])}`);
  });
  if (spec.notes !== undefined && !(Array.isArray(spec.notes) && spec.notes.every((n) => typeof n === 'string'))) throw new InputError(`${file}: notes`, 'expected an array of strings');
  return spec as { rows: AblationSpecRow[]; notes?: string[] };
}

/** Writes `<outDir>/ablation.md` (rows, then the notes as a list) and `ablation.csv`; returns the markdown. */
export function writeAblationTable(outDir: string, rows: object[], notes: string[] = []): string {
  return writeTableFiles(aq.from(rows), outDir, 'ablation', { notes }).markdown;
}
