export { initBackend, backendInfo, gpuVisible } from './backend.js';
export type { BackendInfo, BackendKind } from './backend.js';
export { installOnednnGuard, uninstallOnednnGuard, onednnGuardInstalled, needsFilterGradGuard } from './onednn-guard.js';
export { tf, variableFrom } from './tf.js';
export { stopGradient, untaped } from './stop-gradient.js';
export { installNativeKernels, hasNativeKernel, NATIVE_KERNELS } from './native-kernels.js';
export { createRng, permutation } from './rng.js';
export type { Rng } from './rng.js';
export { assertShape, assertFlat, assertInt, assertRange, firstNonFinite } from './shapes.js';
export type { ShapePattern } from './shapes.js';
export { InputError, ConfigError } from './errors.js';
export {
  fieldPath, formatValue, expectField, checkConfigObject, mergeConfigSection, describeNumber, numberField, intField, numberFields,
  booleanField, nonEmptyStringField, oneOfField,
} from './config-fields.js';
export type { NumberSpec } from './config-fields.js';
export { packageRoot, packageVersion } from './package-info.js';
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Rank, Variable } from './tf.js';
