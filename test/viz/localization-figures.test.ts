import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { localizationTopViewFigure, localizedShareFigure, localizationCalibrationFigure } from '../../src/viz/localization-figures.js';
import { fromRt } from '../../src/geometry/se3.js';
import { rotationAboutAxis } from '../../src/geometry/so3.js';

describe('localization figures', () => {
  it('top view: the map, the candidates (chosen ringed), each camera as a 4 m arrow along its forward axis', () => {
    const turned = fromRt(rotationAboutAxis('y', Math.PI / 2), [10, 0, 20]); // forward (0, 0, 1) -> (1, 0, 0)
    const f = localizationTopViewFigure([0, 0, 1, 1, 2, 2], [{ name: 'truth', worldFromCam: turned, color: '#0f0' }],
      [{ x: 1, z: 1, rank: 1, chosen: false }, { x: 2, z: 2, rank: 2, chosen: true }]);
    assert.deepEqual(f.data[0].x, [0, 1, 2]);
    assert.deepEqual((f.data[1].marker as { size: number[] }).size, [9, 14]);
    const arrow = f.data[2];
    assert.ok(Math.abs((arrow.x as number[])[1] - 14) < 1e-9 && Math.abs((arrow.y as number[])[1] - 20) < 1e-9);
    assert.throws(() => localizationTopViewFigure([0, 0, 1], [], []), /pairs/);
  });
  it('localized share: the percentage of queries under each distance with the rotation limit', () => {
    const f = localizedShareFigure([{ name: 'm', distancesM: [0.5, 1.5, 3, 0.2], anglesDeg: [1, 1, 1, 9] }], 5, 10);
    const x = f.data[0].x as number[], y = f.data[0].y as number[];
    assert.equal(y[x.indexOf(1)], 25); // 0.5 m at 1 deg; 0.2 m fails on 9 deg
    assert.equal(y[x.indexOf(2)], 50);
    assert.equal(y[100], 75);
  });
  it('calibration: one line per method with error bars, sorted by magnitude', () => {
    const f = localizationCalibrationFigure([{ name: 'chain', points: [{ magnitude: 5, meanPct: 60, stdPct: 2 }, { magnitude: 0, meanPct: 68, stdPct: 0 }] }], 'cm');
    assert.deepEqual(f.data[0].x, [0, 5]);
    assert.deepEqual((f.data[0].error_y as { array: number[] }).array, [0, 2]);
  });
});
