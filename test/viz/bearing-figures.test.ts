import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { headingScoresFigure, polarImageFigure } from '../../src/viz/bearing-figures.js';

describe('bearing figures', () => {
  it('polarImageFigure puts cell (range r, bearing b) of the chosen channel at z[r][b], bearings at bin centres in degrees', () => {
    const R = 2, B = 4, C = 3, polar = Float32Array.from({ length: R * B * C }, (_, i) => i);
    const f = polarImageFigure(polar, R, B, C, 1, [1, 2, 4]);
    const t = f.data[0] as { z: number[][]; x: number[]; y: string[] };
    assert.deepEqual(t.z, [[1, 4, 7, 10], [13, 16, 19, 22]]); // (r * B + b) * C + 1
    assert.deepEqual(t.x, [45, 135, 225, 315]);
    assert.deepEqual(t.y, ['1.0-2.0', '2.0-4.0']);
    assert.throws(() => polarImageFigure(polar, R, B, C, 3, [1, 2, 4]), /channel/);
    assert.throws(() => polarImageFigure(polar.subarray(1), R, B, C, 0, [1, 2, 4]), /expected 2 x 4 x 3/);
  });

  it('headingScoresFigure marks the true and chosen headings in degrees in [0, 360)', () => {
    const f = headingScoresFigure([0, 1, 3, 2], -Math.PI / 2, Math.PI, { control: { name: 'control', scores: [1, 1, 1, 1] } });
    const byName = new Map(f.data.map((t) => [(t as { name: string }).name, t as { x: number[]; y: number[] }]));
    assert.deepEqual(byName.get('scores')!.x, [0, 90, 180, 270]);
    assert.deepEqual(byName.get('true heading')!.x, [270, 270]);
    assert.deepEqual(byName.get('chosen heading')!.x, [180, 180]);
    assert.deepEqual(byName.get('true heading')!.y, [0, 3]);
    assert.throws(() => headingScoresFigure([0, 1], 0, 0, { control: { name: 'c', scores: [1] } }), /control has 1 scores/);
  });
});
