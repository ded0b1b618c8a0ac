/**
 * The per-step log of a run, `<run>/losses.csv`-style: one line per optimisation step with the
 * loss, every loss term, the throughput and the learning rate, so a finished (or running) run's
 * loss curve is one CSV read away (notebook 03 plots ModaLink's).
 *
 *   step,epoch,loss,<term>,...,<unit>_per_s,learning_rate
 *
 * Convention: `step` is the number of steps done including this one (1 for the first line);
 * the columns of the terms are the step result's `parts` without `total` (which is `loss`),
 * in their order, fixed by the first line written.
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';

/** One line of the log. */
export interface LossLogLine {
  /** Steps done including this one. */ step: number;
  /** Epochs completed before this step. */ epoch: number;
  /** The loss minimised. */ loss: number;
  /** Loss terms by name (`total`, when present, is not written again). */ parts: Readonly<Record<string, number>>;
  /** Throughput, in the log's unit per second. */ itemsPerSec: number;
  /** Learning rate of this step. */ learningRate: number;
}

/** An append-only loss log. */
export interface LossLog {
  /** The CSV file. */
  readonly file: string;
  /** Appends one line (and the header first, when the file does not exist yet). */
  append(line: LossLogLine): void;
  /**
   * Drops the lines of steps after `step` (a run killed after its last checkpoint wrote them; the
   * resumed run writes them again, so the log stays one line per step). Returns how many it dropped.
   */
  truncateAfter(step: number): number;
}

/**
 * A log in `file`.
 * @param unit what a step processes, named in the throughput column (`images` -> `images_per_s`)
 * @param fresh true: a run that starts from step 0 (an existing file is removed); false: a resumed run appends
 */
export function createLossLog(file: string, unit: string, fresh: boolean): LossLog {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fresh) fs.rmSync(file, { force: true });
  return {
    file,
    append(l) {
      const terms = Object.keys(l.parts).filter((k) => k !== 'total');
      if (!fs.existsSync(file)) fs.writeFileSync(file, ['step', 'epoch', 'loss', ...terms, `${unit}_per_s`, 'learning_rate'].join(',') + '\n');
      fs.appendFileSync(file, [l.step, l.epoch, l.loss, ...terms.map((k) => l.parts[k]), l.itemsPerSec.toFixed(2), l.learningRate].join(',') + '\n');
    },
    truncateAfter(step) {
      if (!fs.existsSync(file)) return 0;
      const [head, ...lines] = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
      const keep = lines.filter((l) => Number(l.slice(0, l.indexOf(','))) <= step);
      if (keep.length !== lines.length) fs.writeFileSync(file, [head, ...keep].join('\n') + '\n');
      return lines.length - keep.length;
    },
  };
}
