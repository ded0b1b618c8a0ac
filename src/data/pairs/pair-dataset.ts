/**
 * The pairs of one split over a KITTI-layout root (real KITTI odometry or the embedded
 * synthetic data), enumerated in a fixed order and built lazily.
 *
 * Enumeration: the split's sequences, ascending: config.trainSequences / testSequences on a
 * real KITTI root, config.syntheticTrainSequences / syntheticTestSequences on a root holding
 * the synthetic generator's manifest (explicit ids, or 'all-but-last' / 'last' of the
 * sequences present); in each, the frames that
 * have a velodyne scan, ascending; per frame, each configured camera whose image exists, in
 * config order. Nothing is read but folder listings until {@link PairDataset.get}.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { createRng, type Rng } from '../../core/rng.js';
import { KittiOdometry } from '../kitti/odometry.js';
import type { KittiColorCamera, KittiSequence } from '../kitti/odometry-sequence.js';
import { MANIFEST_FILE } from '../synthetic/generate.js';
import { cameraMotion, drawNeighbourFrame, loadPairSource, neighbourPairSource, pairFromSource, type ImagePointPair, type PairSource, type PairSplit } from './build-pair.js';
import type { PairConfig, SequenceSelector } from './config.js';

/** One pair's address. */
export interface PairRef {
  /** Sequence id, two digits (`'09'`). */
  seq: string;
  /** Frame number. */
  frame: number;
  /** Colour camera, 2 or 3. */
  camera: KittiColorCamera;
}

/**
 * The sequences of a split among those present.
 * @param present sequence ids present, e.g. `['00', '01']`
 * @param selector explicit numbers, 'all-but-last' or 'last'
 * @returns the chosen ids that are present (ascending) and the explicit ids that are not
 */
export function selectSequences(present: readonly string[], selector: SequenceSelector): { chosen: string[]; missing: string[] } {
  const sorted = [...present].sort((a, b) => Number(a) - Number(b));
  if (selector === 'last') return { chosen: sorted.slice(-1), missing: [] };
  if (selector === 'all-but-last') return { chosen: sorted.slice(0, -1), missing: [] };
  const wanted = [...selector].sort((a, b) => a - b).map((s) => String(s).padStart(2, '0'));
  return { chosen: wanted.filter((s) => sorted.includes(s)), missing: wanted.filter((s) => !sorted.includes(s)) };
}

/** Whether a KITTI-layout root holds the synthetic generator's manifest. */
export function isSyntheticRoot(root: string): boolean {
  return fs.existsSync(path.join(root, MANIFEST_FILE));
}

/**
 * The stored images' scale relative to full-resolution KITTI: `camera.scale` from the
 * synthetic generator's manifest when the root has one, else 1 (real KITTI).
 * @param root a KITTI-layout root
 */
export function sourceImageScale(root: string): number {
  const file = path.join(root, MANIFEST_FILE);
  if (!isSyntheticRoot(root)) return 1;
  const scale = (JSON.parse(fs.readFileSync(file, 'utf8')) as { config?: { camera?: { scale?: unknown } } }).config?.camera?.scale;
  if (!(typeof scale === 'number' && scale > 0)) throw new InputError(file, `expected config.camera.scale > 0 in the synthetic manifest, got ${JSON.stringify(scale)}`);
  return scale;
}

/** Options of {@link PairDataset}. */
export interface PairDatasetOptions {
  /** Override the config's sequence selector for this split. */
  sequences?: SequenceSelector;
  /** Override {@link sourceImageScale}. */
  sourceScale?: number;
  /** Seed of the running training generator; default config.seed. */
  seed?: number;
}

// #region PairDataset
/** The pairs of one split, in a deterministic order, built on demand. */
export class PairDataset {
  readonly root: string;
  readonly split: PairSplit;
  readonly config: PairConfig;
  /** Sequence ids used, ascending. */
  readonly sequences: readonly string[];
  /** Explicitly selected sequence ids absent from the root (reported, not an error). */
  readonly missingSequences: readonly string[];
  /** Scale of the stored images relative to full-resolution KITTI. */
  readonly sourceScale: number;
  /** Whether the root is synthetic (then the synthetic sequence selectors apply). */
  readonly synthetic: boolean;
  /** Every pair's address, in order. */
  readonly pairs: readonly PairRef[];
  private readonly odometry: KittiOdometry;
  private readonly opened = new Map<string, KittiSequence>();
  private readonly scanFrames = new Map<string, Set<number>>();
  private readonly rng: Rng;

  /**
   * @param root a KITTI odometry-layout root (holding `sequences/`)
   * @param config a validated pair config
   * @param split 'train' or 'test'
   * @throws InputError naming the root when the split has no pairs
   */
  constructor(root: string, config: PairConfig, split: PairSplit, options: PairDatasetOptions = {}) {
    if (split !== 'train' && split !== 'test') throw new InputError('PairDataset: split', `expected 'train' or 'test', got '${String(split)}'`);
    this.root = root; this.config = config; this.split = split;
    this.odometry = new KittiOdometry(root);
    this.synthetic = isSyntheticRoot(root);
    const selector = options.sequences ?? (this.synthetic
      ? (split === 'train' ? config.syntheticTrainSequences : config.syntheticTestSequences)
      : (split === 'train' ? config.trainSequences : config.testSequences));
    const { chosen, missing } = selectSequences(this.odometry.sequences(), selector);
    this.sequences = chosen; this.missingSequences = missing;
    this.sourceScale = options.sourceScale ?? sourceImageScale(root);
    this.rng = createRng(options.seed ?? config.seed);
    const pairs: PairRef[] = [];
    for (const seq of chosen) {
      const s = this.sequence(seq);
      const withImage = new Map(config.cameras.map((c) => [c, new Set(s.frameIds(`image_${c}`))]));
      for (const frame of s.frameIds('velodyne')) {
        for (const camera of config.cameras) if (withImage.get(camera)?.has(frame)) pairs.push({ seq, frame, camera });
      }
    }
    if (pairs.length === 0) {
      throw new InputError(root, `no ${split} pairs: sequences ${JSON.stringify(selector)} give [${chosen.join(', ')}] present`
        + ` (missing: ${missing.join(', ') || 'none'}) with cameras ${config.cameras.join(', ')}`);
    }
    this.pairs = Object.freeze(pairs);
  }

  /** Number of pairs. */
  get length(): number {
    return this.pairs.length;
  }

  /**
   * Builds pair i (reads its image and scan now).
   * @param i index in [0, length)
   * @param rng training generator; default the dataset's running one (seeded by config.seed). Test pairs ignore it.
   */
  get(i: number, rng?: Rng): ImagePointPair {
    const r = rng ?? this.rng;
    return pairFromSource(this.pairSource(i, r), this.config, r, { split: this.split });
  }

  /**
   * The deterministic part of pair i ({@link loadPairSource}): its own frame's, or for a training
   * pair with PairConfig.neighbourFrames > 0 its image with a nearby frame's cloud, the frame drawn
   * from `rng` (one draw, before {@link pairFromSource}'s).
   * @param load reads one frame's source (default loadPairSource; the trainer's cache passes a memoised one)
   * @throws RangeError for an index out of range; InputError when a neighbour pair has no generator
   */
  pairSource(i: number, rng: Rng | undefined, load: (sequence: KittiSequence, frame: number, camera: KittiColorCamera) => PairSource = (s, f, c) => loadPairSource(s, f, c, this.config, this.sourceScale)): PairSource {
    if (!(Number.isInteger(i) && i >= 0 && i < this.pairs.length)) throw new RangeError(`PairDataset.get: index must be an integer in [0, ${this.pairs.length}), got ${i}`);
    const { seq, frame, camera } = this.pairs[i], s = this.sequence(seq);
    const own = load(s, frame, camera);
    if (this.split !== 'train' || this.config.neighbourFrames === 0) return own;
    if (rng === undefined) throw new InputError('PairDataset.pairSource: rng', 'training pairs need the running generator');
    let frames = this.scanFrames.get(seq);
    if (!frames) { frames = new Set(s.frameIds('velodyne')); this.scanFrames.set(seq, frames); }
    const g = drawNeighbourFrame(rng, frame, this.config.neighbourFrames, frames);
    return g === frame ? own : neighbourPairSource(own, load(s, g, camera), cameraMotion(s, camera, g, frame));
  }

  private sequence(id: string): KittiSequence {
    let s = this.opened.get(id);
    if (s === undefined) { s = this.odometry.sequence(id); this.opened.set(id, s); }
    return s;
  }
}
// #endregion PairDataset
