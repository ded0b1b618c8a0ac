/**
 * The PyTorch port of the registration model (bench/torch_registration.py) from the TS side:
 * the config it builds the network from, and one run of it for a preset.
 *
 * Run directly, it prints a preset's config JSON, for running the port by hand:
 *   npx tsx bench/lib/registration-torch.ts laptop > /tmp/laptop.json
 *   python3 bench/torch_registration.py --config /tmp/laptop.json --threads 2 --forward-batches 1 --train-batches 1
 */
import { fileURLToPath } from 'node:url';
import { IMAGE_ENCODER_PRESETS, validateImageEncoderConfig } from '../../src/registration/image-encoder.js';
import { POINT_ENCODER_PRESETS, validatePointEncoderConfig } from '../../src/registration/point-encoder.js';
import { PRE_RECIPE_SWITCHES, REGISTRATION_PRESETS, registrationPairConfig, validateRegistrationConfig, type RegistrationConfig } from '../../src/registration/config.js';
import { cameraMatrix } from '../../src/geometry/camera.js';
import { presetCamera } from './registration-inputs.js';
import { runTorchScript } from './torch-python.js';

/** What torch_registration.py prints: ms per CALL of `batch` pairs, keyed by batch size. */
export interface TorchRegistrationResult {
  torch: string; threads: number; preset: string;
  /** Trainable scalars of the port. */ params: number;
  /** GFLOP/s of a 3x3 conv 64 -> 64 on 64 x 256 at batch 4 in the port's process. */ conv_gflops: number;
  /** FlopCounterMode at batch 1 (convolutions and matmuls; forward, or forward + backward). */
  forward_gflop_per_pair?: number; train_gflop_per_pair?: number;
  forward_ms: Record<string, number>; forward_min_ms: Record<string, number>; forward_runs: Record<string, number>;
  train_step_ms: Record<string, number>; train_min_ms: Record<string, number>; train_runs: Record<string, number>;
  peak_rss_mib: number;
}

/**
 * The presets as the PyTorch port builds them: bench/torch_registration.py implements the
 * general 6D frustum head with gradients through and plain BCE (the recipe before issue 11),
 * so the tfjs side of every side-by-side bench uses the same switches (PRE_RECIPE_SWITCHES).
 * The heads differ by 5 x (headHidden + 1) weights and a handful of ops, nothing a timing sees.
 */
export const BENCH_REGISTRATION_PRESETS: Readonly<Record<'laptop' | 'paper', Readonly<RegistrationConfig>>> = Object.freeze({
  laptop: validateRegistrationConfig({ ...REGISTRATION_PRESETS.laptop, ...PRE_RECIPE_SWITCHES }),
  paper: validateRegistrationConfig({ ...REGISTRATION_PRESETS.paper, ...PRE_RECIPE_SWITCHES }),
});

/**
 * The config the port builds from: the validated registration config with its resolved image
 * encoder, point encoder and pair config, and the preset camera's K ([9] row-major, pixels).
 */
export function torchRegistrationConfig(c: Readonly<RegistrationConfig>): Record<string, unknown> {
  return {
    ...c,
    imageEncoder: validateImageEncoderConfig(c.imageEncoder, IMAGE_ENCODER_PRESETS[c.encoderPreset]),
    pointEncoder: validatePointEncoderConfig(c.pointEncoder, POINT_ENCODER_PRESETS[c.encoderPreset]),
    pairs: registrationPairConfig(c),
    K: Array.from(cameraMatrix(presetCamera(c))),
  };
}

/** Options of {@link runTorchRegistration}. */
export interface TorchRegistrationRun {
  threads: number; reps: number; budgetS: number;
  /** Batch sizes of the forward rows and of the training-step rows (either may be empty). */
  forwardBatches: number[]; trainBatches: number[];
}

/** Runs the port for `c`: the parsed result, or a sentence saying why there is none. */
export function runTorchRegistration(c: Readonly<RegistrationConfig>, o: TorchRegistrationRun): TorchRegistrationResult | string {
  return runTorchScript<TorchRegistrationResult>('torch_registration.py', [
    '--config', '-', '--threads', String(o.threads), '--reps', String(o.reps), '--budget-s', String(o.budgetS),
    '--forward-batches', o.forwardBatches.join(','), '--train-batches', o.trainBatches.join(','),
  ], JSON.stringify(torchRegistrationConfig(c)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2] as 'laptop' | 'paper';
  if (!(name in REGISTRATION_PRESETS)) throw new Error(`registration-torch.ts: expected a preset name (laptop or paper), got ${name}`);
  console.log(JSON.stringify(torchRegistrationConfig(BENCH_REGISTRATION_PRESETS[name as 'laptop' | 'paper']), null, 1));
}
