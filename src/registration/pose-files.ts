/**
 * Per-pair poses as KITTI pose files: one row-major 3 x 4 matrix a line (12 numbers, the last
 * row [0 0 0 1] left out), so any tool can score them. Written by `i2p register eval`:
 * `poses-final.txt`, `poses-frustum.txt` and `poses-gt.txt`, line i = test pair i,
 * camFromPoints (perturbed cloud -> camera).
 * @see notebooks/05-pose-regression.ipynb
 */
import fs from 'node:fs';

/**
 * @param poses per pair [16] row-major 4 x 4
 * @returns the file's text: 12 numbers a line, 9 significant digits (a float32 reads back exactly with Math.fround)
 */
export function formatPoseLines(poses: readonly ArrayLike<number>[]): string {
  return poses.map((T, i) => {
    if (T.length !== 16) throw new Error(`formatPoseLines: pose ${i} has ${T.length} numbers, expected 16 (row-major 4 x 4)`);
    return Array.from({ length: 12 }, (_, k) => String(Number(Number(T[k]).toPrecision(9)))).join(' ');
  }).join('\n') + (poses.length ? '\n' : '');
}

/**
 * Reads a pose file back.
 * @returns per line [16] row-major 4 x 4 (last row 0 0 0 1)
 * @throws Error naming the file and line when a line does not hold 12 finite numbers
 */
export function readPoseLines(file: string): Float64Array[] {
  const text = fs.readFileSync(file, 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((line, i) => {
    const v = line.trim().split(/\s+/).map(Number);
    if (v.length !== 12 || v.some((x) => !Number.isFinite(x))) throw new Error(`${file}: line ${i + 1}: expected 12 finite numbers (row-major 3 x 4), got '${line.slice(0, 80)}'`);
    return Float64Array.from([...v, 0, 0, 0, 1]);
  });
}
