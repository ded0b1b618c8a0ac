/**
 * Worker thread of the synthetic generator: builds the world once from `workerData.config`,
 * then renders and writes each `[seq, frame]` it is sent, answering `{ ok }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SyntheticConfig } from './config.js';
import { buildWorld } from './frame.js';
import { writeFrame } from './generate.js';

const { config, out } = workerData as { config: SyntheticConfig; out: string };
const world = buildWorld(config);
parentPort!.on('message', ([seq, frame]: [number, number]) => {
  try {
    writeFrame(world, out, seq, frame);
    parentPort!.postMessage({ ok: true });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
});
