import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRegistrationStage, REGISTRATION_STAGES, registrationStagesText } from '../../src/registration/stages.js';
import { validateRegistrationConfig } from '../../src/registration/config.js';

test('the stage list is the schedule order, and every stage validates', () => {
  assert.deepEqual([...REGISTRATION_STAGES], ['gpdm', 'rest', 'joint', 'bearing']);
  for (const stage of REGISTRATION_STAGES) assert.equal(validateRegistrationConfig({ stage, ...(stage === 'bearing' ? { frustumPose: 'bearing' as const } : {}) }).stage, stage);
});

test('isRegistrationStage accepts the listed stages only; the prose names them all', () => {
  assert.ok(REGISTRATION_STAGES.every(isRegistrationStage));
  for (const s of ['GPDM', 'all', '', undefined, 1]) assert.equal(isRegistrationStage(s), false);
  assert.equal(registrationStagesText(), 'gpdm, rest, joint or bearing');
  assert.throws(() => validateRegistrationConfig({ stage: 'all' as never }), /stage/);
});
