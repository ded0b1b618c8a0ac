/**
 * Shape and value checks for the top of public functions. Each throws an error that
 * names the argument and says what was expected.
 */

/** A shape pattern: numbers must match exactly, `null` matches any size. */
export type ShapePattern = ReadonlyArray<number | null>;

/** Throws unless `shape` matches `pattern` (e.g. `[null, 3]` for N x 3). */
export function assertShape(name: string, shape: ReadonlyArray<number>, pattern: ShapePattern): void {
  const ok = shape.length === pattern.length && pattern.every((p, i) => p === null || p === shape[i]);
  if (!ok) {
    const fmt = (s: ReadonlyArray<number | null>): string => `[${s.map((d) => (d === null ? '*' : d)).join(', ')}]`;
    throw new RangeError(`${name}: expected shape ${fmt(pattern)}, got ${fmt(shape)}`);
  }
}

/** Throws unless `arr.length` is a multiple of `stride` (flat arrays of N x stride values). */
export function assertFlat(name: string, arr: ArrayLike<number>, stride: number): number {
  if (arr.length % stride !== 0) {
    throw new RangeError(`${name}: expected a flat array of N x ${stride} values, got length ${arr.length}`);
  }
  return arr.length / stride;
}

/** Throws unless `x` is an integer in [lo, hi]. */
export function assertInt(name: string, x: number, lo = -Infinity, hi = Infinity): void {
  if (!Number.isInteger(x) || x < lo || x > hi) {
    throw new RangeError(`${name}: expected an integer in [${lo}, ${hi}], got ${x}`);
  }
}

/** Throws unless `x` is a finite number in [lo, hi]. */
export function assertRange(name: string, x: number, lo = -Infinity, hi = Infinity): void {
  if (!Number.isFinite(x) || x < lo || x > hi) {
    throw new RangeError(`${name}: expected a finite number in [${lo}, ${hi}], got ${x}`);
  }
}

/**
 * Returns the index of the first non-finite value (NaN or +-Inf) in `arr`, or -1.
 * Used by readers to report bad points instead of dropping them.
 */
export function firstNonFinite(arr: ArrayLike<number>): number {
  for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i])) return i;
  return -1;
}
