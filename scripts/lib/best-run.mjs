// The best epoch's checkpoint of a training run, kept as a run folder of its own (eval and export read it).
import fs from 'node:fs';
import path from 'node:path';

/**
 * Copies the run's current checkpoint (its weights file, checkpoint.json, config.json and the loss
 * and held-out logs) into `<run>/<name>`, replacing what was there.
 * @param run the run folder
 * @param state the run's checkpoint.json, parsed (its `weights` names the file)
 * @param name the folder's name, e.g. `best-rest`
 */
export function keepBestCheckpoint(run, state, name) {
  const bestDir = path.join(run, name);
  fs.rmSync(bestDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(bestDir, path.dirname(state.weights)), { recursive: true });
  fs.copyFileSync(path.join(run, state.weights), path.join(bestDir, state.weights));
  for (const f of ['checkpoint.json', 'config.json', ...fs.readdirSync(run).filter((x) => /^(losses|heldout)-.*\.csv$|^losses\.csv$/.test(x))]) fs.copyFileSync(path.join(run, f), path.join(bestDir, f));
}

/**
 * Opens a held-out log (CSV with a header); a log written before a column was added gets the new header, old rows empty there.
 * @param file the CSV path
 * @param columns the header's column names
 * @param readCsv the CSV reader (scripts/lib/csv.mjs)
 */
export function openHeldoutLog(file, columns, readCsv) {
  if (!fs.existsSync(file)) fs.writeFileSync(file, columns.join(',') + '\n');
  else if (fs.readFileSync(file, 'utf8').split('\n')[0] !== columns.join(',')) {
    const old = readCsv(file);
    fs.writeFileSync(file, [columns.join(','), ...old.map((r) => columns.map((k) => r[k] ?? '').join(','))].join('\n') + '\n');
  }
}
