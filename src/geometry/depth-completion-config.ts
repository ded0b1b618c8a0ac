/**
 * Configuration of the IP-Basic-style depth completion (depth-completion.ts): every step
 * is a field with a documented default, so notebooks and ablations can switch steps off.
 *
 * Defaults follow IP-Basic's `fill_in_multiscale` (Ku, Harakeh, Waslander, CRV 2018),
 * tuned on full-resolution KITTI (1242 x 375); at ModaLink's 800 x 128 the vertical
 * scale is about 1/3, so smaller vertical kernels may suit better (an experiment for the notebook).
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { booleanField, checkConfigObject, expectField, intField, mergeConfigSection, numberField, oneOfField } from '../core/config-fields.js';
import type { KernelShape, KernelSpec } from './image-filters.js';

/** Which blur ends the pipeline. */
export type DepthBlur = 'bilateral' | 'gaussian' | 'none';

// #region config
/** Depth-completion settings; metres for depths, pixels for kernels. */
export interface DepthCompletionConfig {
  /** false = return the input unchanged (ablation switch). Default true. */
  enabled: boolean;
  /** Inversion offset: pixels hold maxDepthM - d while filling, so max-dilation prefers NEAR points. Every input depth must be below it. Default 100. */
  maxDepthM: number;
  /** Depths <= validMinM count as empty. Default 0.1. */
  validMinM: number;
  /** Upper bound of the near band (validMinM, nearMaxM]. Default 15. */
  nearMaxM: number;
  /** Upper bound of the medium band (nearMaxM, mediumMaxM]; beyond is far. Default 30. */
  mediumMaxM: number;
  /** Dilation kernel for near points (they are sparse in pixels: larger). Default cross 7. */
  nearKernel: KernelSpec;
  /** Dilation kernel for medium points. Default cross 5. */
  mediumKernel: KernelSpec;
  /** Dilation kernel for far points. Default cross 3. */
  farKernel: KernelSpec;
  /** Closing kernel for small holes. Default full 5. */
  closeKernel: KernelSpec;
  /** Dilation that fills remaining empty pixels (below each column's top valid pixel). Default full 9. */
  fillKernel: KernelSpec;
  /** Copy each column's topmost value up to row 0 (IP-Basic `extrapolate`); otherwise pixels above it stay empty. Default false. */
  extendTop: boolean;
  /** Kernel of the repeated large-hole fill. Default full 5. */
  largeFillKernel: KernelSpec;
  /** Repetitions of the large-hole fill (0 = off). Default 6. */
  largeFillIterations: number;
  /** Median window (odd; 1 = off) over non-empty taps. Default 5. */
  medianSize: number;
  /** Final blur. Default 'bilateral'. */
  blur: DepthBlur;
  /** Gaussian window (odd). Default 5. */
  gaussianSize: number;
  /** Gaussian sigma in pixels; 0 = OpenCV's rule 0.3 ((size - 1) / 2 - 1) + 0.8. Default 0. */
  gaussianSigmaPx: number;
  /** Bilateral window diameter (odd). Default 5. */
  bilateralSize: number;
  /** Bilateral spatial sigma, pixels. Default 2. */
  bilateralSigmaSpacePx: number;
  /** Bilateral depth sigma, metres. Default 0.5. */
  bilateralSigmaDepthM: number;
}

/** The defaults (IP-Basic multiscale, bilateral blur). */
export const DEFAULT_DEPTH_COMPLETION_CONFIG: Readonly<DepthCompletionConfig> = Object.freeze({
  enabled: true,
  maxDepthM: 100,
  validMinM: 0.1,
  nearMaxM: 15,
  mediumMaxM: 30,
  nearKernel: Object.freeze({ shape: 'cross', size: 7 }),
  mediumKernel: Object.freeze({ shape: 'cross', size: 5 }),
  farKernel: Object.freeze({ shape: 'cross', size: 3 }),
  closeKernel: Object.freeze({ shape: 'full', size: 5 }),
  fillKernel: Object.freeze({ shape: 'full', size: 9 }),
  extendTop: false,
  largeFillKernel: Object.freeze({ shape: 'full', size: 5 }),
  largeFillIterations: 6,
  medianSize: 5,
  blur: 'bilateral',
  gaussianSize: 5,
  gaussianSigmaPx: 0,
  bilateralSize: 5,
  bilateralSigmaSpacePx: 2,
  bilateralSigmaDepthM: 0.5,
}) as Readonly<DepthCompletionConfig>;
// #endregion config

const KERNEL_FIELDS = ['nearKernel', 'mediumKernel', 'farKernel', 'closeKernel', 'fillKernel', 'largeFillKernel'] as const;
type KernelField = (typeof KERNEL_FIELDS)[number];

/** What callers may pass: any subset of the fields; a kernel may give only `shape` or `size`. */
export type DepthCompletionConfigInput = Partial<Omit<DepthCompletionConfig, KernelField>> & Partial<Record<KernelField, Partial<KernelSpec>>>;
const SHAPES: readonly KernelShape[] = ['full', 'cross', 'diamond'];
const P = 'depthCompletion';

function oddSize(field: string, v: unknown): number {
  expectField(`${P}.${field}`, typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 63 && v % 2 === 1, 'an odd integer in [1, 63]', v);
  return v as number;
}

const num = (field: string, v: unknown, min: number, minOpen: boolean): number => numberField(`${P}.${field}`, v, { min, minOpen });
const bool = (field: string, v: unknown): boolean => booleanField(`${P}.${field}`, v);

// #region validate
/**
 * Merges `partial` over the defaults and checks every field.
 * @param partial any subset of the fields (kernels may give only `shape` or `size`)
 * @returns a complete, frozen config
 * @throws ConfigError naming the field (e.g. `depthCompletion.nearKernel.size`) for unknown
 *   fields, wrong types, even kernel sizes or inconsistent depth bands
 */
export function validateDepthCompletionConfig(partial: DepthCompletionConfigInput = {}): Readonly<DepthCompletionConfig> {
  checkConfigObject(P, partial, Object.keys(DEFAULT_DEPTH_COMPLETION_CONFIG));
  const d = DEFAULT_DEPTH_COMPLETION_CONFIG;
  const raw = { ...d, ...partial } as Record<string, unknown>;
  const c = {} as DepthCompletionConfig;
  c.enabled = bool('enabled', raw.enabled);
  c.extendTop = bool('extendTop', raw.extendTop);
  c.validMinM = num('validMinM', raw.validMinM, 0, false);
  c.nearMaxM = num('nearMaxM', raw.nearMaxM, c.validMinM, true);
  c.mediumMaxM = num('mediumMaxM', raw.mediumMaxM, c.nearMaxM, false);
  c.maxDepthM = num('maxDepthM', raw.maxDepthM, c.validMinM, true);
  for (const f of KERNEL_FIELDS) {
    const k = mergeConfigSection(`${P}.${f}`, d[f], (partial as Record<string, unknown>)[f]);
    expectField(`${P}.${f}.shape`, SHAPES.includes(k.shape as KernelShape), `one of ${SHAPES.join(', ')}`, k.shape);
    c[f] = Object.freeze({ shape: k.shape as KernelShape, size: oddSize(`${f}.size`, k.size) });
  }
  c.largeFillIterations = intField(`${P}.largeFillIterations`, raw.largeFillIterations, 0, 100);
  c.medianSize = oddSize('medianSize', raw.medianSize);
  c.blur = oneOfField<DepthBlur>(`${P}.blur`, raw.blur, ['bilateral', 'gaussian', 'none']);
  c.gaussianSize = oddSize('gaussianSize', raw.gaussianSize);
  c.gaussianSigmaPx = num('gaussianSigmaPx', raw.gaussianSigmaPx, 0, false);
  c.bilateralSize = oddSize('bilateralSize', raw.bilateralSize);
  c.bilateralSigmaSpacePx = num('bilateralSigmaSpacePx', raw.bilateralSigmaSpacePx, 0, true);
  c.bilateralSigmaDepthM = num('bilateralSigmaDepthM', raw.bilateralSigmaDepthM, 0, true);
  return Object.freeze(c);
}
// #endregion validate
