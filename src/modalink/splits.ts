/**
 * Frame splits of the evaluation protocols, and the alignment of the embedded data's
 * sequences into one world frame.
 *
 * - `synthetic`: train on every frame of sequence 00 (the database drive: its camera
 *   images and depth images); test: database = depth images of 00, queries = camera images
 *   of each other sequence (held-out drives over the same streets, never trained on). The
 *   query drives' poses are moved into 00's frame with the generator's town layout (KITTI
 *   poses are relative to each drive's first frame). Half of the default query drives run the
 *   other way (the other lane): their camera sees the far side of the street, which a
 *   forward-looking FoV depth image of 00 never shows, so those queries are hard by design.
 * - `synthetic-within`: the same training set (00); test within each held-out drive, with
 *   protocol B's rule: database = that drive's own depth images minus each query's own
 *   synchronised scan, queries = its camera images. The modality gap alone, on drives and
 *   streets never trained on, like protocols A and B on KITTI.
 * - `A` (ModaLink paper): train on frames 0-2999 of KITTI 00; test within 00 (frames 3000+),
 *   02, 05, 06, 08; database = the test frames' depth images, queries = their camera images.
 * - `B` (later papers): train on 11-21 (needs SemanticKITTI poses); test within 00, 02, 05,
 *   06, 07, 08; each query's own synchronised scan is excluded from the database; queries with
 *   no true neighbour are dropped.
 * - `towns` (the embedded data's protocol-A/B analog, the headline): train on every drive of
 *   OTHER towns (`trainRoots`, e.g. `i2p generate --preset towns --seed 11..14`); test within
 *   each drive of the test town (`root`, all its drives, none trained on) with protocol B's
 *   rule. A training root that is the test town itself (same folder, or a manifest with the
 *   same settings hash) is refused.
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { compose, invert, mat4From3x4 } from '../geometry/se3.js';
import { KittiOdometry } from '../data/kitti/odometry.js';
import { validateSyntheticConfig, type SyntheticConfig } from '../data/synthetic/config.js';
import { generateTown } from '../data/synthetic/town.js';
import { planDrives } from '../data/synthetic/drives.js';
import { townFromVelo } from '../data/synthetic/frame.js';
import { MANIFEST_FILE } from '../data/synthetic/generate.js';

/** The evaluation protocols. */
export type Protocol = 'synthetic' | 'synthetic-within' | 'towns' | 'A' | 'B';

/** Every protocol name, for option checks. */
export const PROTOCOLS: readonly Protocol[] = Object.freeze(['synthetic', 'synthetic-within', 'towns', 'A', 'B']);

/** Frames of one sequence (undefined = all); `root`: another KITTI-layout root than the protocol's (protocol `towns`'s training towns). */
export interface FrameSet { seq: number; frames?: number[]; root?: string }

/** One test: a database and queries, scored together. */
export interface TestSplit {
  name: string;
  database: FrameSet;
  queries: FrameSet;
  /** Protocol B: leave out the query's own scan (same frame id in the same sequence). */
  excludeOwnScan: boolean;
  /**
   * Protocol `synthetic` on the embedded data: 'other way' for a query drive that runs against the
   * database drive (odd sequences: the other lane), whose rows go to a table of their own (what
   * FoV retrieval cannot do); absent = the main table.
   */
  group?: 'other way';
}

/** A protocol's training and test sets. */
export interface ProtocolSplits { train: FrameSet[]; tests: TestSplit[] }

const range = (a: number, b: number): number[] => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

// #region splits
/** The sequences of a KITTI-layout root that have scans. */
function scannedSequences(root: string): number[] {
  const odo = new KittiOdometry(root);
  return odo.sequences().map(Number).filter((s) => odo.sequence(s).frameIds('velodyne').length > 0);
}

/** The settings hash of a synthetic root's manifest, or null (real KITTI). */
function manifestHash(root: string): string | null {
  const file = path.join(root, MANIFEST_FILE);
  return fs.existsSync(file) ? String((JSON.parse(fs.readFileSync(file, 'utf8')) as { hash?: string }).hash ?? '') : null;
}

/**
 * The splits of `protocol` on the KITTI-layout `root`.
 * @param trainRoots protocol `towns`: the training towns' roots (ignored by the others; empty = no training set, for evaluation)
 * @throws InputError when a needed sequence is absent, or a training town is the test town
 */
export function protocolSplits(protocol: Protocol, root: string, trainRoots: readonly string[] = []): ProtocolSplits {
  const odo = new KittiOdometry(root);
  const present = odo.sequences().map(Number);
  const need = (s: number): void => { if (!present.includes(s)) throw new InputError(path.join(root, 'sequences', String(s).padStart(2, '0')), `missing: protocol ${protocol} needs sequence ${s}`); };
  const within = (seq: number, frames?: number[]): TestSplit => ({ name: String(seq).padStart(2, '0'), database: { seq, frames }, queries: { seq, frames }, excludeOwnScan: protocol === 'B' });
  if (protocol === 'towns') {
    const tests = scannedSequences(root);
    if (tests.length === 0) throw new InputError(root, 'protocol towns needs at least one sequence with scans to test on');
    const testHash = manifestHash(root);
    const train = trainRoots.flatMap((r) => {
      if (path.resolve(r) === path.resolve(root) || (testHash !== null && manifestHash(r) === testHash)) throw new InputError(r, `is the test town (${root}): protocol towns trains on other towns only`);
      const seqs = scannedSequences(r);
      if (seqs.length === 0) throw new InputError(r, 'a training town with no sequence with scans');
      return seqs.map((seq) => ({ seq, root: r }));
    });
    return { train, tests: tests.map((s) => ({ name: `${String(s).padStart(2, '0')} within`, database: { seq: s }, queries: { seq: s }, excludeOwnScan: true })) };
  }
  if (protocol === 'synthetic' || protocol === 'synthetic-within') {
    need(0);
    const others = scannedSequences(root).filter((s) => s !== 0);
    if (others.length === 0) throw new InputError(root, `protocol ${protocol} needs at least one query sequence besides 00`);
    const name = (s: number): string => String(s).padStart(2, '0');
    const synthetic = fs.existsSync(path.join(root, MANIFEST_FILE)); // the generator reverses odd query drives
    return {
      train: [{ seq: 0 }],
      tests: protocol === 'synthetic'
        ? others.map((s) => ({ name: `${name(s)} vs 00`, database: { seq: 0 }, queries: { seq: s }, excludeOwnScan: false, ...(s % 2 === 1 && synthetic ? { group: 'other way' as const } : {}) }))
        : others.map((s) => ({ name: `${name(s)} within`, database: { seq: s }, queries: { seq: s }, excludeOwnScan: true })),
    };
  }
  if (protocol === 'A') {
    need(0);
    const n00 = odo.sequence(0).frameIds('velodyne').length;
    for (const s of [2, 5, 6, 8]) need(s);
    return { train: [{ seq: 0, frames: range(0, Math.min(3000, n00)) }], tests: [within(0, range(3000, n00)), ...[2, 5, 6, 8].map((s) => within(s))] };
  }
  if (protocol === 'B') {
    for (const s of [...range(11, 22), 0, 2, 5, 6, 7, 8]) need(s);
    return { train: range(11, 22).map((seq) => ({ seq })), tests: [0, 2, 5, 6, 7, 8].map((s) => within(s)) };
  }
  throw new InputError('--protocol', `expected ${PROTOCOLS.join(', ')}, got ${JSON.stringify(protocol)}`);
}
// #endregion splits

/**
 * For the embedded data: per sequence, the transform from its pose frame (camera 0 at its
 * frame 0) into sequence 00's pose frame, rebuilt from the manifest's town and drive plans.
 * @returns seq -> [16] row-major, or null when `root` has no synthetic manifest (real KITTI)
 */
export function syntheticAlignment(root: string): Map<number, Float64Array> | null {
  const file = path.join(root, MANIFEST_FILE);
  if (!fs.existsSync(file)) return null;
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { config: SyntheticConfig };
  const config = validateSyntheticConfig(manifest.config);
  const plans = planDrives(generateTown(config.seed, config.town), config);
  const calibTr = new KittiOdometry(root).sequence(0).calib.Tr;
  const veloFromCam0 = invert(mat4From3x4(calibTr));
  const townFromCam0 = new Map(plans.map((p) => [p.seq, compose(townFromVelo(p, 0, config.lidar.mountHeightM), veloFromCam0)]));
  const base = townFromCam0.get(0);
  if (!base) throw new InputError(file, 'no drive plan for sequence 00');
  const inv = invert(base);
  return new Map([...townFromCam0].map(([s, T]) => [s, Float64Array.from(compose(inv, T))]));
}
