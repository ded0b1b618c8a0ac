/**
 * Implicit-correspondence registration (issue 5): the image (ResNet-FPN) and point
 * (PointNet++-style) encoders and the explicit-matching baseline's PnP-RANSAC solver so far;
 * GPDM, ICLM and PRM, the losses and training are still to come.
 */
export type { ImageEncoderConfig, ImageEncoder, ImageEncoderOutput } from './image-encoder.js';
export { DEFAULT_IMAGE_ENCODER_CONFIG, IMAGE_ENCODER_PRESETS, validateImageEncoderConfig, createImageEncoder } from './image-encoder.js';
export type { PointEncoderConfig, PointEncoder, PointEncoderOutput, PointLevel } from './point-encoder.js';
export { DEFAULT_POINT_ENCODER_CONFIG, POINT_ENCODER_PRESETS, validatePointEncoderConfig, createPointEncoder } from './point-encoder.js';
export type { OpenCv } from './opencv.js';
export { loadOpenCv } from './opencv.js';
export type { PnpRansacConfig, PnpRansacResult } from './pnp-ransac.js';
export { DEFAULT_PNP_RANSAC_CONFIG, validatePnpRansacConfig, solvePnpRansac, solvePnpRansacSync } from './pnp-ransac.js';
