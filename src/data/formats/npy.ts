/**
 * NumPy `.npy` files (format version 1.0 written; 1.0 to 3.0 read), for handing arrays to
 * Python tools and back.
 *
 * Layout (numpy.lib.format): the magic `\x93NUMPY`, version bytes (1, 0), a little-endian
 * uint16 header length, then an ASCII dict such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces and
 * ended by `\n` so that the data starts at a multiple of 64 bytes; then the raw values,
 * little-endian, C (row-major) order. Assumes a little-endian host.
 */
import { InputError } from '../../core/errors.js';
import { readFileChecked, writeFileChecked } from './file-io.js';

/** The dtypes this module reads and writes, as NumPy spells them. */
export type NpyDtype = '<f4' | '<f8' | '|u1' | '<i4';

/** The typed arrays that map to {@link NpyDtype}s. */
export type NpyData = Float32Array | Float64Array | Uint8Array | Int32Array;

/** An array read from a .npy file. */
export interface NpyArray {
  /** [prod(shape)] values in C order. */
  data: NpyData;
  /** The shape, outermost axis first; `[]` for a scalar. */
  shape: number[];
  /** The dtype of `data`. */
  dtype: NpyDtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const CTORS = {
  '<f4': Float32Array, '<f8': Float64Array, '|u1': Uint8Array, '<i4': Int32Array,
} as const;
const ALIASES: Record<string, NpyDtype> = { '<f4': '<f4', '<f8': '<f8', '|u1': '|u1', '<u1': '|u1', 'u1': '|u1', '<i4': '<i4' };

/** The NumPy dtype string of a typed array (`Float32Array` -> `<f4`). */
export function npyDtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int32Array) return '<i4';
  throw new TypeError('npy: data must be a Float32Array, Float64Array, Uint8Array or Int32Array');
}

function checkShape(shape: ReadonlyArray<number>, length: number, where: string): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`${where}: shape [${shape.join(', ')}] must hold non-negative integers`);
  }
  const size = shape.reduce((a, d) => a * d, 1);
  if (size !== length) {
    throw new RangeError(`${where}: shape [${shape.join(', ')}] holds ${size} values, but data has ${length}`);
  }
}

/**
 * Encodes an array as the bytes of a .npy v1.0 file.
 * @param data - [prod(shape)] values in C (row-major) order.
 * @param shape - the array's shape, outermost axis first (`[]` for a scalar).
 * @returns the bytes of the file; the data starts at a multiple of 64 bytes.
 * @throws RangeError when `shape` does not hold exactly `data.length` values.
 */
export function encodeNpy(data: NpyData, shape: ReadonlyArray<number>): Uint8Array {
  const dtype = npyDtypeOf(data);
  checkShape(shape, data.length, 'encodeNpy');
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1; // magic, version, length, dict, '\n'
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const start = MAGIC.length + 4 + header.length;
  const out = new Uint8Array(start + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), start);
  return out;
}

/**
 * Decodes the bytes of a .npy file.
 * @param buf - the bytes of a .npy file (version 1.0, 2.0 or 3.0, C order, a dtype of {@link NpyDtype}).
 * @param name - the file name or label used in error messages.
 * @returns the data (a fresh, aligned copy), its shape and dtype.
 * @throws InputError naming `name` on a bad magic, an unsupported dtype, Fortran order,
 *   or a data size that does not match the header's shape.
 */
export function decodeNpy(buf: Uint8Array, name = '<npy buffer>'): NpyArray {
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) {
    throw new InputError(name, 'not a .npy file (expected the magic string \\x93NUMPY)');
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const major = buf[6];
  if (major < 1 || major > 3) throw new InputError(name, `unsupported .npy version ${major}.${buf[7]} (expected 1.0 to 3.0)`);
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes + headerLen;
  if (start > buf.length) throw new InputError(name, `header of ${headerLen} bytes runs past the end of the file (${buf.length} bytes)`);
  const header = new TextDecoder().decode(buf.subarray(8 + lenBytes, start));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new InputError(name, `malformed .npy header ${JSON.stringify(header.trim())} (expected descr, fortran_order and shape)`);
  }
  const dtype = ALIASES[descr];
  if (dtype === undefined) {
    throw new InputError(name, `unsupported dtype '${descr}' (expected one of ${Object.keys(CTORS).join(', ')})`);
  }
  if (fortran === 'True') throw new InputError(name, 'Fortran-order arrays are not supported (expected fortran_order False)');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new InputError(name, `bad shape (${shapeText}) in header`);
  const Ctor = CTORS[dtype];
  const size = shape.reduce((a, d) => a * d, 1);
  const expected = size * Ctor.BYTES_PER_ELEMENT;
  const got = buf.length - start;
  if (got !== expected) {
    throw new InputError(name, `shape [${shape.join(', ')}] of '${dtype}' needs ${expected} data bytes, the file holds ${got}`);
  }
  const bytes = new Uint8Array(expected);
  bytes.set(buf.subarray(start));
  return { data: new Ctor(bytes.buffer), shape, dtype };
}

/**
 * Writes an array as a .npy v1.0 file, creating parent folders.
 * @param file - path of the .npy file.
 * @param data - [prod(shape)] values in C (row-major) order.
 * @param shape - the array's shape, outermost axis first.
 */
export function writeNpy(file: string, data: NpyData, shape: ReadonlyArray<number>): void {
  writeFileChecked(file, encodeNpy(data, shape));
}

/**
 * Reads a .npy file.
 * @param file - path of the .npy file.
 * @returns the data, its shape and dtype.
 * @throws InputError naming `file` when it is absent or not a supported .npy array.
 */
export function readNpy(file: string): NpyArray {
  return decodeNpy(readFileChecked(file, 'a NumPy .npy array'), file);
}
