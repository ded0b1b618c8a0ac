// What the ablation drivers (scripts/registration-ablation.mjs, scripts/modalink-ablation.mjs) share: their command
// line (`[spec] [--only id,id] [--seed-major] [--collect-only]`), the spec's checks, the order of the runs, the record a
// finished run leaves in the repository (so that a later session, on another machine, skips it), and the tables.
import fs from 'node:fs';
import path from 'node:path';
import { runI2p } from './i2p-run.mjs';

/**
 * Reads the command line and the spec.
 * @param root the repository root
 * @param argv the script's arguments
 * @param defaultSpec the spec file when none is given
 * @param fields the spec's required top-level fields (besides `seeds`, `out` and `rows`)
 * @returns { spec, specFile, outDir, collectOnly, plan: [{ row, seed }] } (plan: the runs this call may train, in order),
 *   or { help } (the usage line) when argv has --help or -h; nothing is read then
 * @throws Error naming the spec file and the field, the unknown row of --only, an unknown option or a second spec
 */
export const ABLATION_USAGE = '[spec] [--only id,id] [--seed-major] [--collect-only]';
export function readAblationPlan(root, argv, defaultSpec, fields) {
  if (argv.includes('--help') || argv.includes('-h')) return { help: `arguments: ${ABLATION_USAGE} (default spec ${defaultSpec})` };
  const known = ['--only', '--seed-major', '--collect-only'];
  for (const a of argv) if (a.startsWith('-') && !known.includes(a)) throw new Error(`unknown option '${a}': expected ${ABLATION_USAGE}`);
  const positional = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '--only');
  if (positional.length > 1) throw new Error(`expected at most one spec file, got ${positional.join(', ')}: ${ABLATION_USAGE}`);
  const specFile = path.resolve(root, positional[0] ?? defaultSpec);
  const collectOnly = argv.includes('--collect-only'), seedMajor = argv.includes('--seed-major');
  const onlyArg = argv.indexOf('--only'), only = onlyArg >= 0 ? (argv[onlyArg + 1] ?? '').split(',').filter(Boolean) : null;
  if (onlyArg >= 0 && !only?.length) throw new Error('--only: expected a comma-separated list of row ids');
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
  for (const k of [...fields, 'seeds', 'out', 'rows']) if (spec[k] === undefined) throw new Error(`${specFile}: missing field '${k}'`);
  if (!Array.isArray(spec.seeds) || !spec.seeds.every(Number.isInteger)) throw new Error(`${specFile}: seeds: expected an array of integers`);
  for (const row of spec.rows) for (const k of ['id', 'variant', 'change']) if (typeof row[k] !== 'string') throw new Error(`${specFile}: rows: expected a string '${k}' in ${JSON.stringify(row)}`);
  for (const id of only ?? []) if (!spec.rows.some((r) => r.id === id)) throw new Error(`--only: no row '${id}' in ${specFile} (rows: ${spec.rows.map((r) => r.id).join(', ')})`);
  const plan = seedMajor ? spec.seeds.flatMap((seed) => spec.rows.map((row) => ({ row, seed }))) : spec.rows.flatMap((row) => spec.seeds.map((seed) => ({ row, seed })));
  return { spec, specFile, outDir: path.resolve(root, spec.out), collectOnly, plan: plan.filter(({ row }) => !only || only.includes(row.id)) };
}

/**
 * Copies a finished run's record: the listed files of the run folder (those present) and the evaluation's tables
 * (`<evalName>/*.csv|md` but `skip`); never the weights.
 */
export function recordRun(abs, rec, files, evalName, skip = []) {
  fs.mkdirSync(path.join(rec, evalName), { recursive: true });
  for (const f of files) if (fs.existsSync(path.join(abs, f))) fs.copyFileSync(path.join(abs, f), path.join(rec, f));
  for (const f of fs.readdirSync(path.join(abs, evalName)).filter((f) => /\.(csv|md)$/.test(f) && !skip.includes(f))) fs.copyFileSync(path.join(abs, evalName, f), path.join(rec, evalName, f));
}

/**
 * Writes `<out>/spec.json` (one row per row and seed, its run folder the record `<out>/runs/<id>-s<seed>`) and runs
 * `i2p <group> ablation` on it: ablation.md per run, ablation-seeds.md per variant (mean, std, which differences
 * exceed the seeds' spread). A run without a record stays `not run`.
 * @param evalArgs the arguments that say which evaluation folder to read, e.g. ['--eval-dir', 'eval-300']
 */
export function writeAblationTables(root, spec, outDir, group, evalArgs) {
  const rows = spec.rows.flatMap((row) => spec.seeds.map((seed) => ({ variant: row.variant, change: row.change, runDir: path.relative(root, path.join(outDir, 'runs', `${row.id}-s${seed}`)), seed })));
  const generated = path.join(outDir, 'spec.json');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(generated, JSON.stringify({ rows, notes: spec.notes ?? [] }, null, 1) + '\n');
  runI2p(root, [group, 'ablation', '--spec', generated, ...evalArgs, '--out', outDir], path.join(outDir, 'ablation.log'), 'inherit');
}

/** The run's checkpoint.json as an object, or null when it has none. */
export function runState(abs) {
  const f = path.join(abs, 'checkpoint.json');
  return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null;
}
