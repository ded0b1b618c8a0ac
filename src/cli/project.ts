/** `i2p project`: the camera image with the projected scan drawn on it, coloured by depth. */
import { projectPoints } from '../geometry/projection.js';
import { writePng } from '../data/formats/png.js';
import { colormap, drawPoints } from '../viz/colormap.js';
import { intOption, loadKittiFrame, positiveOption } from './kitti-frame.js';

/** Raw options as commander gives them. */
export interface ProjectCliOptions {
  root: string; seq: string; frame: string; camera: string; out: string; maxDepth: string; radius: string;
}

/** Runs the command; returns the number of points drawn and the total (for tests). */
export function runProject(o: ProjectCliOptions): { drawn: number; total: number } {
  const frame = intOption('frame', o.frame, 0)!;
  const camera = intOption('camera', o.camera, 2, 3) as 2 | 3;
  const maxDepthM = positiveOption('max-depth', o.maxDepth)!;
  const radiusPx = Number(o.radius);
  const f = loadKittiFrame(o.root, o.seq, frame, camera, true);
  const img = f.image!;
  const p = projectPoints(f.points, 4, f.camFromLidar, f.camera);
  // far points first, so that near ones are drawn on top
  const idx: number[] = [];
  for (let i = 0; i < p.z.length; i++) if (p.inImage[i]) idx.push(i);
  idx.sort((a, b) => p.z[b] - p.z[a]);
  const u = new Float32Array(idx.length), v = new Float32Array(idx.length), rgb = new Uint8Array(idx.length * 3);
  idx.forEach((i, k) => {
    u[k] = p.u[i]; v[k] = p.v[i];
    rgb.set(colormap('turbo', Math.min(p.z[i] / maxDepthM, 1)), k * 3);
  });
  const canvas = Uint8Array.from(img.data);
  drawPoints(canvas, img.width, img.height, u, v, rgb, radiusPx);
  writePng(o.out, canvas, img.width, img.height);
  const total = f.points.length / 4;
  console.log(JSON.stringify({ out: o.out, pointsInImage: idx.length, pointsTotal: total, shareInImage: +(idx.length / total).toFixed(4) }));
  return { drawn: idx.length, total };
}
