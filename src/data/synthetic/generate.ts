/**
 * Writes a synthetic dataset in the KITTI odometry layout:
 * `<out>/sequences/XX/{calib.txt, times.txt, velodyne/NNNNNN.bin, image_2/NNNNNN.png, image_3/NNNNNN.png}`
 * and `<out>/poses/XX.txt`, plus `<out>/synthetic-manifest.json` (config and settings hash).
 * Frames are rendered by a worker_threads pool (`workers: 0` renders in this thread); a
 * frame whose three files exist is reused when the manifest's hash matches. Each file is
 * written under a temporary name and renamed, so an interrupted run leaves no half frame.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../core/errors.js';
import { mat4To3x4 } from '../../geometry/se3.js';
import { writePng } from '../formats/png.js';
import { writeOdometryCalib } from '../kitti/calib.js';
import { padId } from '../kitti/frame-files.js';
import { writePoses } from '../kitti/poses.js';
import { writeTimes } from '../kitti/times.js';
import { writeVelodyneBin } from '../kitti/velodyne.js';
import { settingsHash, type SyntheticConfig } from './config.js';
import { buildWorld, drivePoses, renderFrame, type SyntheticWorld } from './frame.js';

/** Options of {@link generateSynthetic}. */
export interface GenerateOptions {
  /** Worker threads; 0 renders in the calling thread. Default: 2. */
  workers?: number;
  /** Called after each frame with (frames done, frames in all). */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link generateSynthetic} did. */
export interface GenerateSummary {
  hash: string;
  /** Frames rendered now, and frames reused from an earlier run. */
  rendered: number; reused: number;
  seconds: number;
}

/** The name of the manifest file in the output root. */
export const MANIFEST_FILE = 'synthetic-manifest.json';

const seqDir = (out: string, seq: number): string => path.join(out, 'sequences', padId(seq, 2));

/** Paths of a frame's files. */
export function frameFiles(out: string, seq: number, frame: number): { bin: string; png2: string; png3: string } {
  const id = padId(frame, 6), d = seqDir(out, seq);
  return { bin: path.join(d, 'velodyne', `${id}.bin`), png2: path.join(d, 'image_2', `${id}.png`), png3: path.join(d, 'image_3', `${id}.png`) };
}

/** Renders one frame and writes its files (temp name, then rename). */
export function writeFrame(world: SyntheticWorld, out: string, seq: number, frame: number): void {
  const f = renderFrame(world, seq, frame), files = frameFiles(out, seq, frame);
  const tmp = (p: string): string => `${p}.tmp-${process.pid}`;
  writeVelodyneBin(tmp(files.bin), f.scan);
  writePng(tmp(files.png2), f.image2, f.width, f.height);
  writePng(tmp(files.png3), f.image3, f.width, f.height);
  for (const p of [files.bin, files.png2, files.png3]) fs.renameSync(tmp(p), p);
}

function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./render-worker${ext}`, import.meta.url);
}

/**
 * Generates (or completes) a dataset.
 * @param config - a validated config ({@link validateSyntheticConfig}).
 * @param out - output root (created).
 * @throws InputError naming the manifest when `out` holds a dataset made with other settings.
 */
export async function generateSynthetic(config: SyntheticConfig, out: string, options: GenerateOptions = {}): Promise<GenerateSummary> {
  const t0 = performance.now();
  const hash = settingsHash(config), manifest = path.join(out, MANIFEST_FILE);
  if (fs.existsSync(manifest)) {
    const old = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { hash?: string };
    if (old.hash !== hash) throw new InputError(manifest, `holds a dataset made with other settings (hash ${old.hash}, now ${hash}); use another --out folder or delete it`);
  }
  fs.mkdirSync(out, { recursive: true });
  const world = buildWorld(config);
  for (const plan of world.plans) {
    const d = seqDir(out, plan.seq);
    for (const sub of ['velodyne', 'image_2', 'image_3']) fs.mkdirSync(path.join(d, sub), { recursive: true });
    writeOdometryCalib(path.join(d, 'calib.txt'), world.calib);
    writeTimes(path.join(d, 'times.txt'), Array.from(plan.x, (_, i) => i / config.drives.frameRateHz));
    writePoses(path.join(out, 'poses', `${padId(plan.seq, 2)}.txt`), drivePoses(world, plan).map((T) => mat4To3x4(T)));
  }
  fs.writeFileSync(manifest, JSON.stringify({ generator: 'i2p-lab synthetic', hash, config, complete: false }, null, 2) + '\n');
  const todo: [number, number][] = [];
  let reused = 0;
  config.drives.frames.forEach((n, seq) => {
    for (let i = 0; i < n; i++) {
      const f = frameFiles(out, seq, i);
      if (fs.existsSync(f.bin) && fs.existsSync(f.png2) && fs.existsSync(f.png3)) reused++; else todo.push([seq, i]);
    }
  });
  const total = todo.length + reused;
  let done = reused;
  options.onProgress?.(done, total);
  const workers = Math.min(options.workers ?? 2, todo.length);
  if (workers <= 0) {
    for (const [seq, i] of todo) { writeFrame(world, out, seq, i); options.onProgress?.(++done, total); }
  } else {
    let next = 0;
    await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
      const url = workerUrl(); // under tsx (tests), the .ts worker registers tsx's loader first
      const w = url.pathname.endsWith('.ts')
        ? new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: { config, out } })
        : new Worker(url, { workerData: { config, out } });
      const feed = (): void => {
        if (next >= todo.length) { void w.terminate().then(() => resolve()); return; }
        w.postMessage(todo[next++]);
      };
      w.on('message', (m: { ok: boolean; error?: string }) => {
        if (!m.ok) { void w.terminate(); reject(new Error(`synthetic render worker: ${m.error}`)); return; }
        options.onProgress?.(++done, total);
        feed();
      });
      w.on('error', reject);
      w.once('online', feed);
    })));
  }
  fs.writeFileSync(manifest, JSON.stringify({ generator: 'i2p-lab synthetic', hash, config, complete: true }, null, 2) + '\n');
  return { hash, rendered: todo.length, reused, seconds: (performance.now() - t0) / 1000 };
}
