/**
 * One synthetic frame: the vehicle pose of a planned drive, the LiDAR sweep and the two
 * colour images; and the KITTI ground-truth poses of a drive. Every frame draws its noise
 * from its own seed (seed, sequence, frame), so frames can be rendered in any order, on
 * any worker, with the same bytes.
 */
import { createRng } from '../../core/rng.js';
import { cameraFromProjection, decomposeProjection, type PinholeCamera } from '../../geometry/camera.js';
import { compose, invert, mat4From3x4, type Mat4 } from '../../geometry/se3.js';
import type { OdometryCalib } from '../kitti/calib.js';
import { renderImage } from './camera-render.js';
import type { SyntheticConfig } from './config.js';
import { planDrives, type DrivePlan } from './drives.js';
import { simulateSweep } from './lidar.js';
import { imageSize, kittiCalib } from './rig.js';
import { buildScene, type Scene } from './scene.js';
import { generateTown } from './town.js';

/** Everything needed to render frames of a config (built once per worker). */
export interface SyntheticWorld {
  config: SyntheticConfig;
  scene: Scene;
  plans: DrivePlan[];
  calib: OdometryCalib;
  /** Intrinsics of cameras 2 and 3 at the configured scale. */
  cams: [PinholeCamera, PinholeCamera];
  /** [16] cam0 -> camera 2 / 3 (pure translations). */
  camFromCam0: [Mat4, Mat4];
}

/** Builds the town, its BVH, the drive plans and the rig of a (validated) config. */
export function buildWorld(config: SyntheticConfig): SyntheticWorld {
  const town = generateTown(config.seed, config.town);
  const calib = kittiCalib(config.camera.scale);
  const { width, height } = imageSize(config.camera.scale);
  return {
    config, scene: buildScene(town), plans: planDrives(town, config), calib,
    cams: [cameraFromProjection(calib.P2, width, height), cameraFromProjection(calib.P3, width, height)],
    camFromCam0: [decomposeProjection(calib.P2).camFromRect, decomposeProjection(calib.P3).camFromRect],
  };
}

/** [16] velodyne -> town at a frame of a plan (vehicle on the ground, LiDAR `mountHeightM` above). */
export function townFromVelo(plan: DrivePlan, frame: number, mountHeightM: number): Mat4 {
  const c = Math.cos(plan.yaw[frame]), s = Math.sin(plan.yaw[frame]);
  return new Float64Array([c, -s, 0, plan.x[frame], s, c, 0, plan.y[frame], 0, 0, 1, mountHeightM, 0, 0, 0, 1]);
}

/**
 * KITTI ground-truth poses of a drive: camera 0 at frame i -> camera 0 at frame 0.
 * @returns F matrices [16] row-major (write the top 3 rows).
 */
export function drivePoses(world: SyntheticWorld, plan: DrivePlan): Mat4[] {
  const veloFromCam0 = invert(mat4From3x4(world.calib.Tr));
  const townFromCam = (i: number): Mat4 => compose(townFromVelo(plan, i, world.config.lidar.mountHeightM), veloFromCam0);
  const cam0FromTown = invert(townFromCam(0));
  return Array.from(plan.x, (_, i) => compose(cam0FromTown, townFromCam(i)));
}

/** The sensor data of one frame. */
export interface SyntheticFrame {
  /** [N * 4] float32 velodyne points x, y, z, reflectance. */ scan: Float32Array;
  /** [H * W * 3] uint8 RGB of camera 2 (left) and camera 3 (right). */ image2: Uint8Array; image3: Uint8Array;
  width: number; height: number;
}

/** A 32-bit seed for (seed, seq, frame, stream). */
function frameSeed(seed: number, seq: number, frame: number, stream: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 73856093) ^ Math.imul(seq + 1, 19349663) ^ Math.imul(frame + 1, 83492791) ^ Math.imul(stream + 1, 2654435761)) >>> 0;
}

/** Renders the LiDAR sweep of one frame. */
export function renderScan(world: SyntheticWorld, seq: number, frame: number): Float32Array {
  const plan = world.plans[seq], cfg = world.config;
  return simulateSweep(world.scene, cfg.lidar, townFromVelo(plan, frame, cfg.lidar.mountHeightM), createRng(frameSeed(cfg.seed, seq, frame, 0)));
}

/** Renders camera 2 (k = 0) or 3 (k = 1) of one frame. */
export function renderCamera(world: SyntheticWorld, seq: number, frame: number, k: 0 | 1): Uint8Array {
  const plan = world.plans[seq], cfg = world.config;
  const townFromCam0 = compose(townFromVelo(plan, frame, cfg.lidar.mountHeightM), invert(mat4From3x4(world.calib.Tr)));
  const townFromCam = compose(townFromCam0, invert(world.camFromCam0[k]));
  return renderImage(world.scene, townFromCam, world.cams[k], plan.lighting, cfg.camera.noiseStd, createRng(frameSeed(cfg.seed, seq, frame, 1 + k)));
}

/** Renders all sensors of one frame. */
export function renderFrame(world: SyntheticWorld, seq: number, frame: number): SyntheticFrame {
  const { width, height } = world.cams[0];
  return { scan: renderScan(world, seq, frame), image2: renderCamera(world, seq, frame, 0), image3: renderCamera(world, seq, frame, 1), width, height };
}
