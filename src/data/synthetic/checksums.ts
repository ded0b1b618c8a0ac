/**
 * Checksums of a generated dataset: one sha256 per sequence over all of its files in a fixed
 * order (calib.txt, times.txt, poses/XX.txt, then per frame velodyne .bin, image_2 .png,
 * image_3 .png), each file's relative path hashed before its bytes. The expected values of the
 * shipped presets live in `datasets/checksums/<preset>.json`; `i2p generate --verify` compares.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { padId } from '../kitti/frame-files.js';
import type { SyntheticConfig } from './config.js';
import { frameFiles } from './generate.js';
import { datasetsDir } from './presets.js';

/** The checksum of one sequence. */
export interface SequenceChecksum {
  /** Sequence id, two digits. */ seq: string;
  /** Frames in the sequence. */ frames: number;
  /** Files hashed and their total size, bytes. */ files: number; bytes: number;
  /** sha256 (hex) over the files in order. */ sha256: string;
}

/** Checksums of a whole dataset, as stored in `datasets/checksums/<preset>.json`. */
export interface DatasetChecksums {
  /** Settings hash of the config that made the data ({@link settingsHash}). */ hash: string;
  sequences: SequenceChecksum[];
}

/** Files of a sequence in checksum order, relative to the root. */
export function sequenceFileList(seq: number, frames: number): string[] {
  const id = padId(seq, 2), rel = (p: string): string => p.split(path.sep).join('/');
  const out = [`sequences/${id}/calib.txt`, `sequences/${id}/times.txt`, `poses/${id}.txt`];
  for (let i = 0; i < frames; i++) {
    const f = frameFiles('', seq, i);
    out.push(rel(f.bin), rel(f.png2), rel(f.png3));
  }
  return out;
}

/**
 * Computes the per-sequence checksums of a generated dataset.
 * @param root - the dataset root (holds `sequences/` and `poses/`).
 * @param config - the config that made it (frame counts).
 * @param hash - its settings hash, recorded as is.
 * @throws InputError naming the first missing file.
 */
export function datasetChecksums(root: string, config: SyntheticConfig, hash: string): DatasetChecksums {
  const sequences = config.drives.frames.map((frames, seq) => {
    const h = createHash('sha256');
    let bytes = 0;
    const list = sequenceFileList(seq, frames);
    for (const rel of list) {
      const file = path.join(root, rel);
      if (!fs.existsSync(file)) throw new InputError(file, 'missing: the dataset is incomplete (run i2p generate again to finish it)');
      const buf = fs.readFileSync(file);
      h.update(rel); h.update(buf);
      bytes += buf.length;
    }
    return { seq: padId(seq, 2), frames, files: list.length, bytes, sha256: h.digest('hex') };
  });
  return { hash, sequences };
}

/** One line per sequence that differs between `actual` and `expected` (empty when they agree). */
export function compareChecksums(actual: DatasetChecksums, expected: DatasetChecksums): string[] {
  const out: string[] = [];
  if (actual.hash !== expected.hash) out.push(`settings hash ${actual.hash}, expected ${expected.hash} (other settings or generator version)`);
  const exp = new Map(expected.sequences.map((s) => [s.seq, s]));
  for (const s of actual.sequences) {
    const e = exp.get(s.seq);
    if (!e) out.push(`sequence ${s.seq}: not in the expected checksums`);
    else if (e.sha256 !== s.sha256) out.push(`sequence ${s.seq}: sha256 ${s.sha256.slice(0, 16)}..., expected ${e.sha256.slice(0, 16)}... (${s.bytes} vs ${e.bytes} bytes)`);
  }
  for (const e of expected.sequences) if (!actual.sequences.some((s) => s.seq === e.seq)) out.push(`sequence ${e.seq}: missing`);
  return out;
}

/** The file of a preset's expected checksums: `datasets/checksums/<preset>.json`. */
export function checksumsFile(preset: string): string {
  return path.join(datasetsDir(), 'checksums', `${preset}.json`);
}

/**
 * The expected checksums of a shipped preset, or undefined when none are recorded.
 * @throws InputError naming the file when it is not valid JSON.
 */
export function expectedChecksums(preset: string): DatasetChecksums | undefined {
  const file = checksumsFile(preset);
  if (!fs.existsSync(file)) return undefined;
  try { return JSON.parse(fs.readFileSync(file, 'utf8')) as DatasetChecksums; } catch (e) { throw new InputError(file, `not valid JSON: ${(e as Error).message}`); }
}
