/**
 * The KITTI odometry benchmark on disk: a root folder holding `sequences/XX/` and
 * (for sequences 00-10) `poses/XX.txt`. No paths are built in; pass the root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { KittiSequence } from './odometry-sequence.js';

/** Parses a sequence id given as a number (5) or a string (`'05'`, `'5'`). */
function sequenceNumber(id: number | string): number {
  const n = typeof id === 'number' ? id : /^\d+$/.test(id) ? Number(id) : Number.NaN;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sequence id: expected a non-negative integer or digits like '00', got '${id}'`);
  return n;
}

/** A KITTI odometry dataset rooted at a folder. */
export class KittiOdometry {
  /** The dataset root, holding `sequences/` and optionally `poses/`. */
  readonly root: string;

  /**
   * @param root - the dataset root (e.g. `<data>/kitti-odometry-sample`).
   * @throws InputError naming `root` when it has no `sequences` folder.
   */
  constructor(root: string) {
    this.root = root;
    const seqDir = path.join(root, 'sequences');
    if (!fs.existsSync(seqDir) || !fs.statSync(seqDir).isDirectory()) {
      throw new InputError(root, `not a KITTI odometry root: expected a folder ${seqDir} holding sequences 00, 01, ...`);
    }
  }

  /** Ids of the sequences present (folders of digits in `sequences/`), sorted, e.g. `['00', '05']`. */
  sequences(): string[] {
    return fs.readdirSync(path.join(this.root, 'sequences'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^\d+$/.test(d.name))
      .map((d) => d.name)
      .sort((a, b) => Number(a) - Number(b));
  }

  /**
   * Opens one sequence (its files are read lazily).
   * @param id - the sequence number, `5` or `'05'`; padded to 2 digits.
   * @returns the sequence.
   * @throws InputError naming the missing folder and the sequences present.
   */
  sequence(id: number | string): KittiSequence {
    const seq = new KittiSequence(this.root, sequenceNumber(id));
    if (!fs.existsSync(seq.dir)) {
      const present = this.sequences().join(', ') || 'none';
      throw new InputError(seq.dir, `no sequence folder ${seq.id} in ${path.join(this.root, 'sequences')} (sequences present: ${present})`);
    }
    return seq;
  }
}
