/**
 * The ModaLink network: a (shared) ResNet encoder for camera images and FoV depth images,
 * then a descriptor that concatenates L2-normalised parts:
 * - main: NetVLAD(clusters, C) on the per-pixel-L2 encoder map;
 * - NMF branch: per-image NMF of ReLU(map) into K heatmaps, L2 over K, NetVLAD(clusters, K)
 *   (or, `semanticMethod: 'soft-kmeans'`, per-image soft k-means responsibilities instead of NMF's W);
 * - optional MLP branch: 1x1 convs C -> hidden -> K with ReLU, NetVLAD(clusters, K).
 * Paper sizes: 64 x 256 + 64 x 16 (+ 64 x 16) = 16384 + 1024 (+ 1024).
 *
 * Convention: every part has unit L2 norm, so the concatenation has norm sqrt(parts).
 * The NetVLAD heads are shared by both modalities; only the encoder may be separate.
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../core/tf.js';
import { createRng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import { createEncoder, type Encoder } from '../nn/resnet.js';
import { ENCODER_PRESETS } from '../nn/encoder-config.js';
import { createNetVlad, type NetVlad } from '../nn/netvlad.js';
import { nmf, nmfHeatmaps } from '../nn/nmf.js';
import { softKmeans } from '../nn/soft-kmeans.js';
import { createDense, type Dense } from '../nn/mlp.js';
import { normalizeImagenet } from '../nn/torchvision-resnet.js';
import { validateModaLinkConfig, type ModaLinkConfig } from './config.js';

/** Which input a forward pass sees. */
export type Modality = 'image' | 'depth';

/** A forward pass: the descriptor and the encoder map (for the mid-level loss). */
export interface ModaLinkOutput {
  /** [B, D] float32, concatenation of unit-norm parts. */
  descriptor: Tensor2D;
  /** [B, h, w, C] float32 per-pixel-L2 encoder map. */
  map: Tensor4D;
}

/** A ModaLink model with its variables. */
export interface ModaLinkModel {
  readonly config: Readonly<ModaLinkConfig>;
  /** D, the descriptor length. */
  readonly descriptorSize: number;
  /**
   * Forward pass of one modality.
   * @param x [B, H, W, 3] images in [0, 1] or [B, H, W, 1] depth in [0, 1] (repeated to 3 channels here)
   */
  forward(x: Tensor4D, modality: Modality, training: boolean): ModaLinkOutput;
  /** @param images [B, H, W, 3] float32 RGB in [0, 1] @returns [B, D] descriptors (inference statistics) */
  describe(images: Tensor4D): Tensor2D;
  /** @param depth [B, H, W, 1] float32 in [0, 1] @returns [B, D] descriptors */
  describeDepth(depth: Tensor4D): Tensor2D;
  /** k-means NetVLAD centroids from encoder features of sample images [N, H, W, 3] and depths [M, H, W, 1]. */
  initNetVlad(images: Tensor4D, depth: Tensor4D): void;
  /** What the optimiser trains, in a fixed order. */
  readonly trainableVariables: Variable[];
  /** Every variable (running statistics included) by a stable checkpoint name. */
  readonly variables: ReadonlyMap<string, Variable>;
  /** The encoders: one when shared, [image, depth] otherwise (e.g. to load ImageNet weights). */
  readonly encoders: readonly Encoder[];
  dispose(): void;
}

// #region model
/**
 * Builds a ModaLink model with seeded random weights (NetVLAD: random unit centroids until {@link ModaLinkModel.initNetVlad}).
 * @param config any subset of {@link ModaLinkConfig} over the paper preset
 */
export function createModaLinkModel(config: Partial<ModaLinkConfig> = {}): ModaLinkModel {
  const c = validateModaLinkConfig(config);
  const encCfg = { ...ENCODER_PRESETS[c.encoderPreset], inputHeightPx: c.inputHeightPx, inputWidthPx: c.inputWidthPx };
  const imageEncoder = createEncoder(encCfg, c.seed);
  const depthEncoder: Encoder = c.sharedEncoder ? imageEncoder : createEncoder(encCfg, c.seed + 1);
  const C = encCfg.widths[encCfg.widths.length - 1];
  const K = c.nmfFactors;
  const vlad = (dim: number, s: number): NetVlad => createNetVlad({ clusters: c.netvladClusters, dim, alpha: c.netvladAlpha, seed: c.seed + s });
  const mainVlad = vlad(C, 10);
  const nmfVlad = c.nmfBranch ? vlad(K, 11) : null;
  const rng = createRng(c.seed + 12);
  const mlp: Dense[] = c.mlpBranch ? [createDense(C, c.mlpHiddenChannels, rng), createDense(c.mlpHiddenChannels, K, rng)] : [];
  const mlpVlad = c.mlpBranch ? vlad(K, 13) : null;

  const variables = new Map<string, Variable>();
  const encoders: [string, Encoder][] = c.sharedEncoder ? [['encoder', imageEncoder]] : [['imageEncoder', imageEncoder], ['depthEncoder', depthEncoder]];
  for (const [p, e] of encoders) for (const [n, v] of e.variables) variables.set(`${p}.${n}`, v);
  const heads: [string, NetVlad | null][] = [['netvlad.main', mainVlad], ['netvlad.nmf', nmfVlad], ['netvlad.mlp', mlpVlad]];
  for (const [p, h] of heads) if (h) { variables.set(`${p}.centroids`, h.centroids); variables.set(`${p}.weight`, h.weight); variables.set(`${p}.bias`, h.bias); }
  mlp.forEach((d, i) => { variables.set(`mlp.${i}.kernel`, d.kernel); variables.set(`mlp.${i}.bias`, d.bias); });
  const trainableVariables = [...variables.values()].filter((v) => v.trainable);

  /** The branch inputs of an encoder map [B, h, w, C]: NMF heatmaps and MLP features. */
  const branches = (map: Tensor4D): { nmfMaps: Tensor4D | null; mlpMaps: Tensor4D | null } => {
    const [B, h, w] = map.shape;
    let nmfMaps: Tensor4D | null = null;
    if (c.nmfBranch) {
      const pixels = tf.reshape(map, [B, h * w, C]) as Tensor3D;
      let parts: Tensor3D, other: Tensor3D; // the K part heatmaps [B, hw, K] (NMF's W or soft k-means' responsibilities) and H or the centres
      if (c.semanticMethod === 'nmf') ({ W: parts, H: other } = nmf(pixels, { factors: K, iterations: c.nmfIterations, mode: c.nmfMode, seed: c.seed }));
      else ({ R: parts, centres: other } = softKmeans(pixels, { clusters: K, iterations: c.nmfIterations, temperature: c.softKmeansTemperature, seed: c.seed, detached: c.nmfMode === 'detached' }));
      nmfMaps = nmfHeatmaps(parts, h, w, true); // [B, h, w, K], L2 over K
      tf.dispose([parts, other]);
    }
    const mlpMaps = c.mlpBranch ? tf.relu(mlp[1].apply(tf.relu(mlp[0].apply(map)))) as Tensor4D : null; // [B, h, w, K]
    return { nmfMaps, mlpMaps };
  };

  const prepare = (x: Tensor4D, modality: Modality): Tensor4D => {
    const want = modality === 'image' ? 3 : 1;
    if (x.rank !== 4 || x.shape[3] !== want) throw new InputError(`ModaLinkModel.forward(${modality}): x`, `expected [B, H, W, ${want}], got [${x.shape.join(', ')}]`);
    const rgb = modality === 'depth' ? tf.tile(x, [1, 1, 1, 3]) as Tensor4D : x; // [B, H, W, 3]
    return c.imagenetNormalize ? normalizeImagenet(rgb) : rgb;
  };

  const forward = (x: Tensor4D, modality: Modality, training: boolean): ModaLinkOutput => {
    const enc = modality === 'image' ? imageEncoder : depthEncoder;
    const [descriptor, map] = tf.tidy(() => {
      const m = enc.apply(prepare(x, modality), training); // [B, h, w, C]
      const { nmfMaps, mlpMaps } = branches(m);
      const parts = [mainVlad.apply(m)]; // [B, K C]
      if (nmfMaps && nmfVlad) parts.push(nmfVlad.apply(nmfMaps)); // [B, K K_nmf]
      if (mlpMaps && mlpVlad) parts.push(mlpVlad.apply(mlpMaps));
      return [parts.length === 1 ? parts[0] : tf.concat(parts, 1), m]; // [B, D]
    }) as [Tensor2D, Tensor4D];
    return { descriptor, map };
  };
  const describeOnly = (x: Tensor4D, m: Modality): Tensor2D => {
    const o = forward(x, m, false);
    o.map.dispose();
    return o.descriptor;
  };

  const initNetVlad = (images: Tensor4D, depth: Tensor4D): void => {
    const feats: (Tensor2D | null)[] = [];
    tf.tidy(() => {
      const maps = tf.concat([imageEncoder.apply(prepare(images, 'image'), false), depthEncoder.apply(prepare(depth, 'depth'), false)], 0) as Tensor4D;
      const { nmfMaps, mlpMaps } = branches(maps);
      const flat = (t: Tensor4D | null): Tensor2D | null => (t ? tf.reshape(t, [-1, t.shape[3]]) as Tensor2D : null);
      feats.push(flat(maps), flat(nmfMaps), flat(mlpMaps));
      for (const f of feats) if (f) tf.keep(f);
    });
    const krng = createRng(c.seed + 14);
    const heads2 = [mainVlad, nmfVlad, mlpVlad];
    feats.forEach((f, i) => { if (f && heads2[i]) heads2[i]!.initFromFeatures(f as Tensor2D, krng, { iterations: 25 }); });
    tf.dispose(feats.filter((f): f is Tensor2D => f !== null));
  };

  const descriptorSize = c.netvladClusters * (C + (c.nmfBranch ? K : 0) + (c.mlpBranch ? K : 0));
  let disposed = false;
  return {
    config: c, descriptorSize, forward,
    describe: (x) => describeOnly(x, 'image'),
    describeDepth: (x) => describeOnly(x, 'depth'),
    initNetVlad, trainableVariables, variables, encoders: c.sharedEncoder ? [imageEncoder] : [imageEncoder, depthEncoder],
    dispose: () => {
      if (disposed) return;
      disposed = true;
      imageEncoder.dispose();
      if (!c.sharedEncoder) depthEncoder.dispose();
      for (const h of [mainVlad, nmfVlad, mlpVlad]) h?.dispose();
      for (const d of mlp) d.dispose();
    },
  };
}
// #endregion model
