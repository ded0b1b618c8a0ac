// `npx tsx scripts/write-model-check.ts models/<name>`: writes `<model>/check-tiny.csv`, the
// predictions the shipped-model tests compare a shipped model with: a registration model's
// (test/registration/shipped-model.test.ts, test/helpers/registration-model-check.ts) or a
// ModaLink model's descriptors (test/modalink/shipped-model.test.ts, test/helpers/modalink-model-check.ts),
// or an explicit-matching baseline's (test/helpers/baseline-model-check.ts), told apart by the config in its
// checkpoint.json. Run it once when a model is shipped; a later
// change of the library that changes these numbers fails the test.
import fs from 'node:fs';
import path from 'node:path';
import { makeTinyDataset } from '../test/helpers/tiny-dataset.js';
import { modelCheckRows } from '../test/helpers/registration-model-check.js';
import { modalinkCheckRows } from '../test/helpers/modalink-model-check.js';
import { baselineCheckRows } from '../test/helpers/baseline-model-check.js';

const dir = process.argv[2];
if (!dir || !fs.existsSync(path.join(dir, 'checkpoint.json'))) {
  console.error('usage: npx tsx scripts/write-model-check.ts <model folder with checkpoint.json>');
  process.exit(2);
}
const { config } = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')) as { config: object };
const kind = 'netvladClusters' in config ? 'modalink' : 'ransacIterations' in config ? 'baseline' : 'registration';
const { tmp, root } = await makeTinyDataset('i2p-model-check-');
try {
  const rows: object[] = kind === 'modalink' ? await modalinkCheckRows(dir, root) : kind === 'baseline' ? await baselineCheckRows(dir, root) : await modelCheckRows(dir, root);
  const keys = Object.keys(rows[0]) as (keyof object)[];
  fs.writeFileSync(path.join(dir, 'check-tiny.csv'), [keys.join(','), ...rows.map((r) => keys.map((k) => String(r[k])).join(','))].join('\n') + '\n');
  console.log(`wrote ${path.join(dir, 'check-tiny.csv')} (${rows.length} ${kind === 'modalink' ? 'frames' : 'pairs'}, a ${kind} model)`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
