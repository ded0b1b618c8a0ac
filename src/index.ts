/**
 * i2p-lab: locate a camera image in a LiDAR map.
 * Hand-curated public API; see README.md for the layout.
 */
export * from './core/index.js';
