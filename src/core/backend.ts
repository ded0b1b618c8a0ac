/**
 * The backend loader: chooses where tfjs runs, once per process.
 *
 * Order in automatic mode: `@tensorflow/tfjs-node-gpu` (when it is installed and an NVIDIA
 * GPU is visible), then the native CPU backend `@tensorflow/tfjs-node`, then pure-JS tfjs
 * (with a loud warning: about 150x slower for convolutions). `I2P_BACKEND=gpu|node|cpu`
 * forces one and throws when it cannot be had. On native CPU it installs the oneDNN crash
 * guard (src/core/onednn-guard.ts; `I2P_ONEDNN_GUARD=0` leaves TensorFlow's kernel as it is).
 * @see notebooks/00-setup-and-notation.ipynb
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { ONEDNN_GUARD_DESCRIPTION, installOnednnGuard } from './onednn-guard.js';
import { NATIVE_KERNELS_DESCRIPTION, installNativeKernels } from './native-kernels.js';

/** Which backend runs: `gpu` = tfjs-node-gpu, `node` = native CPU, `cpu` = pure JS. */
export type BackendKind = 'gpu' | 'node' | 'cpu';

/** What {@link initBackend} chose and why. */
export interface BackendInfo {
  /** The kind that runs. */
  kind: BackendKind;
  /** tfjs backend name: `tensorflow` for native (CPU or GPU), `cpu` for pure JS. */
  name: string;
  /** The npm package that provides it. */
  packageName: string;
  /** True when TensorFlow placed its ops on a GPU device. */
  gpu: boolean;
  /** Version of @tensorflow/tfjs-core in use. */
  tfjsVersion: string;
  /** True when I2P_BACKEND forced the choice. */
  forced: boolean;
  /** Why faster backends were skipped, one line each (empty when the first choice worked). */
  skipped: string[];
  /** One human-readable line, e.g. "native CPU (tfjs-node, TensorFlow C library)". */
  description: string;
  /**
   * Workarounds installed on the backend, one line each: on native backends the native
   * gradient kernels unless I2P_NATIVE_KERNELS=0 (src/core/native-kernels.ts); on native CPU,
   * the oneDNN crash guard unless I2P_ONEDNN_GUARD=0 (src/core/onednn-guard.ts).
   */
  guards: string[];
}

const req = createRequire(import.meta.url);
let chosen: BackendInfo | undefined;

/** True when an NVIDIA GPU device node or driver is visible to this process. */
export function gpuVisible(): boolean {
  if (process.env.CUDA_VISIBLE_DEVICES === '' || process.env.CUDA_VISIBLE_DEVICES === '-1') return false;
  return fs.existsSync('/dev/nvidia0') || fs.existsSync('/proc/driver/nvidia/version');
}

function packageInstalled(pkg: string): boolean {
  try { req.resolve(`${pkg}/package.json`); return true; } catch { return false; }
}

function tryNative(pkg: string): string | undefined {
  if (!packageInstalled(pkg)) return `${pkg} is not installed`;
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  try {
    req(pkg);
  } catch (e) {
    const msg = String((e as Error).message ?? e).split('\n')[0];
    return `${pkg} is installed but its native binding did not load (${msg}); run 'npm rebuild' or 'npm install' again`;
  }
  if (!tf.findBackend('tensorflow')) return `${pkg} loaded but registered no 'tensorflow' backend`;
  void tf.setBackend('tensorflow'); // synchronous for a synchronous backend
  if (tf.getBackend() !== 'tensorflow') return `${pkg}: tf.setBackend('tensorflow') failed`;
  return undefined;
}

function describe(kind: BackendKind, gpu: boolean): string {
  if (kind === 'gpu') return gpu ? 'GPU (tfjs-node-gpu, CUDA)' : 'tfjs-node-gpu, but TensorFlow found no GPU device: running on CPU';
  if (kind === 'node') return 'native CPU (tfjs-node, TensorFlow C library)';
  return 'pure JavaScript (tfjs cpu backend): about 150x slower than native for convolutions';
}

function finish(kind: BackendKind, packageName: string, forced: boolean, skipped: string[]): BackendInfo {
  const be = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  const gpu = kind === 'gpu' && be.isUsingGpuDevice === true;
  const guards: string[] = [];
  // TensorFlow's own gradient kernels instead of tfjs's generic ones (CPU and GPU alike); first, so
  // that the guard wraps them and uninstalling the guard leaves them in place
  if (kind !== 'cpu' && process.env.I2P_NATIVE_KERNELS !== '0' && installNativeKernels()) guards.push(NATIVE_KERNELS_DESCRIPTION);
  // TensorFlow's CPU kernels (oneDNN) run unless a GPU took the ops
  if (kind !== 'cpu' && !gpu && process.env.I2P_ONEDNN_GUARD !== '0' && installOnednnGuard()) guards.push(ONEDNN_GUARD_DESCRIPTION);
  chosen = {
    kind, name: tf.getBackend(), packageName, gpu, tfjsVersion: tf.version_core, forced, skipped,
    description: describe(kind, gpu), guards,
  };
  return chosen;
}

/**
 * Loads and selects the backend (idempotent: later calls return the first choice).
 * @returns what runs, and why faster choices were skipped
 * @throws Error when I2P_BACKEND forces a backend that cannot be loaded
 */
export function initBackend(): BackendInfo {
  if (chosen) return chosen;
  const forcedRaw = process.env.I2P_BACKEND?.trim().toLowerCase();
  if (forcedRaw && !['gpu', 'node', 'cpu'].includes(forcedRaw)) {
    throw new Error(`I2P_BACKEND must be one of gpu, node, cpu; got '${process.env.I2P_BACKEND}'`);
  }
  const forced = forcedRaw as BackendKind | undefined;
  const skipped: string[] = [];

  if (forced === 'gpu' || (!forced && packageInstalled('@tensorflow/tfjs-node-gpu'))) {
    if (!gpuVisible()) {
      skipped.push('no NVIDIA GPU visible (/dev/nvidia0 absent or CUDA_VISIBLE_DEVICES empty)');
      if (forced) throw new Error(`I2P_BACKEND=gpu, but ${skipped[0]}`);
    } else {
      const why = tryNative('@tensorflow/tfjs-node-gpu');
      if (!why) {
        const info = finish('gpu', '@tensorflow/tfjs-node-gpu', !!forced, skipped);
        if (forced && !info.gpu) throw new Error('I2P_BACKEND=gpu: tfjs-node-gpu loaded but TensorFlow found no GPU device (check CUDA 11.2 / cuDNN 8.1 libraries on LD_LIBRARY_PATH)');
        return info;
      }
      if (forced) throw new Error(`I2P_BACKEND=gpu: ${why}`);
      skipped.push(why);
    }
  }
  if (forced !== 'cpu') {
    const why = tryNative('@tensorflow/tfjs-node');
    if (!why) return finish('node', '@tensorflow/tfjs-node', !!forced, skipped);
    if (forced) throw new Error(`I2P_BACKEND=node: ${why}`);
    skipped.push(why);
  }
  void tf.setBackend('cpu');
  const info = finish('cpu', '@tensorflow/tfjs', !!forced, skipped);
  if (!forced) {
    const bar = '!'.repeat(78);
    process.emitWarning(`\n${bar}\ni2p-lab: the native TensorFlow backend is NOT available; running on pure-JS tfjs\n(${skipped.join('; ')}).\nTraining will be very slow. Run 'npm install' again to build the native backend.\n${bar}`);
  }
  return info;
}

/** The current choice (initialising on first use). */
export function backendInfo(): BackendInfo {
  return initBackend();
}
