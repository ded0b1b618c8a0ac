/**
 * Geometry: SE(3) and SO(3) in typed arrays (with tfjs versions where training needs
 * gradients), the pinhole camera, projection, FoV depth images, depth completion,
 * frustum masks and point-cloud housekeeping. No learned weights.
 *
 * Conventions (all files): transforms `bFromA` map A-frame points into B, 4x4 row-major
 * Float64Array, composed right to left; LiDAR x forward, y left, z up; camera x right,
 * y down, z forward; pixel (u, v) = (column, row) with pixel centres at integer
 * coordinates; metres, radians; point clouds flat Float32Array with a stride.
 * Hand-curated: only what other folders and notebooks use.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
export type { Mat3, Mat4, Vec3 } from './matrix.js';
export { identity3, matmul3, transpose3, det3, invert3, mulMat3Vec3, maxAbsDiff, assertMatrix } from './matrix.js';
export type { Quaternion } from './quaternion.js';
export { quaternionFromRotation, rotationFromQuaternion, quaternionMultiply } from './quaternion.js';
export {
  skew, rotationFromAxisAngle, axisAngleFromRotation, rotationAboutAxis, rotationAngle, geodesicAngle,
  rotationError, orthonormalityError, isRotation,
} from './so3.js';
export type { YawPitchRoll } from './euler.js';
export { rotationFromEulerXYZ, eulerXYZFromMatrix, rotationFromEulerZYX, eulerZYXFromMatrix } from './euler.js';
export { rotation6dToMatrix, matrixToRotation6d } from './rotation-6d.js';
export { rotation6dToMatrixTf, matrixToRotation6dTf, ROTATION_6D_EPS } from './rotation-6d-tf.js';
export {
  identity4, fromRt, toRt, mat4From3x4, mat4To3x4, compose, invert, transformPoints,
  transformPointsKeepChannels, transformPoint,
} from './se3.js';
export { transformPointsTf, fromRtTf, invertTf } from './se3-tf.js';
export type { SymmetricEigen } from './symmetric-eigen.js';
export { symmetricEigen } from './symmetric-eigen.js';
export type { KabschOptions, KabschResult } from './kabsch.js';
export { kabsch } from './kabsch.js';
export type { PinholeCamera, ProjectionParts } from './camera.js';
export {
  makeCamera, cameraMatrix, cameraFromMatrix, decomposeProjection, cameraFromProjection, scaleCamera,
  resizeCamera, cropCamera,
} from './camera.js';
export type { Projection } from './projection.js';
export { projectPoints, unproject, depthImageToPoints } from './projection.js';
export type { ProjectTfOptions, ProjectTfResult } from './projection-tf.js';
export { projectPointsTf } from './projection-tf.js';
export type { DepthValueMode, CropWindow, FovDepthImageOptions, DepthImage } from './depth-image.js';
export { fovDepthImage, targetCamera, normalizeDepth, rotateRangeImage, MODALINK_FOV_OPTIONS } from './depth-image.js';
export type { KernelShape, KernelSpec } from './image-filters.js';
export { dilate, dilateAt, erode, close, medianFilter, weightedBlur } from './image-filters.js';
export type { DepthCompletionConfig, DepthCompletionConfigInput, DepthBlur } from './depth-completion-config.js';
export { DEFAULT_DEPTH_COMPLETION_CONFIG, validateDepthCompletionConfig } from './depth-completion-config.js';
export type { DepthCompletionStep, CompleteDepthOptions, DepthCompletionResult } from './depth-completion.js';
export { completeDepth } from './depth-completion.js';
export { frustumMask, frustumIndices } from './frustum.js';
export type { FiniteReport } from './point-cloud.js';
export {
  finiteCheck, assertFinitePoints, voxelDownsample, subsampleIndices, gatherPoints, randomSubsample,
} from './point-cloud.js';
