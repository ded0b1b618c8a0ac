/**
 * Reader and writer of the safetensors format (Hugging Face), the usual way to move PyTorch
 * weights to other runtimes without pickle.
 *
 * Layout: 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { string: string } }`,
 * then the raw little-endian tensor bytes; offsets are relative to the end of the header.
 * Floating types (F32, F16, BF16, F64) are returned as Float32Array; integer types as
 * Int32Array (I32) or BigInt64Array (I64, e.g. batch norm's `num_batches_tracked`).
 * @see https://github.com/huggingface/safetensors#format
 */
import fs from 'node:fs';
import { InputError } from '../core/errors.js';

/** Element types this module reads and writes. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I32' | 'I64';

/** One tensor: row-major values (PyTorch's order, e.g. OIHW for a conv filter). */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Float32Array for F32/F16/BF16/F64 (converted), Int32Array for I32, BigInt64Array for I64. */
  data: Float32Array | Int32Array | BigInt64Array;
}

/** A parsed file. */
export interface SafetensorsFile {
  /** Tensors by name, in header order. */
  tensors: Map<string, SafetensorsTensor>;
  /** The optional `__metadata__` string map. */
  metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I32: 4, I64: 8 };
const MAX_HEADER_BYTES = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE half (binary16) bits -> number; exact (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** number -> IEEE half bits, rounding to nearest even; overflow gives infinity. */
export function floatToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(Math.fround(x));
  if (a >= 65520) return sign | 0x7c00; // rounds past the largest half (65504)
  if (a < 2 ** -14) { // subnormal: units of 2^-24
    return sign | roundEven(a * 2 ** 24);
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1; // guard against log2 rounding
  const m = roundEven((a / 2 ** e - 1) * 1024);
  return sign | (((e + 15) << 10) + m); // a mantissa carry of 1024 moves into the exponent
}

function roundEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** number -> bfloat16 bits (upper half of the float32), rounding to nearest even. */
export function floatToBfloat16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if (Number.isNaN(x)) return (b >>> 16) | 0x40;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

function decode(dtype: SafetensorsDtype, bytes: Uint8Array, n: number): SafetensorsTensor['data'] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': {
      if (LITTLE_ENDIAN) { // aligned copy (not bytes.slice(): a Node Buffer's slice is a view)
        const copy = new Uint8Array(4 * n);
        copy.set(bytes);
        return new Float32Array(copy.buffer);
      }
      const o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = dv.getFloat32(4 * i, true);
      return o;
    }
    case 'F64': { const o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = dv.getFloat64(8 * i, true); return o; }
    case 'F16': { const o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = halfToFloat(dv.getUint16(2 * i, true)); return o; }
    case 'BF16': {
      const o = new Float32Array(n);
      const ob = new Uint32Array(o.buffer);
      for (let i = 0; i < n; i++) ob[i] = dv.getUint16(2 * i, true) << 16;
      return o;
    }
    case 'I32': { const o = new Int32Array(n); for (let i = 0; i < n; i++) o[i] = dv.getInt32(4 * i, true); return o; }
    case 'I64': { const o = new BigInt64Array(n); for (let i = 0; i < n; i++) o[i] = dv.getBigInt64(8 * i, true); return o; }
  }
}

/**
 * Parses safetensors bytes.
 * @param bytes the whole file
 * @param where the file name, for error messages
 * @throws InputError naming the file (and the tensor) for a truncated file, a malformed
 *   header, an unsupported dtype, or offsets that disagree with the shape or the file size
 */
export function parseSafetensors(bytes: Uint8Array, where = '<bytes>'): SafetensorsFile {
  if (bytes.byteLength < 8) throw new InputError(where, `truncated: ${bytes.byteLength} bytes, the 8-byte header length is missing`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n > MAX_HEADER_BYTES) throw new InputError(where, `bad header: header length ${n} bytes exceeds ${MAX_HEADER_BYTES} (not a safetensors file?)`);
  if (8 + n > bytes.byteLength) throw new InputError(where, `truncated: header of ${n} bytes, but the file has ${bytes.byteLength - 8} after the length`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new InputError(where, `bad header: not UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new InputError(where, 'bad header: expected a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.byteLength - dataStart;
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') { metadata = (info ?? {}) as Record<string, string>; continue; }
    const at = `${where}: tensor '${name}'`;
    const { dtype, shape, data_offsets: off } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !(dtype in BYTES)) throw new InputError(at, `unsupported dtype ${JSON.stringify(dtype)}; expected one of ${Object.keys(BYTES).join(', ')}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new InputError(at, `bad header: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[1] < off[0]) {
      throw new InputError(at, `bad header: data_offsets ${JSON.stringify(off)} is not [begin, end] with 0 <= begin <= end`);
    }
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    const size = count * BYTES[dtype as SafetensorsDtype];
    if (off[1] - off[0] !== size) throw new InputError(at, `data_offsets [${off[0]}, ${off[1]}] span ${off[1] - off[0]} bytes; shape [${shape.join(', ')}] of ${dtype} needs ${size}`);
    if (off[1] > dataLen) throw new InputError(at, `offsets out of range: data ends at byte ${off[1]}, but the data section has ${dataLen} bytes (truncated file?)`);
    const raw = bytes.subarray(dataStart + off[0], dataStart + off[1]);
    tensors.set(name, { dtype: dtype as SafetensorsDtype, shape: shape as number[], data: decode(dtype as SafetensorsDtype, raw, count) });
  }
  return { tensors, metadata };
}

/** Reads and parses a .safetensors file (the whole file is read into memory). */
export function readSafetensors(file: string): SafetensorsFile {
  return parseSafetensors(fs.readFileSync(file), file);
}

/** What the writer takes: values as numbers (any typed array), converted to `dtype`. */
export interface SafetensorsInput {
  dtype: SafetensorsDtype;
  shape: number[];
  data: ArrayLike<number> | BigInt64Array;
}

/**
 * Encodes tensors as safetensors bytes (header padded with spaces to 8-byte alignment).
 * @throws RangeError naming the tensor when its data length disagrees with its shape
 */
export function encodeSafetensors(tensors: Record<string, SafetensorsInput>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) throw new RangeError(`writeSafetensors: tensor '${name}': shape [${t.shape.join(', ')}] needs ${count} values, got ${t.data.length}`);
    const size = count * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.byteLength + offset);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let p = 8 + head.byteLength;
  for (const [, t] of entries) {
    const d = t.data;
    for (let i = 0; i < d.length; i++, p += BYTES[t.dtype]) {
      const v = d[i];
      switch (t.dtype) {
        case 'F32': dv.setFloat32(p, Number(v), true); break;
        case 'F64': dv.setFloat64(p, Number(v), true); break;
        case 'F16': dv.setUint16(p, floatToHalf(Number(v)), true); break;
        case 'BF16': dv.setUint16(p, floatToBfloat16(Number(v)), true); break;
        case 'I32': dv.setInt32(p, Number(v), true); break;
        case 'I64': dv.setBigInt64(p, BigInt(v), true); break;
      }
    }
  }
  return out;
}

/** Writes tensors to a .safetensors file (see {@link encodeSafetensors}). */
export function writeSafetensors(file: string, tensors: Record<string, SafetensorsInput>, metadata?: Record<string, string>): void {
  fs.writeFileSync(file, encodeSafetensors(tensors, metadata));
}
