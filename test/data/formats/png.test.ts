import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { decodePng, encodePng, readPng, writePng } from '../../../src/data/formats/png.js';
import { InputError } from '../../../src/core/errors.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const tmp = tempDir();
const ODO = sharedData('kitti-odometry-sample');

/** A W x H RGB test pattern: r = column, g = row, b = column + row. */
function pattern(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) rgb.set([u, v * 2, u + v], (v * width + u) * 3);
  }
  return rgb;
}

/** A minimal PNG made chunk by chunk (for colour types pngjs cannot write, e.g. palette). */
function rawPng(width: number, height: number, colorType: number, rows: number[][], plte?: number[]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, colorType, 0, 0, 0], 8);
  const raw = Buffer.from(rows.flatMap((r) => [0, ...r])); // filter byte 0 per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    ...(plte ? [chunk('PLTE', Buffer.from(plte))] : []), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('encodePng -> decodePng and writePng -> readPng round trips', () => {
  const rgb = pattern(7, 5);
  assert.deepEqual(decodePng(encodePng(rgb, 7, 5)), { data: rgb, width: 7, height: 5 });
  const file = path.join(tmp, 'img', 'a.png');
  writePng(file, rgb, 7, 5);
  const img = readPng(file);
  assert.equal(img.width, 7);
  assert.equal(img.height, 5);
  assert.deepEqual(img.data, rgb);
  assert.throws(() => encodePng(rgb, 7, 4), /rgb has 105 values, expected 7x4x3 = 84/);
});

test('gray and palette PNGs expand to RGB; alpha is dropped', () => {
  const gray = decodePng(rawPng(2, 1, 0, [[10, 200]]), 'gray.png');
  assert.deepEqual(Array.from(gray.data), [10, 10, 10, 200, 200, 200]);
  const pal = decodePng(rawPng(2, 1, 3, [[1, 0]], [255, 0, 0, 0, 0, 255]), 'pal.png');
  assert.deepEqual(Array.from(pal.data), [0, 0, 255, 255, 0, 0]);
  const rgba = new PNG({ width: 1, height: 1 });
  rgba.data = Buffer.from([9, 8, 7, 3]);
  assert.deepEqual(Array.from(decodePng(PNG.sync.write(rgba)).data), [9, 8, 7]);
});

test('non-PNG, corrupt and missing files are named in the error', () => {
  const text = path.join(tmp, 'not.png');
  fs.writeFileSync(text, 'hello, not a png');
  assert.throws(() => readPng(text), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.where, text);
    assert.match(e.message, /not a PNG file: first bytes are \[68 65 6c 6c 6f 2c 20 6e\], expected the PNG signature/);
    return true;
  });
  const cut = path.join(tmp, 'cut.png');
  const good = encodePng(pattern(16, 16), 16, 16);
  fs.writeFileSync(cut, good.subarray(0, 40));
  assert.throws(() => readPng(cut), /cut.png: corrupt PNG \(40 bytes\)/);
  assert.throws(() => readPng(path.join(tmp, 'none.png')), /none.png: file not found \(expected a PNG image\)/);
});

test('real image_3 frames decode to 1241x376 RGB', { skip: skipUnless(ODO, 'kitti-odometry-sample') }, () => {
  const dir = path.join(ODO!, 'sequences', '00', 'image_3');
  for (let i = 0; i <= 10; i += 5) {
    const img = readPng(path.join(dir, `${String(i).padStart(6, '0')}.png`));
    assert.equal(img.width, 1241);
    assert.equal(img.height, 376);
    assert.equal(img.data.length, 1241 * 376 * 3);
    let sum = 0;
    for (let k = 0; k < img.data.length; k += 97) sum += img.data[k];
    const mean = sum / Math.ceil(img.data.length / 97);
    assert.ok(mean > 20 && mean < 235, `frame ${i}: mean intensity ${mean}`);
  }
});
