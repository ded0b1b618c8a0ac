/**
 * Adam over a fixed list of variables, with the moments kept as two flat vectors (see
 * flat-layout.ts): 2 tfjs ops per variable (reshape its gradient into the flat vector, its new
 * value out of it; the flat weights of the last update are reused while no one else assigned a
 * variable) plus about 16 on the flat vectors, where tf.train.adam runs about 13 per variable:
 * 2 to 4 times faster (bench/adam.bench.ts). The arithmetic is tf.train.adam's, op for op and
 * in the same float32 order, so both give the same updates (test/train/adam.test.ts compares
 * them; on this library's models they agree bit for bit):
 *   m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2
 *   w <- w - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * with beta^t kept as float32 products (tf.train.adam's accBeta1 / accBeta2).
 *
 * Convention: moment i belongs to variables[i]; a variable without a gradient in a step
 * (`live[i]` false) keeps its moments and its value, as tf.train.adam skips a null gradient.
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf, type Tensor, type Tensor1D, type Variable } from '../core/tf.js';
import { flatLayout, flattenTensors, joinFlatArrays, splitFlatArray, unflattenTensor, type FlatLayout } from './flat-layout.js';

/** Adam's settings; the defaults are tf.train.adam's. */
export interface AdamConfig {
  /** Step size, > 0; the trainers set it before every step from their schedule (lr-schedule.ts). */
  learningRate: number;
  /** Decay of the first moment, in [0, 1). Default 0.9. */
  beta1: number;
  /** Decay of the second moment, in [0, 1). Default 0.999. */
  beta2: number;
  /** Added to sqrt(v hat). Default: the backend's float epsilon (1e-7 in float32), as tf.train.adam. */
  epsilon: number;
}

/** What a checkpoint saves of Adam (checkpoint.ts): one moment array per variable, row-major. */
export interface AdamState {
  /** Updates applied so far. */ iterations: number;
  /** beta1^iterations as float32 products, times beta1 (tf.train.adam's accBeta1). */ accBeta1: number;
  /** beta2^iterations likewise (accBeta2). */ accBeta2: number;
  /** First moments, m[i] of variables[i]. */ m: Float32Array[];
  /** Second moments. */ v: Float32Array[];
}

/** Options of {@link Adam.update}. */
export interface AdamUpdateOptions {
  /** live[i] false: variables[i] had no gradient (its moments and value stay). Default: all live. */
  live?: readonly boolean[];
  /** L2 weight decay added to the gradient, g + weightDecay w (torch.optim.Adam's weight_decay), >= 0. Default 0. */
  weightDecay?: number;
}

/** An Adam optimizer bound to its variables; `dispose()` frees the moments. */
export interface Adam {
  /** The variables it updates, in the order of the flat vectors. */
  readonly variables: readonly Variable[];
  /** Where each variable lies in the flat gradient and moments. */
  readonly layout: FlatLayout;
  /** Current step size (the schedule sets it). */
  learningRate: number;
  /** Decay rates and epsilon in use (see {@link AdamConfig}). */
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Updates applied so far. */
  readonly iterations: number;
  /**
   * One update of every live variable.
   * @param grad [layout.total] float32, the gradients flattened in variable order (zeros for dead ones)
   */
  update(grad: Tensor1D, options?: AdamUpdateOptions): void;
  /** The moments and counters (copies), or null before the first update. */
  state(): AdamState | null;
  /** Replaces the moments and counters (a checkpoint's); throws RangeError naming a mis-sized moment. */
  setState(s: AdamState): void;
  dispose(): void;
}

// #region adam
/**
 * Creates Adam for `variables` (float32).
 * @throws RangeError naming the config field out of range
 */
export function createAdam(variables: readonly Variable[], config: Partial<AdamConfig> & Pick<AdamConfig, 'learningRate'>): Adam {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = tf.backend().epsilon() } = config;
  if (!(config.learningRate > 0)) throw new RangeError(`createAdam: learningRate must be > 0, got ${config.learningRate}`);
  for (const [k, b] of [['beta1', beta1], ['beta2', beta2]] as const) if (!(b >= 0 && b < 1)) throw new RangeError(`createAdam: ${k} must be in [0, 1), got ${b}`);
  const bad = variables.find((v) => v.dtype !== 'float32');
  if (bad) throw new RangeError(`createAdam: variable '${bad.name}' is ${bad.dtype}, expected float32`);
  const layout = flatLayout(variables);
  let m: Tensor1D | null = null, v: Tensor1D | null = null;
  let accBeta1 = Math.fround(beta1), accBeta2 = Math.fround(beta2), iterations = 0;
  let mask: { key: string; tensor: Tensor } | null = null; // the last live pattern, as a [total] bool tensor
  const maskFor = (live: readonly boolean[]): Tensor => {
    const key = live.map((l) => (l ? 1 : 0)).join('');
    if (mask?.key !== key) {
      mask?.tensor.dispose();
      const bits = new Uint8Array(layout.total);
      live.forEach((l, i) => { if (l) bits.fill(1, layout.offsets[i], layout.offsets[i] + layout.sizes[i]); });
      mask = { key, tensor: tf.keep(tf.tensor1d(bits, 'bool')) }; // made inside update's tidy
    }
    return mask.tensor;
  };
  // the flat weights of the last update, reused while every variable still holds what it wrote
  // (Variable.assign replaces dataId, so a checkpoint load or any other assign invalidates it)
  let written: { value: Tensor1D; dataIds: object[] } | null = null;
  const setMoments = (nm: Tensor1D, nv: Tensor1D): void => { tf.dispose([m, v].filter((t): t is Tensor1D => t !== null)); m = nm; v = nv; };
  const opt: Adam = {
    variables, layout, learningRate: config.learningRate, beta1, beta2, epsilon,
    get iterations() { return iterations; },
    update(grad, o = {}) {
      if (grad.rank !== 1 || grad.shape[0] !== layout.total) throw new RangeError(`Adam.update: expected a [${layout.total}] gradient, got [${grad.shape.join(', ')}]`);
      const live = o.live && o.live.some((l) => !l) ? o.live : null;
      if (m === null || v === null) setMoments(tf.zeros([layout.total]), tf.zeros([layout.total]));
      const [m0, v0] = [m!, v!], wd = o.weightDecay ?? 0;
      const oneMinusAccBeta1 = Math.fround(1 - accBeta1), oneMinusAccBeta2 = Math.fround(1 - accBeta2); // float32, as tf's sub(1, accBeta)
      const out = tf.tidy(() => {
        const value = written && variables.every((x, i) => x.dataId === written!.dataIds[i]) ? written.value : flattenTensors(variables); // [total]
        const g = wd > 0 ? tf.add(grad, tf.mul(value, wd)) : grad;
        const newM = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
        const newV = tf.add(tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2));
        const mHat = tf.div(newM, oneMinusAccBeta1), vHat = tf.div(newV, oneMinusAccBeta2);
        const newValue = tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), -opt.learningRate), value) as Tensor1D;
        if (!live) return { m: newM as Tensor1D, v: newV as Tensor1D, value: newValue };
        const keep = maskFor(live); // dead variables keep their moments and weights
        return { m: tf.where(keep, newM, m0) as Tensor1D, v: tf.where(keep, newV, v0) as Tensor1D, value: tf.where(keep, newValue, value) as Tensor1D };
      });
      setMoments(out.m, out.v);
      const pieces = unflattenTensor(out.value, layout);
      pieces.forEach((t, i) => { if (!live || live[i]) variables[i].assign(t); });
      tf.dispose(pieces);
      written?.value.dispose();
      written = { value: out.value, dataIds: variables.map((x) => x.dataId) };
      accBeta1 = Math.fround(accBeta1 * Math.fround(beta1)); // float32 products, as tf's mul(accBeta1, beta1)
      accBeta2 = Math.fround(accBeta2 * Math.fround(beta2));
      iterations++;
    },
    state() {
      if (m === null || v === null) return null;
      return { iterations, accBeta1, accBeta2, m: splitFlatArray(m.dataSync() as Float32Array, layout), v: splitFlatArray(v.dataSync() as Float32Array, layout) };
    },
    setState(s) {
      const nm = joinFlatArrays(s.m, layout, 'Adam first moment'), nv = joinFlatArrays(s.v, layout, 'Adam second moment');
      setMoments(tf.tensor1d(nm), tf.tensor1d(nv));
      iterations = s.iterations; accBeta1 = Math.fround(s.accBeta1); accBeta2 = Math.fround(s.accBeta2);
    },
    dispose() {
      tf.dispose([m, v, mask?.tensor, written?.value].filter((t): t is Tensor => t != null));
      m = v = null; mask = null; written = null;
    },
  };
  return opt;
}
// #endregion adam
