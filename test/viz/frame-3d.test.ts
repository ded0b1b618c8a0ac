import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AXIS_COLORS, frame3d, rigidParts } from '../../src/viz/frame-3d.js';

const I = Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
// worldFromCam of a KITTI-like rig: x_cam = -y_world, y_cam = -z_world, z_cam = x_world, origin (0.27, 0, 1.65)
// columns of R = camera axes in world coordinates: x_cam -> (0,-1,0), y_cam -> (0,0,-1), z_cam -> (1,0,0)
const worldFromCam = Float64Array.of(0, 0, 1, 0.27, -1, 0, 0, 0, 0, -1, 0, 1.65, 0, 0, 0, 1);

const ends = (tr: Record<string, unknown>) => [(tr.x as number[])[1], (tr.y as number[])[1], (tr.z as number[])[1]];
const starts = (tr: Record<string, unknown>) => [(tr.x as number[])[0], (tr.y as number[])[0], (tr.z as number[])[0]];

test('identity frame: unit lines along x, y, z in red, green, blue, plus a label', () => {
  const tr = frame3d(I, 'world');
  assert.equal(tr.length, 4);
  assert.deepEqual(tr.slice(0, 3).map(ends), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.deepEqual(tr.slice(0, 3).map(starts), [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(tr.slice(0, 3).map((t) => (t.line as { color: string }).color), [AXIS_COLORS.x, AXIS_COLORS.y, AXIS_COLORS.z]);
  assert.deepEqual(tr.map((t) => t.type), ['scatter3d', 'scatter3d', 'scatter3d', 'scatter3d']);
  assert.deepEqual(tr[3].text, ['world']);
});

test('the axes are the rotation columns, from the translation, scaled by lengthM', () => {
  const tr = frame3d(worldFromCam, 'camera', { lengthM: 0.5, showLabel: false });
  assert.equal(tr.length, 3);
  for (const t of tr) assert.deepEqual(starts(t), [0.27, 0, 1.65]);
  assert.deepEqual(ends(tr[0]), [0.27 + 0.5 * 0, 0 + 0.5 * -1, 1.65 + 0.5 * 0]);   // x_cam: right = -y_world
  assert.deepEqual(ends(tr[1]), [0.27 + 0.5 * 0, 0 + 0.5 * 0, 1.65 + 0.5 * -1]);   // y_cam: down = -z_world
  assert.deepEqual(ends(tr[2]), [0.27 + 0.5 * 1, 0 + 0.5 * 0, 1.65 + 0.5 * 0]);    // z_cam: forward = x_world
});

test('legend entries only when asked, grouped by frame', () => {
  assert.ok(frame3d(I, 'a').every((t) => t.showlegend === false));
  const tr = frame3d(I, 'a', { showLegend: true });
  assert.deepEqual(tr.map((t) => t.showlegend), [true, false, false, false]);
  assert.ok(tr.every((t) => t.legendgroup === 'a'));
});

test('bad transforms are rejected with the field named', () => {
  assert.throws(() => frame3d(new Float64Array(12), 'cam'), /frame3d\(cam\): worldFromFrame: expected a 4x4 row-major matrix \(16 numbers\), got 12/);
  const scaled = Float64Array.from(I); scaled[0] = 2;
  assert.throws(() => frame3d(scaled, 'cam'), /rotation is not orthonormal/);
  const bottom = Float64Array.from(I); bottom[12] = 1;
  assert.throws(() => frame3d(bottom, 'cam'), /bottom row must be \[0, 0, 0, 1\]/);
  const nan = Float64Array.from(I); nan[7] = NaN;
  assert.throws(() => frame3d(nan, 'cam'), /element 7 \(row 1, col 3\) is NaN/);
  assert.throws(() => frame3d(I, 'cam', { lengthM: 0 }), /lengthM must be > 0, got 0/);
  assert.deepEqual(rigidParts(worldFromCam).t, [0.27, 0, 1.65]);
});
