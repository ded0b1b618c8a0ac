/**
 * Learnable queries and the ICLM attention stack (ICL, CVPR 2025): N_q query embeddings
 * that, layer by layer, attend to each other, to the pixel features, to each other again and
 * to the (frustum-masked) point features. Each cross-attention's weights are a heatmap over
 * pixels or points per query; keypoints come from them via soft-argmax.ts.
 *
 * Layer (post-norm, the default, as the Transformer/DETR decoders):
 *   x = LN(x + SelfAttn(x)); x = LN(x + CrossAttn(x, pixels));
 *   x = LN(x + SelfAttn(x)); x = LN(x + CrossAttn(x, points, mask)); [x = LN(x + FFN(x))]
 * Pre-norm: x = x + Sub(LN(x)) for each sub-layer, and one final LN after the last layer.
 * The returned heatmaps are the cross-attention weights averaged over heads. A sample whose
 * point mask is all 0 gets all-zero point heatmaps and a zero point cross-attention update
 * (see attention.ts), never NaN.
 * No positional encodings and no dropout here: the full ICLM adds them around this core.
 * @see notebooks/04-attention-queries.ipynb (issue 5)
 */
import { ConfigError } from '../core/errors.js';
import { checkConfigObject, numberFields, oneOfField, type NumberSpec } from '../core/config-fields.js';
import { createRng } from '../core/rng.js';
import { assertShape } from '../core/shapes.js';
import { tf, variableFrom, type Tensor, type Tensor2D, type Tensor3D, type Variable } from '../core/tf.js';
import { createMultiHeadAttention, type MultiHeadAttention } from './attention.js';
import { createFeedForward, createLayerNorm, type FeedForward, type LayerNorm } from './mlp.js';

// #region config
/** Query-decoder settings. */
export interface LearnableQueriesConfig {
  /** Number of learnable queries N_q. Default 64 (ICL's released code; 128 in the paper). */
  numQueries: number;
  /** Number of layers L. Default 3 (the paper's best). */
  layers: number;
  /** Attention heads; must divide dModel. Default 4. */
  heads: number;
  /** Query channels. Default 128. */
  dModel: number;
  /** Channels of the pixel features; default = dModel. */
  pixelDim: number | undefined;
  /** Channels of the point features; default = dModel. */
  pointDim: number | undefined;
  /** Hidden channels of the per-layer feed-forward block; 0 = no FFN. Default 256. */
  ffnHidden: number;
  /** 'post' (LN after each residual) or 'pre' (LN before each sub-layer + a final LN). Default 'post'. */
  norm: 'post' | 'pre';
  /** Standard deviation of the N(0, s^2) query initialisation (torch nn.Embedding: 1). Default 1. */
  queryInitStd: number;
  /** Seed of every weight. Default 0. */
  seed: number;
}

/** Defaults: 64 queries, 3 layers, 4 heads, 128 channels, post-norm with FFN. */
export const DEFAULT_LEARNABLE_QUERIES_CONFIG: Readonly<LearnableQueriesConfig> = Object.freeze({
  numQueries: 64, layers: 3, heads: 4, dModel: 128, pixelDim: undefined, pointDim: undefined,
  ffnHidden: 256, norm: 'post', queryInitStd: 1, seed: 0,
});
// #endregion config

/**
 * Merges over the defaults and checks every field.
 * @throws ConfigError naming the field (e.g. `learnableQueries.heads`)
 */
export function validateLearnableQueriesConfig(partial: Partial<LearnableQueriesConfig> = {}): Readonly<LearnableQueriesConfig> {
  const P = 'learnableQueries';
  checkConfigObject(P, partial, Object.keys(DEFAULT_LEARNABLE_QUERIES_CONFIG));
  const c = { ...DEFAULT_LEARNABLE_QUERIES_CONFIG, ...partial };
  const pos: NumberSpec = { min: 1, integer: true };
  numberFields(P, c, {
    numQueries: pos, layers: pos, heads: pos, dModel: pos, ffnHidden: { min: 0, integer: true },
    ...(c.pixelDim !== undefined ? { pixelDim: pos } : {}), ...(c.pointDim !== undefined ? { pointDim: pos } : {}),
  });
  if (c.dModel % c.heads !== 0) throw new ConfigError(`${P}.heads`, `dModel ${c.dModel} is not a multiple of heads ${c.heads}`);
  oneOfField(`${P}.norm`, c.norm, ['post', 'pre']);
  numberFields(P, c, { queryInitStd: { min: 0, minOpen: true }, seed: {} });
  return Object.freeze(c);
}

/** What {@link LearnableQueries.apply} returns (caller disposes every tensor; a type alias, so `tf.tidy` can return it). */
export type QueryDecoderOutput = {
  /** [B, N_q, dModel] float32 final query features. */
  queries: Tensor3D;
  /** Per layer, [B, N_q, H*W] float32 heatmap over pixels (rows sum to 1). */
  pixelWeights: Tensor3D[];
  /** Per layer, [B, N_q, N] float32 heatmap over points (0 on masked points). */
  pointWeights: Tensor3D[];
};

/** The learnable queries and their attention stack. */
export interface LearnableQueries {
  readonly config: Readonly<LearnableQueriesConfig>;
  /** [N_q, dModel] float32 query embeddings. */
  readonly queries: Variable;
  /**
   * @param pixelFeatures [B, H*W, pixelDim] float32 per-pixel features, row-major pixels
   * @param pointFeatures [B, N, pointDim] float32 per-point features
   * @param pointMask [B, N] 1 = point in the (predicted) frustum, 0 = ignored; default all 1
   */
  apply(pixelFeatures: Tensor3D, pointFeatures: Tensor3D, pointMask?: Tensor): QueryDecoderOutput;
  /** queries, then per layer: 4 x (attention [8 vars], LN [2]), FFN [4] + LN [2] if any; final LN (pre-norm). */
  readonly trainableVariables: Variable[];
  dispose(): void;
}

interface Layer { attn: MultiHeadAttention[]; norms: LayerNorm[]; ffn: FeedForward | undefined }

// #region createLearnableQueries
/**
 * Builds N_q seeded query embeddings and L ICLM layers.
 * @param config any subset of {@link LearnableQueriesConfig}
 */
export function createLearnableQueries(config: Partial<LearnableQueriesConfig> = {}): LearnableQueries {
  const cfg = validateLearnableQueriesConfig(config);
  const { numQueries: Q, dModel: d, heads } = cfg;
  const rng = createRng(cfg.seed);
  const init = Float32Array.from({ length: Q * d }, () => cfg.queryInitStd * rng.normal());
  const queries = variableFrom(tf.tensor2d(init, [Q, d]));
  const mha = (kvDim: number | undefined) => createMultiHeadAttention({ dModel: d, heads, kvDim, seed: rng.int(0x7fffffff) });
  const layers: Layer[] = Array.from({ length: cfg.layers }, () => ({
    attn: [mha(undefined), mha(cfg.pixelDim), mha(undefined), mha(cfg.pointDim)],
    norms: Array.from({ length: cfg.ffnHidden > 0 ? 5 : 4 }, () => createLayerNorm(d)),
    ffn: cfg.ffnHidden > 0 ? createFeedForward(d, cfg.ffnHidden, rng) : undefined,
  }));
  const finalNorm = cfg.norm === 'pre' ? createLayerNorm(d) : undefined;
  const trainableVariables: Variable[] = [queries];
  for (const l of layers) {
    l.attn.forEach((a, i) => trainableVariables.push(...a.trainableVariables, ...l.norms[i].trainableVariables));
    if (l.ffn) trainableVariables.push(...l.ffn.trainableVariables, ...l.norms[4].trainableVariables);
  }
  if (finalNorm) trainableVariables.push(...finalNorm.trainableVariables);
  const pre = cfg.norm === 'pre';
  /** One residual sub-layer with post- or pre-norm. */
  const sub = (x: Tensor3D, norm: LayerNorm, f: (y: Tensor3D) => Tensor3D): Tensor3D =>
    (pre ? tf.add(x, f(norm.apply(x) as Tensor3D)) : norm.apply(tf.add(x, f(x)))) as Tensor3D;

  return {
    config: cfg, queries, trainableVariables,
    apply(pixelFeatures, pointFeatures, pointMask) {
      assertShape('learnableQueries: pixelFeatures', pixelFeatures.shape, [null, null, cfg.pixelDim ?? d]);
      const B = pixelFeatures.shape[0];
      assertShape('learnableQueries: pointFeatures', pointFeatures.shape, [B, null, cfg.pointDim ?? d]);
      if (pointMask !== undefined) assertShape('learnableQueries: pointMask', pointMask.shape, [B, pointFeatures.shape[1]]);
      return tf.tidy(() => {
        let x = tf.tile(tf.expandDims(queries as Tensor2D, 0), [B, 1, 1]) as Tensor3D; // [B, Q, d]
        const pixelWeights: Tensor3D[] = [], pointWeights: Tensor3D[] = [];
        for (const { attn, norms, ffn } of layers) {
          x = sub(x, norms[0], (y) => attn[0].apply(y, y).out);
          x = sub(x, norms[1], (y) => { const r = attn[1].apply(y, pixelFeatures); pixelWeights.push(r.weights); return r.out; });
          x = sub(x, norms[2], (y) => attn[2].apply(y, y).out);
          x = sub(x, norms[3], (y) => { const r = attn[3].apply(y, pointFeatures, pointMask); pointWeights.push(r.weights); return r.out; });
          if (ffn) x = sub(x, norms[4], (y) => ffn.apply(y) as Tensor3D); // [B, Q, d]
        }
        if (finalNorm) x = finalNorm.apply(x) as Tensor3D;
        return { queries: x, pixelWeights, pointWeights };
      });
    },
    dispose() {
      queries.dispose();
      for (const l of layers) { l.attn.forEach((a) => a.dispose()); l.norms.forEach((n) => n.dispose()); l.ffn?.dispose(); }
      finalNorm?.dispose();
    },
  };
}
// #endregion createLearnableQueries
