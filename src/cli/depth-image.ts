/** `i2p depth-image`: the FoV transformation of one KITTI odometry frame, written as .npy (and PNG). */
import { InputError } from '../core/errors.js';
import { fovDepthImage, type DepthValueMode } from '../geometry/depth-image.js';
import { completeDepth } from '../geometry/depth-completion.js';
import { writeNpy } from '../data/formats/npy.js';
import { writePng } from '../data/formats/png.js';
import { depthToRgb } from '../viz/colormap.js';
import { intOption, loadKittiFrame, positiveOption } from './kitti-frame.js';

/** Raw options as commander gives them. */
export interface DepthImageCliOptions {
  root: string; seq: string; frame: string; camera: string; out: string;
  png?: string; width?: string; height?: string; cropTop?: string; maxRange?: string; mode: string; complete?: boolean;
}

/** Runs the command; returns what it wrote (for tests). */
export function runDepthImage(o: DepthImageCliOptions): { width: number; height: number; filledPixels: number } {
  const frame = intOption('frame', o.frame, 0)!;
  const camera = intOption('camera', o.camera, 2, 3) as 2 | 3;
  if (o.mode !== 'depth' && o.mode !== 'range') throw new InputError('--mode', `expected 'depth' or 'range', got '${o.mode}'`);
  const width = intOption('width', o.width, 1);
  const height = intOption('height', o.height, 1);
  if ((width === undefined) !== (height === undefined)) throw new InputError('--width/--height', 'give both or neither');
  const maxRangeM = positiveOption('max-range', o.maxRange);
  const cropTop = intOption('crop-top', o.cropTop, 0);

  const f = loadKittiFrame(o.root, o.seq, frame, camera, false);
  if (!f.image) console.error(`i2p depth-image: no image at ${f.imageFile}; using KITTI's 1241 x 376 image size`);
  const img = fovDepthImage(f.points, 4, f.camFromLidar, f.camera, {
    mode: o.mode as DepthValueMode,
    maxRangeM,
    crop: cropTop ? { top: cropTop } : undefined,
    resize: width !== undefined && height !== undefined ? { width, height } : undefined,
  });
  let depth = img.depth;
  if (o.complete) {
    // completion inverts depths as maxDepthM - d, so maxDepthM must exceed every depth in the image
    let deepest = 0;
    for (let i = 0; i < depth.length; i++) if (depth[i] > deepest) deepest = depth[i];
    depth = completeDepth(depth, img.width, img.height, { maxDepthM: Math.max(100, Math.ceil(deepest) + 1) }).depth;
  }
  writeNpy(o.out, depth, [img.height, img.width]);
  if (o.png) writePng(o.png, depthToRgb(depth, img.width, img.height, { maxM: maxRangeM ?? 80 }), img.width, img.height);
  let filled = 0;
  for (let i = 0; i < depth.length; i++) if (depth[i] > 0) filled++;
  console.log(JSON.stringify({ out: o.out, png: o.png, shape: [img.height, img.width], mode: o.mode, filledPixels: filled, completed: !!o.complete }));
  return { width: img.width, height: img.height, filledPixels: filled };
}
