/**
 * A LiDAR map for global localization: the scans of one KITTI-layout sequence with their poses,
 * each scan's ModaLink descriptor (its FoV depth image through the shared encoder) in an exact
 * search index, and each scan as the registration model sees a cloud (voxel grid, camera-2
 * frame, the model's point count).
 *
 * Convention: the map's world is the sequence's pose frame (KITTI: camera 0 at frame 0), or the
 * frame `worldFromPoses` moves it to (the embedded data: sequence 00's, syntheticAlignment).
 * Poses are `worldFromCam` of camera 2 (the camera whose images ModaLink and the queries use):
 * worldFromCam2 = worldFromCam0 x inv(cam2FromCam0), with cam2FromCam0 from the projection P2.
 * @see notebooks/06-global-localization.ipynb
 */
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { KittiOdometry } from '../data/kitti/odometry.js';
import { loadPairCloud } from '../data/pairs/build-pair.js';
import { testPairSeed } from '../data/pairs/perturbation.js';
import type { PairConfig } from '../data/pairs/config.js';
import { decomposeProjection } from '../geometry/camera.js';
import { randomSubsample } from '../geometry/point-cloud.js';
import { compose, invert, mat4From3x4, type Mat4 } from '../geometry/se3.js';
import { createResidentDatabase, type ResidentDatabase } from '../metrics/resident-database.js';
import type { ModaLinkModel } from '../modalink/model.js';
import { createSequenceView } from '../modalink/data.js';
import { describeView } from '../modalink/evaluate.js';
import { createApproximateIndex, type ApproximateIndexConfig } from './ann-index.js';

/** The retrieval interface the chain searches through (an exact resident database, or an approximate index). */
export type MapIndex = Pick<ResidentDatabase, 'size' | 'dim' | 'query' | 'dispose'>;

/** One map: scans, poses, descriptors, registration clouds. */
export interface LocalizationMap {
  /** KITTI-layout root and two-digit sequence of the map. */
  readonly root: string;
  readonly sequence: string;
  /** Frame ids; map index i is frames[i]. */
  readonly frames: number[];
  /** [16] row-major worldFromCam (camera 2) per scan, metres, map world. */
  readonly worldFromCam: Mat4[];
  /** [N * 2] (x, z) ground positions of the camera-2 centres, metres, map world. */
  readonly centresXZ: Float64Array;
  /** [N * D] ModaLink descriptors of the scans' depth images, and their search index. */
  readonly descriptors: Float32Array;
  readonly index: MapIndex;
  /** Per scan [numPoints * 3] float32, metres, that scan's camera-2 frame: what registration sees. */
  readonly clouds: Float32Array[];
  /** [3] metres, camera-2 frame: the LiDAR's origin (calibration; the same for every scan). */
  readonly lidarOriginCam: readonly [number, number, number];
  /** Seconds spent: ModaLink descriptors, registration clouds. */
  readonly buildSeconds: { descriptors: number; clouds: number };
  dispose(): void;
}

/** Options of {@link buildLocalizationMap}. */
export interface BuildMapOptions {
  root: string;
  sequence: number | string;
  /** The ModaLink model whose depth descriptors index the map. */
  modalink: ModaLinkModel;
  /** The registration model's pair settings (voxelM, numPoints, seed). */
  pairs: Readonly<PairConfig>;
  /** Frames of the sequence (default: every frame with a scan). */
  frames?: number[];
  /** [16] row-major transform applied to every pose first (e.g. syntheticAlignment's, into sequence 00's frame). */
  worldFromPoses?: ArrayLike<number>;
  /** ModaLink's packed frame cache folder (e.g. `.cache/modalink`). */
  cacheDir?: string;
  /** Search the descriptors with an approximate (HNSW) index with these settings instead of exact search (ann-index.ts). */
  approximate?: Partial<ApproximateIndexConfig>;
  /** Progress: (stage, done, total). */
  onProgress?: (stage: 'descriptors' | 'clouds', done: number, total: number) => void;
}

// #region worldFromCamera2
/**
 * The camera-2 poses of a sequence's frames: worldFromCam0 (its poses file, moved by
 * worldFromPoses) x inv(cam2FromCam0).
 * @throws InputError naming the poses file when it is missing or too short
 */
export function cameraTwoPoses(root: string, sequence: number | string, frames: readonly number[], worldFromPoses?: ArrayLike<number>): Mat4[] {
  const s = new KittiOdometry(root).sequence(sequence);
  const poses = s.poses;
  if (!poses) throw new InputError(s.posesFile, 'missing: localization needs the map\'s poses (and the queries\' for errors)');
  const camFromCam0 = invert(decomposeProjection(s.calib.P2).camFromRect); // cam0 <- cam2
  return frames.map((f) => {
    if (f >= poses.length) throw new InputError(s.posesFile, `has ${poses.length} poses, frame ${f} requested`);
    const w0 = mat4From3x4(poses[f]);
    return compose(...(worldFromPoses ? [worldFromPoses] : []), w0, camFromCam0);
  });
}
// #endregion worldFromCamera2

/** (x, z) of each pose's translation: camera centres on the ground plane. */
export function groundCentres(worldFromCam: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(2 * worldFromCam.length);
  worldFromCam.forEach((T, i) => { out[2 * i] = T[3]; out[2 * i + 1] = T[11]; });
  return out;
}

/** Ground-plane distance from map scan `m`'s camera centre to (x, z), metres. */
export function scanDistanceM(map: Pick<LocalizationMap, 'centresXZ'>, m: number, x: number, z: number): number {
  return Math.hypot(map.centresXZ[2 * m] - x, map.centresXZ[2 * m + 1] - z);
}

// #region buildLocalizationMap
/**
 * Builds a map: ModaLink descriptors of every scan's depth image (packed cache reused), a search
 * index over them (exact; or approximate with `approximate`), and each scan's registration cloud: the scan voxel-downsampled
 * (pairs.voxelM), in its camera-2 frame, subsampled to pairs.numPoints with the seed a test
 * pair of that frame would use. The caller disposes the map (its index).
 */
export function buildLocalizationMap(o: BuildMapOptions): LocalizationMap {
  const view = createSequenceView(o.root, o.sequence, o.modalink.config, { frames: o.frames, cacheDir: o.cacheDir, worldFromPoses: o.worldFromPoses });
  const t0 = performance.now();
  if (o.cacheDir) view.precompute((d, n) => o.onProgress?.('descriptors', d, n));
  const descriptors = describeView(o.modalink, view, 'depth');
  const t1 = performance.now();
  const seq = new KittiOdometry(o.root).sequence(o.sequence);
  const frames = view.frames, n = o.pairs.numPoints;
  let lidarOriginCam: [number, number, number] = [0, 0, 0];
  const clouds = frames.map((f, i) => {
    const c = loadPairCloud(seq, f, 2, o.pairs);
    if (c.cloudCam.length / 4 < 1) throw new InputError(seq.scanPath(f), 'empty scan after the voxel grid');
    lidarOriginCam = c.lidarOriginCam;
    const sample = randomSubsample(c.cloudCam, 4, n, createRng(testPairSeed(o.pairs.seed, seq.id, f, 2))); // [n * 4]
    const xyz = new Float32Array(3 * n);
    for (let k = 0; k < n; k++) { xyz[3 * k] = sample[4 * k]; xyz[3 * k + 1] = sample[4 * k + 1]; xyz[3 * k + 2] = sample[4 * k + 2]; }
    o.onProgress?.('clouds', i + 1, frames.length);
    return xyz;
  });
  const t2 = performance.now();
  const worldFromCam = cameraTwoPoses(o.root, o.sequence, frames, o.worldFromPoses);
  const index: MapIndex = o.approximate ? createApproximateIndex(descriptors, o.modalink.descriptorSize, o.approximate) : createResidentDatabase(descriptors, o.modalink.descriptorSize);
  return {
    root: o.root, sequence: seq.id, frames, worldFromCam, centresXZ: groundCentres(worldFromCam), descriptors, index, clouds, lidarOriginCam,
    buildSeconds: { descriptors: (t1 - t0) / 1000, clouds: (t2 - t1) / 1000 },
    dispose() { index.dispose(); },
  };
}
// #endregion buildLocalizationMap
