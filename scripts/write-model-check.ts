// `npx tsx scripts/write-model-check.ts models/<name>`: writes `<model>/check-tiny.csv`, the
// predictions test/registration/shipped-model.test.ts compares a shipped registration model
// with (test/helpers/registration-model-check.ts says which pairs and numbers). Run it once when a
// model is shipped; a later change of the library that changes these numbers fails the test.
import fs from 'node:fs';
import path from 'node:path';
import { makeTinyDataset } from '../test/helpers/tiny-dataset.js';
import { modelCheckRows } from '../test/helpers/registration-model-check.js';

const dir = process.argv[2];
if (!dir || !fs.existsSync(path.join(dir, 'checkpoint.json'))) {
  console.error('usage: npx tsx scripts/write-model-check.ts <model folder with checkpoint.json>');
  process.exit(2);
}
const { tmp, root } = await makeTinyDataset('i2p-model-check-');
try {
  const rows = await modelCheckRows(dir, root);
  const keys = Object.keys(rows[0]) as (keyof (typeof rows)[0])[];
  fs.writeFileSync(path.join(dir, 'check-tiny.csv'), [keys.join(','), ...rows.map((r) => keys.map((k) => String(r[k])).join(','))].join('\n') + '\n');
  console.log(`wrote ${path.join(dir, 'check-tiny.csv')} (${rows.length} pairs)`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
