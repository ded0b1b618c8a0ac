/**
 * KITTI readers (and writers for synthetic data in the same layout): velodyne scans,
 * calibration, poses, timestamps, camera images, object labels, and the odometry and
 * object datasets on disk.
 */
export { readVelodyneBin, writeVelodyneBin, parseVelodyne, VELODYNE_BYTES_PER_POINT } from './velodyne.js';
export type { VelodyneScan, ReadVelodyneOptions } from './velodyne.js';
export {
  readOdometryCalib, parseOdometryCalib, writeOdometryCalib, readObjectCalib, parseObjectCalib,
  mat4FromKitti12, mat4FromR0,
} from './calib.js';
export type { OdometryCalib, ObjectCalib } from './calib.js';
export { readPoses, parsePoses, writePoses } from './poses.js';
export { readTimes, parseTimes, writeTimes } from './times.js';
export { readCameraImage, expectImageSize } from './images.js';
export type { ImageSize } from './images.js';
export { readLabels, parseLabels } from './labels.js';
export type { KittiLabel } from './labels.js';
export { padId, listFrameIds, formatIdRanges, FRAME_ID_DIGITS } from './frame-files.js';
export { KittiOdometry } from './odometry.js';
export { KittiSequence } from './odometry-sequence.js';
export type { OdometryFrameKind, KittiColorCamera } from './odometry-sequence.js';
export { KittiObject } from './object.js';
export type { KittiObjectSplit } from './object.js';
