// Probe for issue 13: the whole chain (ModaLink retrieval, then registration) on REAL KITTI, with the shipped models
// (trained on the embedded synthetic drives only). The real sample beside the project (../shared/data) has ten
// consecutive scans of sequence 00 (frames 1-10, about 0.86 m apart) and the RIGHT camera only, so the map is those ten
// scans and the queries are the eleven photos 0-10, each against the map without its own scan (the chain's
// same-sequence protocol). The project's map and queries use camera 2; the probe reads the sample through a temporary
// view (symlinks, outside the project) whose image_2 is the sample's image_3 and whose P2 is its P3: that is camera 3
// end to end (poses: worldFromCam0 x inv(cam3FromCam0)).
//
// A ten-scan map 8.6 m long cannot measure retrieval, so the probe prints what it is compared with:
//   - chance: a scan drawn at random from the map (own scan left out): its expected share within 2 m;
//   - the same protocol on the embedded test town (never trained on): ten consecutive scans of drive 00, at every
//     window start 0, 40, 80, ... (synthetic frames are about 0.8 m apart), pooled.
// Writes <out>/real/ (localization.md, causes.md, timing.md, candidates.csv, queries.csv without the true positions;
// no pose files: no KITTI data in the project) and <out>/real-kitti-chain.md (the summary below, with the synthetic
// windows pooled; their per-window tables go to a temporary folder and are removed).
// Usage: npx tsx experiments/probes/real-kitti-chain.mts [out, default .cache/eval/real-kitti-chain] [synthetic root, default data/synthetic-default]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModaLinkRun } from '../../src/modalink/evaluate.js';
import { loadRegistrationRun } from '../../src/registration/evaluate.js';
import { registrationPairConfig } from '../../src/registration/config.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { buildLocalizationMap, type LocalizationMap } from '../../src/localization/map.js';
import { evaluateLocalization, summarizeLocalization, type QueryOutcome } from '../../src/localization/evaluate.js';
import { validateLocalizationConfig } from '../../src/localization/config.js';
import { KittiOdometry } from '../../src/data/kitti/odometry.js';

const shared = process.env.I2P_SHARED_DATA ?? path.resolve('..', 'shared', 'data');
const sample = path.join(shared, 'kitti-odometry-sample');
if (!fs.existsSync(sample)) { console.log(`skipped: ${sample} is absent (the real KITTI sample; set I2P_SHARED_DATA)`); process.exit(0); }
const out = process.argv[2] ?? '.cache/eval/real-kitti-chain';
const synthRoot = process.argv[3] ?? 'data/synthetic-default';
const modalinkRun = 'models/modalink-laptop', registrationRun = 'models/registration-laptop';

// #region the right-camera view of the sample
const view = fs.mkdtempSync(path.join(os.tmpdir(), 'i2p-kitti-right-'));
const seqIn = path.join(sample, 'sequences', '00'), seqOut = path.join(view, 'sequences', '00');
fs.mkdirSync(seqOut, { recursive: true });
fs.mkdirSync(path.join(view, 'poses'));
fs.symlinkSync(path.join(sample, 'poses', '00.txt'), path.join(view, 'poses', '00.txt'));
for (const f of ['times.txt', 'velodyne']) fs.symlinkSync(path.join(seqIn, f), path.join(seqOut, f));
fs.symlinkSync(path.join(seqIn, 'image_3'), path.join(seqOut, 'image_2'));
const calib = fs.readFileSync(path.join(seqIn, 'calib.txt'), 'utf8').split('\n');
const p3 = calib.find((l) => l.startsWith('P3:'));
if (!p3) throw new Error(`${path.join(seqIn, 'calib.txt')}: no P3 line`);
fs.writeFileSync(path.join(seqOut, 'calib.txt'), calib.map((l) => (l.startsWith('P2:') ? `P2:${p3.slice(3)}` : l)).join('\n'));
// #endregion

const modalink = (await loadModaLinkRun(modalinkRun)).model, registration = await loadRegistrationRun(registrationRun);
const pairs = registrationPairConfig(registration.config), config = validateLocalizationConfig({});
const models = { modalink, registration };

/** Expected share of the queries within successM of a scan drawn at random from the map (own scan left out). */
function chancePct(map: LocalizationMap, outcomes: readonly QueryOutcome[], frames: readonly number[]): number {
  let s = 0;
  outcomes.forEach((o, q) => {
    const own = map.frames.indexOf(frames[q]);
    let hit = 0, n = 0;
    for (let i = 0; i < map.frames.length; i++) {
      if (i === own) continue;
      n++;
      if (Math.hypot(map.centresXZ[2 * i] - o.trueX, map.centresXZ[2 * i + 1] - o.trueZ) < config.successM) hit++;
    }
    s += hit / n;
  });
  return (100 * s) / outcomes.length;
}
const distinctTop1 = (outcomes: readonly QueryOutcome[]) => new Set(outcomes.map((o) => o.result.candidates[0].frame)).size;
const rowOf = (outcomes: readonly QueryOutcome[], label: string) => summarizeLocalization(outcomes, config).find((r) => r.method.startsWith(label));

// #region real
const realDir = path.join(out, 'real');
const realFrames = new KittiOdometry(view).sequence(0).frameIds('image_2');
const realMap = buildLocalizationMap({ root: view, sequence: 0, modalink, pairs });
const real = evaluateLocalization({
  models, map: realMap, queryRoot: view, querySequence: 0, queryFrames: realFrames, config, outDir: realDir,
  notes: [`real KITTI sample (${path.relative(process.cwd(), sample)}): sequence 00, map = the scans of frames ${realMap.frames[0]}-${realMap.frames.at(-1)}, queries = photos ${realFrames[0]}-${realFrames.at(-1)}, camera 3; own scan left out; models ${modalinkRun}, ${registrationRun}`],
});
for (const f of fs.readdirSync(realDir)) if (f.startsWith('poses-')) fs.rmSync(path.join(realDir, f));
{ // queries.csv without the true positions (derived from KITTI's poses file)
  const file = path.join(realDir, 'queries.csv'), [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const keys = head.split(','), keep = keys.map((k, i) => (k === 'trueX' || k === 'trueZ' ? -1 : i)).filter((i) => i >= 0);
  fs.writeFileSync(file, [head, ...lines].map((l) => { const v = l.split(','); return keep.map((i) => v[i]).join(','); }).join('\n') + '\n');
}
const realChance = chancePct(realMap, real.outcomes, realFrames), realDistinct = distinctTop1(real.outcomes);
realMap.dispose();
fs.rmSync(view, { recursive: true, force: true });
// #endregion

// #region the embedded test town, the same protocol in ten-scan windows
const align = syntheticAlignment(synthRoot);
const synthSeq = new KittiOdometry(synthRoot).sequence(0), synthScans = synthSeq.frameIds('velodyne');
const synthOutcomes: QueryOutcome[] = [];
let chanceSum = 0, distinctSum = 0, windows = 0;
for (let start = 0; start + 11 <= synthScans.length; start += 40) {
  const frames = synthScans.slice(start, start + 11); // photo `start` (no scan in the map, as the real frame 0) and scans start+1..start+10
  const map = buildLocalizationMap({ root: synthRoot, sequence: 0, modalink, pairs, frames: frames.slice(1), worldFromPoses: align?.get(0), cacheDir: '.cache/modalink' });
  const r = evaluateLocalization({ models, map, queryRoot: synthRoot, querySequence: 0, queryFrames: frames, queryWorldFromPoses: align?.get(0), config, outDir: path.join(os.tmpdir(), 'i2p-chain-window') });
  synthOutcomes.push(...r.outcomes);
  chanceSum += chancePct(map, r.outcomes, frames); distinctSum += distinctTop1(r.outcomes); windows++;
  map.dispose();
}
fs.rmSync(path.join(os.tmpdir(), 'i2p-chain-window'), { recursive: true, force: true });
// #endregion

const fmt = (x: number | undefined, d = 1) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const line = (name: string, o: readonly QueryOutcome[], chance: number, distinct: string) => {
  const c = rowOf(o, 'chain: top-k, registration, keep the top-1'), ret = rowOf(o, 'retrieval alone'), orc = rowOf(o, 'oracle');
  return `| ${name} | ${o.length} | ${fmt(c?.['within 2 m / 5 deg %'])} % | ${fmt(ret?.['within 2 m / 5 deg %'])} % | ${fmt(chance)} % | ${fmt(orc?.['within 2 m / 5 deg %'])} % (median ${fmt(orc?.['median m'], 2)} m, ${fmt(orc?.['median deg'], 2)} deg) | ${distinct} |`;
};
const md = [
  '# The chain on real KITTI: ten scans of sequence 00 (issue 13)',
  '',
  `\`npx tsx experiments/probes/real-kitti-chain.mts ${out} ${synthRoot}\`; models \`${modalinkRun}\` (ModaLink) and \`${registrationRun}\`, trained on the embedded synthetic drives only; k = ${config.topK}, the top-1 kept, bearing registration.`,
  'Map: ten consecutive scans; queries: the photos at and before them, each against the map without its own scan (own-scan rule as `i2p localize` on one sequence); success = within 2 m and 5 deg.',
  '',
  '| map | queries | chain within 2 m / 5 deg | retrieval alone | a random scan (chance) | registration against the nearest scan (oracle) | distinct top-1 scans |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  line('real KITTI 00, frames 1-10 (camera 3)', real.outcomes, realChance, `${realDistinct} of ${real.outcomes.length} queries`),
  line(`embedded test town, drive 00, ${windows} windows of ten scans (camera 2)`, synthOutcomes, chanceSum / windows, `${(distinctSum / windows).toFixed(1)} a window of 11`),
  '',
  'Per-query tables of the real run: `real/` (queries.csv without the true positions; no pose files).',
].join('\n');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'real-kitti-chain.md'), md + '\n');
console.log(md);
modalink.dispose(); registration.dispose();
