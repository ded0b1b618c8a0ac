/** Test helper: what both shipped-model tests share (the models folder, the committed check file, the card's sha256). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File } from '../../src/train/export-model.js';

/** `<repo>/models/<name>`. */
export function shippedModelDir(name: string): string {
  return path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'), 'models', name);
}

/** Rows of a committed `check-tiny.csv` (numbers only), keyed by its header. */
export function readCheckCsv<T>(file: string): T[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n'), keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], Number(v)])) as T);
}

/** Asserts that the model folder exists and that its MODEL.md lists the sha256 of its weights. */
export function assertModelCard(dir: string): void {
  assert.ok(fs.existsSync(path.join(dir, 'checkpoint.json')), `${dir}: the shipped model is missing`);
  const card = fs.readFileSync(path.join(dir, 'MODEL.md'), 'utf8');
  assert.ok(card.includes(sha256File(path.join(dir, 'weights.safetensors'))), `${dir}: MODEL.md lists the sha256 of weights.safetensors`);
}
