/** Test helper: a tiny torchvision-style ResNet state dict (what `torch.save(model.state_dict())` names). */
import { createRng } from '../../src/core/rng.js';
import type { SafetensorsInput } from '../../src/nn/safetensors.js';

/**
 * A state dict named like torchvision's for a ResNet with one BasicBlock per layer of these
 * widths (stem = widths[0]), conv filters OIHW, random but well-scaled values, plus tensors a
 * loader must ignore (num_batches_tracked, layer4, fc).
 */
export function torchvisionStateDict(widths: number[], seed: number): Record<string, SafetensorsInput> {
  const rng = createRng(seed);
  const sd: Record<string, SafetensorsInput> = {};
  const conv = (name: string, o: number, i: number, k: number): void => {
    const std = Math.sqrt(1 / (i * k * k));
    sd[`${name}.weight`] = { dtype: 'F32', shape: [o, i, k, k], data: Array.from({ length: o * i * k * k }, () => std * rng.normal()) };
  };
  const bn = (name: string, c: number): void => {
    const u = (lo: number, hi: number): number[] => Array.from({ length: c }, () => rng.uniform(lo, hi));
    sd[`${name}.weight`] = { dtype: 'F32', shape: [c], data: u(0.5, 1.5) };
    sd[`${name}.bias`] = { dtype: 'F32', shape: [c], data: u(-0.5, 0.5) };
    sd[`${name}.running_mean`] = { dtype: 'F32', shape: [c], data: u(-0.5, 0.5) };
    sd[`${name}.running_var`] = { dtype: 'F32', shape: [c], data: u(0.5, 2) };
    sd[`${name}.num_batches_tracked`] = { dtype: 'I64', shape: [], data: new BigInt64Array([10n]) };
  };
  conv('conv1', widths[0], 3, 7); bn('bn1', widths[0]);
  widths.forEach((o, l) => {
    const i = l === 0 ? widths[0] : widths[l - 1];
    const p = `layer${l + 1}.0`;
    conv(`${p}.conv1`, o, i, 3); bn(`${p}.bn1`, o); conv(`${p}.conv2`, o, o, 3); bn(`${p}.bn2`, o);
    if (l > 0) { conv(`${p}.downsample.0`, o, i, 1); bn(`${p}.downsample.1`, o); }
  });
  conv('layer4.0.conv1', 16, widths[widths.length - 1], 3); // ignored
  sd['fc.weight'] = { dtype: 'F32', shape: [2, 16], data: [...Array(32).keys()] };
  return sd;
}

