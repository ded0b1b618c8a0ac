/**
 * Gradient checkpointing: run a block without keeping its intermediates for the backward pass,
 * and run it again when its gradient is needed (PyTorch's torch.utils.checkpoint).
 *
 * tfjs keeps every tensor a differentiable op saved until the whole gradient is done, so a
 * training step's memory is the sum of all blocks' intermediates. Wrapped in {@link recompute},
 * a block keeps only its inputs; its backward pass recomputes the block with the tape on and
 * backpropagates through that copy, so at most one block's intermediates are alive at a time.
 * The price is one more forward pass of the block. The gradients are the same (same ops, same
 * order); a block must be deterministic (no dropout draws, no readbacks that change with the
 * inputs' precision), and every tensor it reads must be one of `inputs` or `variables`: a
 * tensor it only captured (a mask made in the caller's tidy) is gone when the backward pass
 * re-runs the block. Non-differentiable inputs are fine (they get zero gradients).
 *
 * Implementation: a `tf.customGrad` op over the block's inputs AND the variables it reads
 * (tfjs records nothing inside a custom op, so the variables must be explicit inputs to get
 * gradients). Its gradient calls the engine's `gradients` on a re-run of the block; the engine
 * then starts a tape of its own, so the outer tape is saved and restored around it (tfjs-core
 * 4.x engine state; test/nn/recompute.test.ts checks the behaviour).
 * @see bench/profile.bench.ts (the bytes kept for the backward pass)
 */
import { tf, type Tensor, type Variable } from '../core/tf.js';

interface EngineInternals {
  state: { activeTape: unknown; gradientDepth: number };
  gradients(f: () => Tensor, xs: Tensor[], dy?: Tensor, allowNoGradients?: boolean): { value: Tensor; grads: (Tensor | undefined)[] };
}

// #region recompute
/**
 * `f(...inputs)` whose intermediates are recomputed in the backward pass instead of kept.
 * Outside a gradient computation it is just `f(...inputs)`.
 * @param f the block: tensors in, one tensor out; reads `variables` (and nothing else trainable)
 * @param inputs the tensors the block differentiates through (activations)
 * @param variables every trainable variable the block reads (their gradients flow through the op)
 * @param constants tensors the block reads without differentiating through them (masks; they
 *   may come from ops without a gradient, such as comparisons), passed to f after `inputs`
 * @returns f's output (the caller disposes it)
 */
export function recompute<T extends Tensor>(f: (...xs: Tensor[]) => T, inputs: Tensor[], variables: readonly Variable[], constants: Tensor[] = []): T {
  const engine = tf.engine() as unknown as EngineInternals;
  if (typeof engine.state?.gradientDepth !== 'number') throw new Error('recompute: this tfjs engine has no gradientDepth (tfjs-core 4.x expected)');
  // no tape: nothing to keep anyway. Checked before activeTape, which tfjs-core creates with the process's first
  // gradient: a process that never took one (an evaluation) has none
  if (engine.state.gradientDepth === 0) return f(...inputs, ...constants);
  if (!('activeTape' in engine.state)) throw new Error('recompute: this tfjs engine has no activeTape inside a gradient (tfjs-core 4.x expected)');
  const n = inputs.length, nc = constants.length;
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as (t: Tensor[]) => void;
    const xs = args.slice(0, n + nc) as Tensor[]; // inputs, then constants
    save(xs);
    return {
      value: f(...xs), // inside a custom op: not taped, intermediates freed when it returns
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const outerTape = engine.state.activeTape; // engine.gradients below starts a tape of its own
        try {
          const ins = saved.slice(0, n);
          const { value, grads } = engine.gradients(() => f(...saved), [...ins, ...variables], dy, true);
          value.dispose();
          const g = grads.map((t, i) => t ?? tf.zerosLike(i < n ? ins[i] : variables[i - n]));
          return [...g.slice(0, n), ...saved.slice(n).map((c) => tf.zerosLike(c)), ...g.slice(n)]; // the op's inputs: inputs, constants, variables
        } finally {
          engine.state.activeTape = outerTape;
        }
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(...inputs, ...constants, ...variables) as T;
}
// #endregion recompute
