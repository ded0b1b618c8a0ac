/**
 * i2p-lab: locate a camera image in a LiDAR map.
 * Hand-curated public API; see README.md for the layout. Notebook helpers (tslab) are in
 * the `i2p-lab/notebook` entry point so that this one never loads tslab.
 */
export * from './core/index.js';
export * from './geometry/index.js';
export * from './data/kitti/index.js';
export * from './data/formats/index.js';
export * from './data/synthetic/index.js';
export * from './data/pairs/index.js';
export * from './viz/index.js';
export * from './nn/index.js';
export * from './metrics/index.js';
export * from './train/index.js';
export * from './modalink/index.js';
export * from './registration/index.js';
export * from './localization/index.js';
