import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as geometry from '../../src/geometry/index.js';

describe('src/geometry/index.ts', () => {
  it('exports the public API', () => {
    const names = [
      'compose', 'invert', 'transformPoints', 'transformPointsKeepChannels', 'fromRt', 'toRt', 'mat4From3x4',
      'rotationFromAxisAngle', 'axisAngleFromRotation', 'quaternionFromRotation', 'rotationFromQuaternion',
      'eulerXYZFromMatrix', 'eulerZYXFromMatrix', 'geodesicAngle', 'rotation6dToMatrix', 'rotation6dToMatrixTf',
      'transformPointsTf', 'kabsch', 'decomposeProjection', 'scaleCamera', 'cropCamera', 'resizeCamera',
      'projectPoints', 'unproject', 'projectPointsTf', 'fovDepthImage', 'completeDepth',
      'validateDepthCompletionConfig', 'frustumMask', 'voxelDownsample', 'randomSubsample', 'finiteCheck',
    ];
    for (const n of names) assert.equal(typeof (geometry as Record<string, unknown>)[n], 'function', n);
    assert.equal(geometry.MODALINK_FOV_OPTIONS.resize?.width, 800);
    assert.equal(geometry.DEFAULT_DEPTH_COMPLETION_CONFIG.maxDepthM, 100);
  });
});
