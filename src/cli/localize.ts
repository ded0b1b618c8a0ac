/**
 * `i2p localize`: one photo (or every frame of a query drive) to a camera pose in a LiDAR map:
 * ModaLink retrieval, ICL registration against each candidate, a selection
 * (src/localization/). With true poses in the map's world (the same sequence, or the embedded
 * data's aligned drives) it also scores the chain against retrieval alone and an oracle
 * retrieval. Heavy modules load lazily inside the action (no TensorFlow for `--help`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { intOption } from './kitti-frame.js';
import type { LocalizationConfig } from '../localization/config.js';
import type { LocalizationModels } from '../localization/localize.js';
import type { LocalizationMap } from '../localization/map.js';

/** Options of `i2p localize`, as commander parses them. */
export interface LocalizeCliOptions {
  map: string; mapSeq: string; query: string; querySeq?: string; every?: string; maxQueries?: string; topK?: string;
  selection?: string; registration?: string; ann?: boolean; modalinkRun: string; registrationRun: string; cache?: string; out?: string;
}

/** Adds `localize` to the program. */
export function registerLocalizeCommand(program: Command): Command {
  program.command('localize')
    .description('camera pose of photos in a LiDAR map: ModaLink retrieves the top-k scans, ICL registers against each, a score picks one')
    .requiredOption('--map <dir>', 'KITTI-layout root of the map (scans, poses, calib)')
    .option('--map-seq <nn>', 'the map\'s sequence', '0')
    .requiredOption('--query <dir|file>', 'a KITTI-layout root (with --query-seq) or one camera-2 PNG taken with the map\'s rig')
    .option('--query-seq <nn>', 'the query drive (with a folder --query)')
    .option('--every <n>', 'every n-th frame of the query drive (default 1)')
    .option('--max-queries <n>', 'at most n queries')
    .option('--top-k <k>', 'scans handed to registration (default 5)')
    .option('--selection <method>', 'retrieval | heading | match | agreement | consensus (default retrieval: keep the top-1)')
    .option('--registration <mode>', 'bearing (the frustum pose) | full (GPDM + ICLM + PRM) | bearing-along (the frustum pose, its centre searched along the scan\'s axis: a model trained with bearing.alongHalfM) (default bearing)')
    .option('--modalink-run <dir>', 'ModaLink run or shipped model', 'models/modalink-laptop')
    .option('--registration-run <dir>', 'registration run or shipped model', 'models/registration-laptop')
    .option('--cache <dir>', 'ModaLink\'s packed frame cache (map depth images)', '.cache/modalink')
    .option('--ann', 'search the map with an approximate (HNSW, usearch) index instead of exact search')
    .option('--out <dir>', 'output folder (tables, KITTI pose files)')
    .action(async (o: LocalizeCliOptions) => { await runLocalize(o); });
  return program;
}

/** What both commands load: the two models, the embedded data's alignment (null for real KITTI), and the map. */
async function loadModelsAndMap(o: { map: string; mapSeq: string; modalinkRun: string; registrationRun: string; cache?: string; ann?: boolean }) {
  const { loadModaLinkRun } = await import('../modalink/evaluate.js');
  const { loadRegistrationRun } = await import('../registration/evaluate.js');
  const { registrationPairConfig } = await import('../registration/config.js');
  const { syntheticAlignment } = await import('../modalink/splits.js');
  const { buildLocalizationMap } = await import('../localization/map.js');
  const modalink = (await loadModaLinkRun(o.modalinkRun)).model, registration = await loadRegistrationRun(o.registrationRun);
  const align = syntheticAlignment(o.map), mapSeq = Number(o.mapSeq);
  console.error(`building the map: ${o.map} sequence ${o.mapSeq} (ModaLink descriptors, registration clouds)`);
  const map = buildLocalizationMap({ root: o.map, sequence: mapSeq, modalink, pairs: registrationPairConfig(registration.config), cacheDir: o.cache, worldFromPoses: align?.get(mapSeq), ...(o.ann ? { approximate: {} } : {}) });
  console.error(`map: ${map.frames.length} scans, ${map.buildSeconds.descriptors.toFixed(1)} s descriptors, ${map.buildSeconds.clouds.toFixed(1)} s clouds`);
  return { models: { modalink, registration }, align, mapSeq, map, dispose: () => { map.dispose(); modalink.dispose(); registration.dispose(); } };
}

/** Adds `localize-calibration` to the program: the chain and registration alone under a miscalibrated map. */
export function registerLocalizeCalibrationCommand(program: Command): Command {
  program.command('localize-calibration')
    .description('localization with the map\'s camFromLidar wrong by 1-10 cm / 0.1-1 deg (seeded directions): the chain and registration alone')
    .requiredOption('--map <dir>', 'KITTI-layout root of the embedded data (map = --map-seq, queries = --query-seq, aligned)')
    .option('--map-seq <nn>', 'the map\'s sequence', '0')
    .option('--query-seq <nn>', 'the query drive', '2')
    .option('--every <n>', 'every n-th frame of the query drive', '10')
    .option('--directions <n>', 'seeded directions per magnitude', '2')
    .option('--modalink-run <dir>', 'ModaLink run or shipped model', 'models/modalink-laptop')
    .option('--registration-run <dir>', 'registration run or shipped model', 'models/registration-laptop')
    .option('--cache <dir>', 'ModaLink\'s packed frame cache', '.cache/modalink')
    .requiredOption('--out <dir>', 'output folder (calibration.md, calibration-summary.md and .csv)')
    .action(async (o: { map: string; mapSeq: string; querySeq: string; every: string; directions: string; modalinkRun: string; registrationRun: string; cache: string; out: string }) => {
      const { localizationCalibrationSweep, writeLocalizationCalibration } = await import('../localization/calibration-sweep.js');
      const { KittiOdometry } = await import('../data/kitti/odometry.js');
      const qSeq = Number(o.querySeq), every = intOption('every', o.every, 1) ?? 10;
      const { models, align, mapSeq, map, dispose } = await loadModelsAndMap(o);
      if (!align) { dispose(); throw new InputError('--map', `${o.map}: not the embedded data (no synthetic-manifest.json): the sweep needs aligned drives`); }
      const frames = new KittiOdometry(o.map).sequence(qSeq).frameIds('image_2').filter((f) => f % every === 0);
      const t0 = Date.now();
      try {
        const rows = localizationCalibrationSweep({
          models, map, queryRoot: o.map, querySequence: qSeq, queryFrames: frames, queryWorldFromPoses: align.get(qSeq), mapWorldFromPoses: align.get(mapSeq),
          directions: intOption('directions', o.directions, 1, 64), cacheDir: o.cache,
          onRow: (r, done, total) => console.error(`calibration ${done}/${total}: ${r.kind} ${r.magnitude} ${r.unit} direction ${r.direction}: chain ${r.chainPct.toFixed(1)} %, registration alone ${r.oraclePct.toFixed(1)} % (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
        });
        console.log(writeLocalizationCalibration(rows, o.out, [`map ${o.map} sequence ${map.sequence}; queries: sequence ${String(qSeq).padStart(2, '0')}, every ${every}-th frame; ${((Date.now() - t0) / 1000).toFixed(0)} s`]));
      } finally {
        dispose();
      }
    });
  return program;
}

/** Runs `i2p localize`. */
export async function runLocalize(o: LocalizeCliOptions): Promise<void> {
  const { validateLocalizationConfig } = await import('../localization/config.js');
  const { KittiOdometry } = await import('../data/kitti/odometry.js');
  const config = validateLocalizationConfig({
    ...(o.topK !== undefined ? { topK: intOption('top-k', o.topK, 1, 100) } : {}),
    ...(o.selection !== undefined ? { selection: o.selection as 'heading' } : {}),
    ...(o.registration !== undefined ? { registration: o.registration as 'bearing' } : {}),
  });
  if (!fs.existsSync(o.query)) throw new InputError('--query', `${o.query}: no such file or folder`);
  const isFile = fs.statSync(o.query).isFile();
  if (!isFile && o.querySeq === undefined) throw new InputError('--query-seq', `expected the query drive's sequence with the folder ${o.query}`);
  const { models, align, mapSeq, map, dispose } = await loadModelsAndMap(o);
  try {
    if (isFile) { await localizeFile(models, map, o, config); return; }
    const qRoot = o.query, qSeq = Number(o.querySeq);
    const seq = new KittiOdometry(qRoot).sequence(qSeq);
    const every = intOption('every', o.every, 1) ?? 1, maxQ = intOption('max-queries', o.maxQueries, 1) ?? Infinity;
    const frames = seq.frameIds('image_2').filter((f) => f % every === 0).slice(0, maxQ);
    const sameSequence = path.resolve(qRoot) === path.resolve(o.map) && qSeq === mapSeq;
    const queryAlign = sameSequence ? align?.get(mapSeq) : path.resolve(qRoot) === path.resolve(o.map) ? align?.get(qSeq) : undefined;
    const scorable = seq.poses !== null && (sameSequence || queryAlign !== undefined);
    if (!scorable) throw new InputError(o.query, `sequence ${seq.id}: no true poses in the map's world (scoring needs the map's own sequence, or the embedded data's aligned drives); localize single photos with --query FILE`);
    const outDir = o.out ?? path.join('figures', '06-global-localization', `map${map.sequence}-query${seq.id}`);
    const { evaluateLocalization } = await import('../localization/evaluate.js');
    const cliProgress = (await import('cli-progress')).default;
    const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'localize [{bar}] {value}/{total} queries | {eta}s left' }, cliProgress.Presets.shades_classic) : null;
    bar?.start(frames.length, 0);
    const r = evaluateLocalization({
      models, map, queryRoot: qRoot, querySequence: qSeq, queryFrames: frames, queryWorldFromPoses: queryAlign, config, outDir,
      notes: [`map ${o.map} sequence ${map.sequence} (${map.frames.length} scans); queries: sequence ${seq.id}, every ${every}-th frame; models ${o.modalinkRun}, ${o.registrationRun}`],
      onQuery: (done, total) => { if (bar) bar.update(done); else if (done % 25 === 0 || done === total) console.error(`localize: ${done}/${total} queries`); },
    });
    bar?.stop();
    console.log(r.markdown);
    console.log(fs.readFileSync(path.join(outDir, 'timing.md'), 'utf8'));
    console.log(`tables and pose files in ${outDir}`);
  } finally {
    dispose();
  }
}

/** One photo: the decision, its reason, the candidates, the pose as a KITTI line (and `pose.txt`, `candidates.csv` under --out). */
async function localizeFile(models: LocalizationModels, map: LocalizationMap, o: LocalizeCliOptions, config: Readonly<LocalizationConfig>): Promise<void> {
  const { loadQuery } = await import('../localization/query.js');
  const { localize } = await import('../localization/localize.js');
  const { registrationPairConfig } = await import('../registration/config.js');
  const { formatPoseLines } = await import('../registration/pose-files.js');
  const q = loadQuery({ kind: 'file', file: o.query, mapRoot: o.map, mapSequence: Number(o.mapSeq) }, models.modalink.config, registrationPairConfig(models.registration.config));
  const r = localize(models, map, q, config);
  const rows = r.candidates.map((c, i) => ({
    rank: c.rank, frame: c.frame, 'descriptor distance²': c.descriptorDistanceSq, 'heading softmax peak': c.headingProbability, agreement: c.agreement,
    ...(config.registration === 'bearing-along' ? { 'along m': c.alongM } : {}), x: c.worldFromCam[3], z: c.worldFromCam[11], chosen: i === r.chosen ? 'yes' : '',
  }));
  const aq = await import('arquero');
  const { tableToMarkdown } = await import('../viz/table.js');
  console.log(tableToMarkdown(aq.from(rows)));
  const c = r.candidates[r.chosen];
  console.log(`chosen: map frame ${c.frame} by '${r.selection}': ${r.reason}`);
  console.log(`camera position in the map: x ${c.worldFromCam[3].toFixed(2)} m, y ${c.worldFromCam[7].toFixed(2)} m, z ${c.worldFromCam[11].toFixed(2)} m`);
  console.log(`worldFromCam (KITTI pose line): ${formatPoseLines([r.worldFromCam]).trim()}`);
  console.log(`ms: ${Object.entries(r.seconds).map(([k, v]) => `${k} ${(1000 * v).toFixed(1)}`).join(', ')}`);
  if (o.out) {
    const { writeTableFiles } = await import('../data/formats/table-files.js');
    fs.mkdirSync(o.out, { recursive: true });
    fs.writeFileSync(path.join(o.out, 'pose.txt'), formatPoseLines([r.worldFromCam]));
    writeTableFiles(aq.from(rows), o.out, 'candidates', { decimals: 4 });
    console.log(`pose.txt and candidates.csv in ${o.out}`);
  }
}
