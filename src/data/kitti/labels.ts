/**
 * KITTI object labels (`label_2/NNNNNN.txt`): one object per line, 15 fields (16 with a
 * detection score): type, truncated, occluded, alpha, bbox (4), dimensions h w l (3),
 * location x y z (3), rotation_y [, score].
 *
 * Frames: `location` is the bottom centre of the 3D box in rectified camera 0 coordinates
 * (x right, y down, z forward), metres; `rotationY` is the yaw about camera y, radians in
 * [-pi, pi]; `bbox` is in pixels of image_2. `DontCare` regions carry -1 / -10 / -1000
 * placeholders, kept as read.
 */
import { InputError } from '../../core/errors.js';
import { readTextChecked } from '../formats/file-io.js';
import { parseNumbers, splitLines } from './text-numbers.js';

/** One labelled object of the KITTI object benchmark. */
export interface KittiLabel {
  /** Class: Car, Van, Truck, Pedestrian, Person_sitting, Cyclist, Tram, Misc or DontCare. */
  type: string;
  /** Fraction of the object leaving the image, in [0, 1] (-1 for DontCare). */
  truncated: number;
  /** 0 fully visible, 1 partly occluded, 2 largely occluded, 3 unknown (-1 for DontCare). */
  occluded: number;
  /** Observation angle in radians, [-pi, pi]. */
  alpha: number;
  /** 2D box in image_2 pixels: [left, top, right, bottom]. */
  bbox: [number, number, number, number];
  /** 3D box size in metres: [height, width, length]. */
  dimensions: [number, number, number];
  /** Bottom centre of the 3D box, rectified camera 0 frame, metres: [x, y, z]. */
  location: [number, number, number];
  /** Yaw about the camera y axis, radians, [-pi, pi]. */
  rotationY: number;
  /** Detection confidence (results files only; absent in ground truth). */
  score?: number;
}

/**
 * Parses the text of a label_2 file.
 * @param text - one object per line; an empty file means no objects.
 * @param file - the file name, for errors.
 * @returns the objects in file order.
 * @throws InputError naming `file`, the line and the field count (expected 15 or 16) or the bad token.
 */
export function parseLabels(text: string, file: string): KittiLabel[] {
  return splitLines(text).map(({ lineNo, tokens }) => {
    if (tokens.length !== 15 && tokens.length !== 16) {
      throw new InputError(file, `line ${lineNo}: expected 15 fields (type and 14 numbers) or 16 (with score), got ${tokens.length}`);
    }
    const v = parseNumbers(tokens.slice(1), tokens.length - 1, file, `line ${lineNo} (${tokens[0]})`);
    const label: KittiLabel = {
      type: tokens[0],
      truncated: v[0],
      occluded: v[1],
      alpha: v[2],
      bbox: [v[3], v[4], v[5], v[6]],
      dimensions: [v[7], v[8], v[9]],
      location: [v[10], v[11], v[12]],
      rotationY: v[13],
    };
    if (v.length === 15) label.score = v[14];
    return label;
  });
}

/**
 * Reads a KITTI object label file.
 * @param file - path of `label_2/NNNNNN.txt`.
 * @returns the labelled objects in file order.
 * @throws InputError naming `file` when it is absent or malformed.
 */
export function readLabels(file: string): KittiLabel[] {
  return parseLabels(readTextChecked(file, 'a KITTI label_2 file'), file);
}
