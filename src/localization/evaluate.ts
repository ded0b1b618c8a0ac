/**
 * Global localization measured on a query drive against a map drive (issue 13): the chain with
 * every selection method, and on the same queries two baselines, retrieval alone (the
 * retrieved scan's camera pose) and registration against the true nearest scan (an oracle
 * retrieval: the chain's upper bound), plus the nearest scan's own pose (what any method that
 * only picks a scan can reach). Errors in the world frame: the distance between the camera
 * centres (metres) and the rotation angle between the orientations (geodesic, degrees).
 * Writes `localization.md` / `.csv` (summary), `queries.csv` (per query, with its failure cause),
 * `candidates.csv` (per query and candidate), `causes.md` / `.csv` (queries per failure cause),
 * `timing.md` / `.csv` (milliseconds per stage), `poses-estimated.txt` and
 * `poses-true.txt` (KITTI pose lines, worldFromCam of camera 2, one query a line).
 * @see notebooks/06-global-localization.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { InputError } from '../core/errors.js';
import { writeTableFiles } from '../data/formats/table-files.js';
import { writeIfChanged } from '../data/formats/file-io.js';
import { tableToCsv } from '../viz/table.js';
import type { Mat4 } from '../geometry/matrix.js';
import { formatPoseLines } from '../registration/pose-files.js';
import { validateLocalizationConfig, SELECTION_METHODS, type LocalizationConfig } from './config.js';
import { localize, makeCandidates, selectionPose, registerCandidates, worldPoseDifference, type LocalizationModels, type LocalizationResult, type StageSeconds } from './localize.js';
import { scanDistanceM, type LocalizationMap } from './map.js';
import { loadQuery, type QuerySource } from './query.js';
import { registrationPairConfig } from '../registration/config.js';

/** World-frame error of an estimated pose. */
export interface WorldError { distanceM: number; angleDeg: number }

/** One query's outcome (all methods). */
export interface QueryOutcome {
  queryId: string;
  /** True camera-2 centre (x, z), metres, map world; the nearest map scan and its distance. */
  trueX: number; trueZ: number; nearestIndex: number; nearestM: number;
  /** [16] the true worldFromCam (camera 2). */
  trueWorldFromCam: Mat4;
  /** Errors per method: `chain-<selection>`, `retrieval`, `nearest-scan`, `oracle`. */
  errors: Record<string, WorldError>;
  result: LocalizationResult;
  /** The oracle's registered world pose (against the nearest scan). */
  oracleWorldFromCam: Mat4;
}

/** Methods in the summary's order, with their table labels. */
export const METHOD_LABELS: Readonly<Record<string, string>> = Object.freeze({
  'chain-heading': 'chain: top-k, registration, pick by heading confidence',
  'chain-match': 'chain: top-k, registration, pick by the bearing match score',
  'chain-agreement': 'chain: top-k, registration, pick by pose agreement',
  'chain-consensus': 'chain: top-k, registration, mean position of the agreeing candidates',
  'chain-retrieval': 'chain: top-k, registration, keep the top-1',
  retrieval: 'retrieval alone (top-1 scan\'s camera pose)',
  oracle: 'oracle retrieval: registration against the nearest scan',
  'nearest-scan': 'nearest scan\'s camera pose (no registration)',
});

/** Index of the map scan nearest to (x, z), and its distance, metres (only the scans' ground centres are read). */
export function nearestScan(map: Pick<LocalizationMap, 'centresXZ'>, x: number, z: number, excludeIndex = -1): { index: number; distanceM: number } {
  let best = -1, bestD = Infinity;
  for (let i = 0; i < map.centresXZ.length / 2; i++) {
    if (i === excludeIndex) continue;
    const d = scanDistanceM(map, i, x, z);
    if (d < bestD) { bestD = d; best = i; }
  }
  if (best < 0) throw new InputError('nearestScan: map', 'no scan to compare with');
  return { index: best, distanceM: bestD };
}

// #region evaluateQuery
/**
 * Runs the chain on one query with known truth and scores it with every method.
 * @param excludeIndex the query's own scan when query and map are one sequence, else -1
 */
export function evaluateQuery(models: LocalizationModels, map: LocalizationMap, src: QuerySource, config: Readonly<LocalizationConfig>, excludeIndex = -1): QueryOutcome {
  const q = loadQuery(src, models.modalink.config, registrationPairConfig(models.registration.config));
  if (!q.worldFromCam) throw new InputError(`query ${q.id}`, 'no true pose (its sequence has no poses file): cannot score it');
  const truth = q.worldFromCam;
  const result = localize(models, map, q, config, excludeIndex);
  const near = nearestScan(map, truth[3], truth[11], excludeIndex);
  const oracle = makeCandidates(map, [near.index], [0], [NaN], registerCandidates(models.registration, map, q, [near.index], config.registration))[0];
  const err = (T: ArrayLike<number>): WorldError => worldPoseDifference(T, truth);
  const errors: Record<string, WorldError> = {};
  for (const m of SELECTION_METHODS) errors[`chain-${m}`] = err(selectionPose(m, result.candidates, result.picks, config));
  errors.retrieval = err(map.worldFromCam[result.candidates[0].mapIndex]);
  errors.oracle = err(oracle.worldFromCam);
  errors['nearest-scan'] = err(map.worldFromCam[near.index]);
  return { queryId: q.id, trueWorldFromCam: truth, trueX: truth[3], trueZ: truth[11], nearestIndex: near.index, nearestM: near.distanceM, errors, result, oracleWorldFromCam: oracle.worldFromCam };
}
// #endregion evaluateQuery

// #region failureCause
/**
 * Why a query's chain pose failed (or that it succeeded), from its candidates' scans:
 * `outside the map` (no scan within coverageM), `retrieval` (no candidate scan within successM
 * of the truth: no selection could succeed), `selection` (one was, another was chosen),
 * `registration` (the chosen scan is near enough, the registered rotation is not), `success`.
 */
export function failureCause(o: QueryOutcome, map: LocalizationMap, config: Readonly<LocalizationConfig>): 'success' | 'outside the map' | 'retrieval' | 'selection' | 'registration' {
  const e = o.errors[`chain-${config.selection}`];
  if (e.distanceM < config.successM && e.angleDeg < config.successDeg) return 'success';
  if (o.nearestM > config.coverageM) return 'outside the map';
  const scanM = (m: number): number => scanDistanceM(map, m, o.trueX, o.trueZ);
  const chosen = o.result.candidates[o.result.chosen];
  if (scanM(chosen.mapIndex) < config.successM) return 'registration';
  return o.result.candidates.some((c) => scanM(c.mapIndex) < config.successM) ? 'selection' : 'retrieval';
}
// #endregion failureCause

/** How many queries end in each {@link failureCause}, and their share, percent. */
export function causeRows(outcomes: readonly QueryOutcome[], map: LocalizationMap, config: Readonly<LocalizationConfig>): { cause: string; queries: number; '%': number }[] {
  const causes = ['success', 'retrieval', 'selection', 'registration', 'outside the map'] as const;
  const got = outcomes.map((x) => failureCause(x, map, config));
  return causes.map((c) => { const n = got.filter((g) => g === c).length; return { cause: c, queries: n, '%': (100 * n) / Math.max(1, got.length) }; });
}

/** One summary row. */
export interface LocalizationRow {
  method: string; queries: number; 'within 2 m / 5 deg %': number; 'within 5 m / 10 deg %': number; 'median m': number; 'median deg': number;
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

// #region summarize
/**
 * The summary table over `outcomes` (the target's population: true position within coverageM of a scan).
 * Success levels from the config (default 2 m and 5 deg; 5 m and 10 deg); the labels name the defaults.
 */
export function summarizeLocalization(outcomes: readonly QueryOutcome[], config: Readonly<LocalizationConfig>): LocalizationRow[] {
  const within = outcomes.filter((o) => o.nearestM <= config.coverageM);
  const methods = [`chain-${config.selection}`, ...SELECTION_METHODS.filter((m) => m !== config.selection).map((m) => `chain-${m}`), 'retrieval', 'oracle', 'nearest-scan'];
  return methods.map((m) => {
    const e = within.map((o) => o.errors[m]);
    const pct = (M: number, D: number): number => (e.length ? (100 * e.filter((x) => x.distanceM < M && x.angleDeg < D).length) / e.length : NaN);
    return {
      method: METHOD_LABELS[m] + (m === `chain-${config.selection}` ? ' (the configured chain)' : ''), queries: e.length,
      'within 2 m / 5 deg %': pct(config.successM, config.successDeg), 'within 5 m / 10 deg %': pct(config.looseM, config.looseDeg),
      'median m': median(e.map((x) => x.distanceM)), 'median deg': median(e.map((x) => x.angleDeg)),
    };
  });
}
// #endregion summarize

/** Mean seconds per stage over the outcomes, in milliseconds, with the total. */
export function timingRows(outcomes: readonly QueryOutcome[]): { stage: string; 'ms per query': number }[] {
  const stages: (keyof StageSeconds)[] = ['image', 'descriptor', 'search', 'registration', 'selection'];
  const mean = (k: keyof StageSeconds): number => (1000 * outcomes.reduce((s, o) => s + o.result.seconds[k], 0)) / Math.max(1, outcomes.length);
  const rows = stages.map((k) => ({ stage: k, 'ms per query': mean(k) }));
  return [...rows, { stage: 'total', 'ms per query': rows.reduce((s, r) => s + r['ms per query'], 0) }];
}

/** Options of {@link evaluateLocalization}. */
export interface LocalizationEvalOptions {
  models: LocalizationModels;
  map: LocalizationMap;
  /** KITTI-layout root and sequence of the queries, and their frames. */
  queryRoot: string; querySequence: number | string; queryFrames: number[];
  /** [16] moves the query sequence's poses into the map's world (the embedded data: syntheticAlignment). */
  queryWorldFromPoses?: ArrayLike<number>;
  config?: Partial<LocalizationConfig>;
  outDir: string;
  /** Lines listed under the summary table. */
  notes?: string[];
  onQuery?: (done: number, total: number, o: QueryOutcome) => void;
}

// #region evaluateLocalization
/** Localizes every query frame, scores it, writes the tables and pose files. */
export function evaluateLocalization(o: LocalizationEvalOptions): { outcomes: QueryOutcome[]; rows: LocalizationRow[]; markdown: string } {
  const config = validateLocalizationConfig(o.config);
  const sameSequence = path.resolve(o.queryRoot) === path.resolve(o.map.root) && String(o.querySequence).padStart(2, '0') === o.map.sequence;
  const outcomes = o.queryFrames.map((frame, i) => {
    const exclude = sameSequence ? o.map.frames.indexOf(frame) : -1;
    const out = evaluateQuery(o.models, o.map, { kind: 'sequence', root: o.queryRoot, sequence: o.querySequence, frame, worldFromPoses: o.queryWorldFromPoses }, config, exclude);
    o.onQuery?.(i + 1, o.queryFrames.length, out);
    return out;
  });
  const rows = summarizeLocalization(outcomes, config);
  fs.mkdirSync(o.outDir, { recursive: true });
  const covered = outcomes.filter((x) => x.nearestM <= config.coverageM).length;
  const { markdown } = writeTableFiles(aq.from(rows), o.outDir, 'localization', { notes: [
    `${covered} of ${outcomes.length} queries lie within ${config.coverageM} m of a map scan; the table counts those. Errors in the map's world: camera-centre distance and rotation angle (geodesic).`,
    `k = ${config.topK}, registration '${config.registration}'; success = within ${config.successM} m and ${config.successDeg} deg (and ${config.looseM} m / ${config.looseDeg} deg).`,
    ...(o.notes ?? []),
  ] });
  const perQuery = outcomes.map((x) => ({
    query: x.queryId, trueX: x.trueX, trueZ: x.trueZ, nearestFrame: o.map.frames[x.nearestIndex], nearestM: x.nearestM,
    cause: failureCause(x, o.map, config), top1Frame: x.result.candidates[0].frame, chosenFrame: x.result.candidates[x.result.chosen].frame, chosenRank: x.result.candidates[x.result.chosen].rank,
    ...Object.fromEntries(Object.entries(x.errors).flatMap(([m, e]) => [[`${m} m`, e.distanceM], [`${m} deg`, e.angleDeg]])),
  }));
  writeIfChanged(path.join(o.outDir, 'queries.csv'), tableToCsv(aq.from(perQuery), { decimals: 4 })); // CSV only: one row a query
  const perCandidate = outcomes.flatMap((x) => x.result.candidates.map((c, i) => {
    const scanM = scanDistanceM(o.map, c.mapIndex, x.trueX, x.trueZ);
    return { query: x.queryId, rank: c.rank, frame: c.frame, scanM, headingProbability: c.headingProbability, matchScore: c.matchScore, agreement: c.agreement, inViewProbability: c.inViewProbability ?? NaN,
      ...(config.registration === 'bearing-along' ? { alongM: c.alongM } : {}),
      ...Object.fromEntries(SELECTION_METHODS.map((m) => [`picked by ${m}`, x.result.picks[m] === i ? 1 : 0])) };
  }));
  writeIfChanged(path.join(o.outDir, 'candidates.csv'), tableToCsv(aq.from(perCandidate), { decimals: 4 }));
  writeTableFiles(aq.from(timingRows(outcomes)), o.outDir, 'timing', { decimals: 1 });
  writeTableFiles(aq.from(causeRows(outcomes, o.map, config)), o.outDir, 'causes', { decimals: 1, notes: ['the configured chain\'s pose per query: see failureCause (src/localization/evaluate.ts)'] });
  fs.writeFileSync(path.join(o.outDir, 'poses-estimated.txt'), formatPoseLines(outcomes.map((x) => x.result.worldFromCam)));
  fs.writeFileSync(path.join(o.outDir, 'poses-true.txt'), formatPoseLines(outcomes.map((x) => x.trueWorldFromCam)));
  return { outcomes, rows, markdown };
}
// #endregion evaluateLocalization
