// What the retrieval probes share: one drive of a town opened for a model, with its camera positions on the ground.
import type { ModaLinkConfig } from '../../../src/modalink/config.js';
import { createSequenceView, type SequenceView } from '../../../src/modalink/data.js';
import { syntheticAlignment } from '../../../src/modalink/splits.js';
import { cameraTwoPoses, groundCentres } from '../../../src/localization/map.js';

/** Drive `s` of the town at `root` as the model's view (frame cache .cache/modalink) and its ground positions [N * 2]. */
export function openDrive(config: ModaLinkConfig, root: string, s: number): { view: SequenceView; xz: Float64Array } {
  const align = syntheticAlignment(root);
  const view = createSequenceView(root, s, config, { cacheDir: '.cache/modalink', worldFromPoses: align?.get(s) });
  return { view, xz: groundCentres(cameraTwoPoses(root, s, view.frames, align?.get(s))) };
}

/** The group a task's row pools into: its first two words ('test town'), and ' across' when it is not within a drive. */
export function recallGroup(name: string, within: boolean): string {
  return name.split(' ').slice(0, 2).join(' ') + (within ? '' : ' across');
}
