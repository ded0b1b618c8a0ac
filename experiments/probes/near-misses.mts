// Probe for issue 13 (stop 22): where the configured chain (k = 5, retrieval's top 1 kept) fails, how far along the drive is the scan it
// chose from the query's nearest scan? Reads a committed `i2p localize` table (default: figures/06-global-localization/default-02/queries.csv)
// and prints, over the queries within 10 m of the map, the failures (beyond 2 m or 5 deg) by the chosen scan's frame offset from the
// nearest scan's, and the errors of the near misses (offset within +-12 frames).
// Usage: npx tsx experiments/probes/near-misses.mts [queries.csv]
import fs from 'node:fs';
// @ts-expect-error: a plain ES module of the scripts, no types
import { parseCsvLine } from '../../scripts/lib/csv.mjs';
const file = process.argv[2] ?? 'figures/06-global-localization/default-02/queries.csv';
const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => parseCsvLine(l) as string[]);
const rows = lines.map((l) => Object.fromEntries(head.map((k, i) => [k, l[i]])));
const inMap = rows.filter((r) => Number(r.nearestM) <= 10);
const fails = inMap.filter((r) => Number(r['chain-retrieval m']) >= 2 || Number(r['chain-retrieval deg']) >= 5);
const offset = (r: Record<string, string>) => Number(r.chosenFrame) - Number(r.nearestFrame);
const near = fails.filter((r) => Math.abs(offset(r)) <= 12), hist = new Map<number, number>();
for (const r of near) hist.set(offset(r), (hist.get(offset(r)) ?? 0) + 1);
const errs = near.map((r) => Number(r['chain-retrieval m'])).sort((a, b) => a - b);
console.log(`${file}: ${inMap.length} queries within 10 m of the map, ${fails.length} failures (${(100 * fails.length / inMap.length).toFixed(1)} %)`);
console.log(`near misses (chosen scan within 12 frames of the nearest): ${near.length} (${(100 * near.length / inMap.length).toFixed(1)} % of the queries); offsets (frames: queries) ${[...hist].sort((a, b) => a[0] - b[0]).map(([o, c]) => `${o}: ${c}`).join(', ')}`);
console.log(`their position errors: median ${errs[errs.length >> 1].toFixed(2)} m, ${errs.filter((e) => e < 3).length} under 3 m; farther failures: ${fails.length - near.length}`);
