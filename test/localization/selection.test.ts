import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateLocalizationConfig, DEFAULT_LOCALIZATION_CONFIG } from '../../src/localization/config.js';
import { selectCandidates, selectionPose, selectionReason, worldPoseDifference, type Candidate } from '../../src/localization/localize.js';
import { summarizeLocalization, timingRows, type QueryOutcome } from '../../src/localization/evaluate.js';
import { fromRt } from '../../src/geometry/se3.js';
import { rotationAboutAxis } from '../../src/geometry/so3.js';
import { ConfigError } from '../../src/core/errors.js';

/** A pose turned by `yawDeg` about y, at (x, 0, z). */
const pose = (x: number, z: number, yawDeg = 0): Float64Array => Float64Array.from(fromRt(rotationAboutAxis('y', (yawDeg * Math.PI) / 180), [x, 0, z]));

const candidate = (rank: number, x: number, z: number, yawDeg: number, headingProbability: number): Candidate => ({
  mapIndex: rank - 1, frame: 10 * rank, rank, descriptorDistanceSq: rank / 10, camFromScan: pose(0, 0), worldFromCam: pose(x, z, yawDeg),
  headingProbability, matchScore: 10 - Math.abs(rank - 3), inViewProbability: null, alongM: 0, agreement: 0, // match: best at rank 3
});

describe('localization config', () => {
  it('has documented defaults and names a bad field', () => {
    assert.equal(validateLocalizationConfig().topK, DEFAULT_LOCALIZATION_CONFIG.topK);
    assert.throws(() => validateLocalizationConfig({ topK: 0 }), (e: unknown) => e instanceof ConfigError && /localization\.topK/.test(e.message));
    assert.throws(() => validateLocalizationConfig({ selection: 'best' as 'heading' }), /localization\.selection/);
    assert.throws(() => validateLocalizationConfig({ registration: 'icp' as 'full' }), /localization\.registration/);
    assert.throws(() => validateLocalizationConfig({ nearby: 3 } as object), /nearby/);
  });
});

describe('worldPoseDifference', () => {
  it('is the distance between the translations and the angle between the rotations (hand arithmetic)', () => {
    const d = worldPoseDifference(pose(1, 2, 10), pose(4, 6, -20));
    assert.ok(Math.abs(d.distanceM - 5) < 1e-12); // 3-4-5
    assert.ok(Math.abs(d.angleDeg - 30) < 1e-9);
  });
});

describe('selectCandidates', () => {
  // three candidates near (0, 0) with the same heading, one far away with a confident heading
  const cands = (): Candidate[] => [candidate(1, 30, 0, 0, 0.4), candidate(2, 0.5, 0, 1, 0.3), candidate(3, 0, 0.8, 0, 0.35), candidate(4, 1.0, 1.0, 2, 0.9)];
  it('counts agreeing candidates and picks per method', () => {
    const c = cands();
    const picks = selectCandidates(c, { agreeM: 2, agreeDeg: 5 });
    // |(0.5,0)-(0,0.8)| = 0.94, |(0.5,0)-(1,1)| = 1.12, |(0,0.8)-(1,1)| = 1.02: those three agree pairwise; (30, 0) with none
    assert.deepEqual(c.map((x) => x.agreement), [0, 2, 2, 2]);
    assert.equal(picks.retrieval, 0);
    assert.equal(picks.heading, 3);
    assert.equal(picks.match, 2);
    assert.equal(picks.agreement, 1); // a tie of three goes to the better rank
    assert.match(selectionReason('agreement', c[1]), /2 other candidates/);
    assert.equal(picks.consensus, picks.agreement);
  });
  it('consensus: the mean position of the agreeing group, the pick\'s rotation (hand arithmetic)', () => {
    const c = cands();
    const picks = selectCandidates(c, { agreeM: 2, agreeDeg: 5 });
    const T = selectionPose('consensus', c, picks, { agreeM: 2, agreeDeg: 5 });
    // the group of candidate 2: itself (0.5, 0), (0, 0.8), (1, 1) -> (0.5, 0.6)
    assert.ok(Math.abs(T[3] - 0.5) < 1e-12 && Math.abs(T[11] - 0.6) < 1e-12 && T[7] === 0);
    for (const k of [0, 1, 2, 4, 5, 6, 8, 9, 10]) assert.equal(T[k], c[1].worldFromCam[k]);
    assert.equal(selectionPose('heading', c, picks, { agreeM: 2, agreeDeg: 5 }), c[3].worldFromCam);
  });
  it('a rotation beyond agreeDeg breaks the agreement', () => {
    const c = cands();
    c[2].worldFromCam = pose(0, 0.8, 8); // 8 deg from candidate 2 (1 deg) = 7 > 5; from candidate 4 (2 deg) = 6 > 5
    selectCandidates(c, { agreeM: 2, agreeDeg: 5 });
    assert.deepEqual(c.map((x) => x.agreement), [0, 1, 0, 1]);
  });
  it('refuses an empty list', () => assert.throws(() => selectCandidates([], { agreeM: 2, agreeDeg: 5 }), /at least one/));
});

describe('summarizeLocalization', () => {
  const outcome = (nearestM: number, chainM: number, chainDeg: number): QueryOutcome => {
    const e = { distanceM: chainM, angleDeg: chainDeg };
    return {
      queryId: 'q', trueX: 0, trueZ: 0, nearestIndex: 0, nearestM, trueWorldFromCam: pose(0, 0), oracleWorldFromCam: pose(0, 0),
      errors: { 'chain-heading': e, 'chain-match': e, 'chain-retrieval': e, 'chain-agreement': e, 'chain-consensus': e, retrieval: e, oracle: { distanceM: 0.5, angleDeg: 1 }, 'nearest-scan': e },
      result: { queryId: 'q', candidates: [], picks: { retrieval: 0, heading: 0, match: 0, agreement: 0, consensus: 0 }, selection: 'heading', chosen: 0, reason: '', worldFromCam: pose(0, 0),
        seconds: { image: 0.01, descriptor: 0.02, search: 0.001, registration: 0.1, selection: 0 } },
    };
  };
  it('counts only queries within coverageM, at both success levels, with medians', () => {
    const c = validateLocalizationConfig();
    const rows = summarizeLocalization([outcome(1, 1.5, 4), outcome(1, 3, 1), outcome(1, 1, 7), outcome(1, 0.5, 0.5), outcome(20, 0, 0)], c);
    const chain = rows[0];
    assert.match(chain.method, /top-1 \(the configured chain\)/);
    assert.equal(chain.queries, 4);
    assert.equal(chain['within 2 m / 5 deg %'], 50); // (1.5, 4) and (0.5, 0.5)
    assert.equal(chain['within 5 m / 10 deg %'], 100);
    assert.equal(chain['median m'], 1.25); // 0.5 1 1.5 3
    assert.equal(chain['median deg'], 2.5); // 0.5 1 4 7
    assert.equal(rows.find((r) => /oracle/.test(r.method))?.['within 2 m / 5 deg %'], 100);
  });
  it('times every stage and adds the total', () => {
    const t = timingRows([outcome(1, 1, 1), outcome(1, 1, 1)]);
    assert.deepEqual(t.map((r) => r.stage), ['image', 'descriptor', 'search', 'registration', 'selection', 'total']);
    assert.ok(Math.abs(t[5]['ms per query'] - 131) < 1e-9);
  });
});
