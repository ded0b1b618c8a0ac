/**
 * Implicit-correspondence registration (issue 5): the explicit-matching baseline's
 * PnP-RANSAC solver so far; GPDM, ICLM and PRM are still to come.
 */
export type { OpenCv } from './opencv.js';
export { loadOpenCv } from './opencv.js';
export type { PnpRansacConfig, PnpRansacResult } from './pnp-ransac.js';
export { DEFAULT_PNP_RANSAC_CONFIG, validatePnpRansacConfig, solvePnpRansac, solvePnpRansacSync } from './pnp-ransac.js';
