/**
 * Test helper: the descriptors a shipped ModaLink model is checked on (test/modalink/
 * shipped-model.test.ts) and that `npx tsx scripts/write-model-check.ts` commits as
 * `<model>/check-tiny.csv`: every frame of the tiny preset (sequences 00 and 01, 3 frames each),
 * its camera image and its FoV depth image through the model's own data view (crop, resize,
 * completion). Per frame and modality: the descriptor's first 4 components and its projections
 * on 4 seeded random unit directions (so every component counts), and per frame the cosine
 * between the image's and the depth image's descriptor.
 */
import { createRng } from '../../src/core/rng.js';
import { createSequenceView } from '../../src/modalink/data.js';
import { describeView, loadModaLinkRun } from '../../src/modalink/evaluate.js';

/** One checked frame. */
export interface ModaLinkCheckRow {
  seq: number; frame: number; cosine: number;
  img0: number; img1: number; img2: number; img3: number; imgP0: number; imgP1: number; imgP2: number; imgP3: number;
  dep0: number; dep1: number; dep2: number; dep3: number; depP0: number; depP1: number; depP2: number; depP3: number;
}

/** Seed of the projection directions. */
const DIRECTIONS_SEED = 4242;

// #region modalinkCheckRows
/** @returns one row per frame of the tiny dataset at `root`, sequence-major */
export async function modalinkCheckRows(modelDir: string, root: string): Promise<ModaLinkCheckRow[]> {
  const { model } = await loadModaLinkRun(modelDir);
  try {
    const D = model.descriptorSize, rng = createRng(DIRECTIONS_SEED);
    const dirs = Array.from({ length: 4 }, () => {
      const v = Float64Array.from({ length: D }, () => rng.normal());
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    });
    const rows: ModaLinkCheckRow[] = [];
    for (const seq of [0, 1]) {
      const view = createSequenceView(root, seq, model.config);
      const im = describeView(model, view, 'image'), de = describeView(model, view, 'depth');
      view.frames.forEach((frame, i) => {
        const a = im.subarray(i * D, (i + 1) * D), b = de.subarray(i * D, (i + 1) * D);
        const dot = (x: ArrayLike<number>, y: ArrayLike<number>): number => { let s = 0; for (let k = 0; k < D; k++) s += x[k] * y[k]; return s; };
        const cosine = dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
        const [ia, ib] = [a, b].map((d) => [d[0], d[1], d[2], d[3], ...dirs.map((u) => dot(d, u))]);
        rows.push({ seq, frame, cosine, img0: ia[0], img1: ia[1], img2: ia[2], img3: ia[3], imgP0: ia[4], imgP1: ia[5], imgP2: ia[6], imgP3: ia[7],
          dep0: ib[0], dep1: ib[1], dep2: ib[2], dep3: ib[3], depP0: ib[4], depP1: ib[5], depP2: ib[6], depP3: ib[7] });
      });
    }
    return rows;
  } finally {
    model.dispose();
  }
}
// #endregion modalinkCheckRows
