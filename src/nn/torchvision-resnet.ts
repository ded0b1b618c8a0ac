/**
 * ImageNet start for the encoder: loads a torchvision ResNet state dict saved as
 * `.safetensors` into an {@link Encoder} (resnet.ts).
 *
 * Export the weights once, in Python (torch, torchvision and safetensors installed):
 * ```python
 * import torch, torchvision; from safetensors.torch import save_file
 * m = torchvision.models.resnet34(weights='IMAGENET1K_V1'); save_file(m.state_dict(), 'resnet34.safetensors')
 * ```
 * then `loadTorchvisionResnet(encoder, 'resnet34.safetensors')` with the `paper` preset.
 *
 * Convention: PyTorch stores conv filters OIHW ([outC, inC, kH, kW]) for NCHW images;
 * tfjs wants HWIO ([kH, kW, inC, outC]) for NHWC images, so each filter is transposed by
 * (2, 3, 1, 0). Batch-norm tensors ([C]) map one to one: `weight` = gamma, `bias` = beta,
 * `running_mean`, `running_var`. `num_batches_tracked`, `layer4.*` and `fc.*` are ignored.
 * The encoder's variables carry the state-dict names, so the mapping is a name lookup.
 * Inputs must then be normalised like ImageNet: `(rgb / 255 - IMAGENET_MEAN) / IMAGENET_STD`.
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf } from '../core/tf.js';
import type { Tensor, Tensor4D, Variable } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { readSafetensors } from './safetensors.js';
import type { SafetensorsFile } from './safetensors.js';
import type { Encoder } from './resnet.js';

/** A tfjs variable (tf.ts exports no Variable type). */

/** ImageNet channel means (R, G, B) for images scaled to [0, 1] (torchvision's). */
export const IMAGENET_MEAN: readonly [number, number, number] = Object.freeze([0.485, 0.456, 0.406]) as [number, number, number];
/** ImageNet channel standard deviations (R, G, B) for images scaled to [0, 1]. */
export const IMAGENET_STD: readonly [number, number, number] = Object.freeze([0.229, 0.224, 0.225]) as [number, number, number];

/**
 * ImageNet normalisation, `(x - mean) / std` per channel.
 * @param x [B, H, W, 3] float32, RGB in [0, 1]
 * @returns [B, H, W, 3] float32
 */
export function normalizeImagenet(x: Tensor4D): Tensor4D {
  if (x.rank !== 4 || x.shape[3] !== 3) throw new RangeError(`normalizeImagenet: x: expected shape [B, H, W, 3], got [${x.shape.join(', ')}]`);
  return tf.tidy(() => x.sub(tf.tensor1d([...IMAGENET_MEAN])).div(tf.tensor1d([...IMAGENET_STD])));
}

/** What a load did. */
export interface TorchvisionLoadReport {
  /** State-dict names copied into the encoder. */
  loaded: string[];
  /** State-dict names in the file that the encoder has no place for (layer4, fc, extra blocks, num_batches_tracked). */
  ignored: string[];
}

/** The state-dict shape that an encoder variable expects (filters: HWIO -> OIHW). */
function torchShape(v: Variable): number[] {
  const s = v.shape as number[];
  return v.rank === 4 ? [s[3], s[2], s[0], s[1]] : [...s];
}

/**
 * Copies a torchvision ResNet state dict into the encoder's variables (all of them: filters,
 * batch-norm gamma/beta and running statistics). Nothing is changed unless every tensor is
 * present and well-shaped.
 * @param encoder an encoder whose config matches the file (ResNet34: `paper` preset; ResNet18: blocks [2, 2, 2])
 * @param source a .safetensors path, or an already parsed file
 * @returns which names were loaded and which ignored
 * @throws InputError naming the file, the tensor and the expected shape when a tensor is
 *   missing, mis-shaped, or of an integer dtype
 */
export function loadTorchvisionResnet(encoder: Encoder, source: string | SafetensorsFile): TorchvisionLoadReport {
  const where = typeof source === 'string' ? source : '<safetensors>';
  const file = typeof source === 'string' ? readSafetensors(source) : source;
  const values: [Variable, Tensor][] = [];
  try {
    for (const [name, v] of encoder.variables) {
      const t = file.tensors.get(name);
      const want = torchShape(v);
      if (!t) throw new InputError(`${where}: tensor '${name}'`, `missing; expected shape [${want.join(', ')}] (is this a torchvision ResNet state dict matching the encoder config?)`);
      if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
        throw new InputError(`${where}: tensor '${name}'`, `expected shape [${want.join(', ')}], got [${t.shape.join(', ')}]`);
      }
      if (!(t.data instanceof Float32Array)) throw new InputError(`${where}: tensor '${name}'`, `expected a floating dtype, got ${t.dtype}`);
      const data = t.data;
      const value = tf.tidy(() => (v.rank === 4
        ? tf.tensor4d(data, t.shape as [number, number, number, number]).transpose([2, 3, 1, 0]) // OIHW -> HWIO
        : tf.tensor(data, t.shape)));
      values.push([v, value]);
    }
    for (const [v, value] of values) v.assign(value);
  } finally {
    for (const [, value] of values) value.dispose();
  }
  const loaded = [...encoder.variables.keys()];
  const ignored = [...file.tensors.keys()].filter((k) => !encoder.variables.has(k));
  return { loaded, ignored };
}
