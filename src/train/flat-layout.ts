/**
 * A list of tensors (a model's variables, their gradients, Adam's moments) seen as one flat
 * vector: the first tensor's values in row-major order, then the second's, and so on. One
 * element-wise op on the flat vector replaces one op per tensor, which is what makes the
 * Adam update of src/train/adam.ts cheap for models with hundreds of small variables.
 *
 * Convention: offsets and sizes count float32 elements; entry i of the list occupies
 * [offsets[i], offsets[i] + sizes[i]) of the flat vector.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor1D } from '../core/tf.js';

/** Where each tensor of a list lies in the flat vector. */
export interface FlatLayout {
  /** Shape of entry i. */
  readonly shapes: readonly (readonly number[])[];
  /** Elements of entry i (the product of its shape). */
  readonly sizes: readonly number[];
  /** First flat index of entry i. */
  readonly offsets: readonly number[];
  /** Elements in all: the flat vector's length. */
  readonly total: number;
}

/** The layout of `tensors` (anything with a shape: tensors, variables). */
export function flatLayout(tensors: readonly { readonly shape: readonly number[] }[]): FlatLayout {
  const shapes = tensors.map((t) => [...t.shape]);
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const offsets: number[] = [];
  let total = 0;
  for (const n of sizes) { offsets.push(total); total += n; }
  return Object.freeze({ shapes, sizes, offsets, total });
}

/**
 * The tensors' values one after another.
 * @param tensors float32 tensors of any shapes
 * @returns [total] float32 (the caller disposes it)
 */
export function flattenTensors(tensors: readonly Tensor[]): Tensor1D {
  if (tensors.length === 0) return tf.zeros([0]) as Tensor1D;
  return tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t, [-1])), 0)) as Tensor1D;
}

/**
 * The pieces of a flat vector, each reshaped to its entry's shape.
 * @param flat [layout.total] float32
 * @returns one tensor per entry (the caller disposes them)
 * @throws RangeError when `flat` is not [layout.total]
 */
export function unflattenTensor(flat: Tensor1D, layout: FlatLayout): Tensor[] {
  if (flat.rank !== 1 || flat.shape[0] !== layout.total) throw new RangeError(`unflattenTensor: expected a [${layout.total}] tensor, got [${flat.shape.join(', ')}]`);
  if (layout.sizes.length === 0) return [];
  return tf.tidy(() => tf.split(flat, [...layout.sizes], 0).map((piece, i) => tf.reshape(piece, [...layout.shapes[i]])));
}

/**
 * A flat array cut into one copy per entry (row-major values of entry i).
 * @param flat layout.total values
 */
export function splitFlatArray(flat: Float32Array, layout: FlatLayout): Float32Array[] {
  if (flat.length !== layout.total) throw new RangeError(`splitFlatArray: expected ${layout.total} values, got ${flat.length}`);
  return layout.sizes.map((n, i) => flat.slice(layout.offsets[i], layout.offsets[i] + n));
}

/**
 * One flat array from one array per entry, the inverse of {@link splitFlatArray}.
 * @param what names the arrays in the error (e.g. `Adam first moment`)
 * @throws RangeError naming the entry whose length differs from its size
 */
export function joinFlatArrays(parts: readonly ArrayLike<number>[], layout: FlatLayout, what: string): Float32Array {
  if (parts.length !== layout.sizes.length) throw new RangeError(`${what}: expected ${layout.sizes.length} arrays, got ${parts.length}`);
  const flat = new Float32Array(layout.total);
  parts.forEach((p, i) => {
    if (p.length !== layout.sizes[i]) throw new RangeError(`${what} ${i}: expected ${layout.sizes[i]} values (shape [${layout.shapes[i].join(', ')}]), got ${p.length}`);
    flat.set(p, layout.offsets[i]);
  });
  return flat;
}
