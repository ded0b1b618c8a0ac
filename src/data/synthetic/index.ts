/**
 * The embedded synthetic dataset: a seeded procedural town ray-cast by a KITTI-like rig
 * (HDL-64E-like LiDAR, colour cameras 2 and 3), driven along its streets and written in the
 * KITTI odometry layout so the KITTI readers read it. Hand-curated exports.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
export type { SyntheticConfig, SyntheticConfigInput, TownConfig, LidarConfig, CameraConfig, DriveConfig } from './config.js';
export { DEFAULT_SYNTHETIC_CONFIG, validateSyntheticConfig, settingsHash, GENERATOR_VERSION } from './config.js';
export type { TriangleMesh } from './mesh.js';
export { MeshBuilder } from './mesh.js';
export type { Bvh, RayHit } from './bvh.js';
export { buildBvh, intersectBvh, emptyHit } from './bvh.js';
export type { Town, GroundMap } from './town.js';
export { generateTown } from './town.js';
export type { Scene } from './scene.js';
export { buildScene, castRay, groundMaterial } from './scene.js';
export { MAT, FACADE_BASE, buildMaterials, windowCell } from './materials.js';
export type { DrivePlan, Lighting } from './drives.js';
export { planDrives } from './drives.js';
export { beamElevations, simulateSweep } from './lidar.js';
export { renderImage } from './camera-render.js';
export { kittiCalib, imageSize, KITTI_IMAGE } from './rig.js';
export type { SyntheticWorld, SyntheticFrame } from './frame.js';
export { buildWorld, renderFrame, renderScan, renderCamera, drivePoses, townFromVelo } from './frame.js';
export type { GenerateOptions, GenerateSummary } from './generate.js';
export { generateSynthetic, frameFiles, MANIFEST_FILE } from './generate.js';
export type { ScanStats } from './realism.js';
export { scanStats, meanStats, DEPTH_BINS_M } from './realism.js';
export { loadPreset, PRESET_NAMES, datasetsDir } from './presets.js';
export type { SequenceChecksum, DatasetChecksums } from './checksums.js';
export { datasetChecksums, compareChecksums, sequenceFileList, expectedChecksums, checksumsFile } from './checksums.js';
export type { EnsureOptions, SyntheticPreset, SyntheticDatasetState } from './ensure.js';
export { ensureSyntheticDataset, defaultSyntheticRoot, syntheticDatasetState } from './ensure.js';
export type { RealismRow } from './realism-report.js';
export { syntheticRealism, realKittiRealism, realismTable } from './realism-report.js';
export { hashU32, unitFromHash, normalFromHash } from './noise.js';
