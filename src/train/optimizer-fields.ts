/**
 * The optimisation fields that every trainer's config shares beyond its learning rate and
 * decay: a linear warm-up (lr-schedule.ts) and gradient clipping by global norm
 * (clip-grad-norm.ts). Their defaults switch both off, so configs and run folders written
 * before the fields existed train exactly as they did. ModaLinkConfig and RegistrationConfig
 * have them as fields of their own; the explicit baseline reads its registration section's.
 * @see notebooks/03-place-recognition.ipynb
 */
import { expectField, fieldPath, numberField } from '../core/config-fields.js';

/** Warm-up and clipping settings. */
export interface OptimizerFields {
  /** Steps of linear learning-rate warm-up at the start of a run, integer >= 0. Default 0 (none). */
  warmupSteps: number;
  /** Largest global L2 norm of the gradients (larger ones are scaled down), > 0; null = no clipping. Default null. */
  clipGradNorm: number | null;
}

/** Both off: no warm-up, no clipping. */
export const DEFAULT_OPTIMIZER_FIELDS: Readonly<OptimizerFields> = Object.freeze({ warmupSteps: 0, clipGradNorm: null });

/**
 * Checks `warmupSteps` and `clipGradNorm` of a config object.
 * @param prefix the config's dotted path (`modalink`, `registration`)
 * @throws ConfigError naming the field, e.g. `registration.clipGradNorm: expected null or a finite number > 0, got 0`
 */
export function checkOptimizerFields(prefix: string, c: Readonly<Record<string, unknown>>): void {
  numberField(fieldPath(prefix, 'warmupSteps'), c.warmupSteps, { min: 0, max: 1e9, integer: true });
  const clip = c.clipGradNorm;
  expectField(fieldPath(prefix, 'clipGradNorm'), clip === null || (typeof clip === 'number' && Number.isFinite(clip) && clip > 0), 'null or a finite number > 0', clip);
}
