/**
 * The training stages of the registration model, as a list the config validator, the
 * trainer and the CLI share. No TensorFlow here, so `i2p register --help` can print them
 * without loading it. ICL's schedule: stage 1 'gpdm', then stage 2 'rest'; or 'joint'.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */

/**
 * Every stage: 'gpdm' (stage 1), 'rest' (stage 2), 'joint' (all at once), and 'bearing' (the
 * bearing network of `frustumPose: 'bearing'` alone, before 'rest'; see bearing.ts).
 */
export const REGISTRATION_STAGES = ['gpdm', 'rest', 'joint', 'bearing'] as const;

/**
 * Which variables a training run updates: GPDM alone, the rest with GPDM frozen, all, or the
 * bearing network alone.
 * With `gpdm: false` there is no GPDM to train or freeze: 'gpdm' is rejected, and 'rest' and
 * 'joint' both train the encoders + ICLM + PRM.
 */
export type RegistrationStage = (typeof REGISTRATION_STAGES)[number];

/** True when `s` names a stage of {@link REGISTRATION_STAGES}. */
export function isRegistrationStage(s: unknown): s is RegistrationStage {
  return (REGISTRATION_STAGES as readonly unknown[]).includes(s);
}

/** The stages as prose for messages: `gpdm, rest or joint`. */
export function registrationStagesText(): string {
  return `${REGISTRATION_STAGES.slice(0, -1).join(', ')} or ${REGISTRATION_STAGES[REGISTRATION_STAGES.length - 1]}`;
}
