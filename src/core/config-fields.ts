/**
 * Field checks shared by every `validateXConfig()`: an object with known fields only, finite
 * numbers in a range, integers, one-of strings, booleans, non-empty strings and nested
 * sections. Each throws a {@link ConfigError} whose `field` is the dotted path of the value
 * (`modalink.nmfFactors`, `depthCompletion.nearKernel.size`) and whose message says what was
 * expected and what was given, in one wording across the library:
 * - `unknown field; known fields: a, b, c`
 * - `expected an integer in [1, 256], got 0`, `expected a finite number > 0, got -1`
 * - `expected 'paper' or 'laptop', got "big"`, `expected true or false, got "yes"`
 */
import { ConfigError } from './errors.js';

/** The dotted path of `key` inside `prefix` (`''` = top level, the key alone). */
export function fieldPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** A value as an error shows it: numbers as written (`NaN`, `Infinity`), the rest as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v) ?? String(v);
}

/**
 * The one way a check fails: throws `ConfigError(field, "expected <expected>, got <got>")` unless `ok`.
 * @param field dotted path of the field, e.g. `pairs.cameras`
 * @param expected what a valid value is, e.g. `an odd integer in [1, 63]`
 */
export function expectField(field: string, ok: boolean, expected: string, got: unknown): void {
  if (!ok) throw new ConfigError(field, `expected ${expected}, got ${formatValue(got)}`);
}

/**
 * Checks that `value` is a config object (not null, not an array) whose own keys are all in
 * `known`, and returns it.
 * @param prefix dotted path of the object (`''` = the top level: keys are named alone and a
 *   non-object is reported as `(root)`)
 * @throws ConfigError at `prefix` for a non-object, at `<prefix>.<key>` for the first unknown key
 */
export function checkConfigObject(prefix: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  expectField(prefix === '' ? '(root)' : prefix, isObject, 'an object', value);
  for (const key of Object.keys(value as object)) {
    if (!known.includes(key)) throw new ConfigError(fieldPath(prefix, key), `unknown field; known fields: ${known.join(', ')}`);
  }
  return value as Record<string, unknown>;
}

/**
 * A nested section: the fields of `given` (any subset of `base`'s) over a copy of `base`.
 * @param prefix dotted path of the section, e.g. `registration.weights`
 * @param given undefined = `base` unchanged
 * @throws ConfigError as {@link checkConfigObject}
 */
export function mergeConfigSection<T extends object>(prefix: string, base: Readonly<T>, given: unknown): T {
  if (given === undefined) return { ...base } as T;
  return { ...base, ...checkConfigObject(prefix, given, Object.keys(base)) } as T;
}

/** The accepted range of a number field; bounds are inclusive unless `minOpen` / `maxOpen`. */
export interface NumberSpec {
  /** Smallest value (default: none). */
  min?: number;
  /** Largest value (default: none). */
  max?: number;
  /** true: `min` itself is rejected, `(min, max]`. Default false. */
  minOpen?: boolean;
  /** true: `max` itself is rejected, `[min, max)`. Default false. */
  maxOpen?: boolean;
  /** true: whole numbers only. Default false. */
  integer?: boolean;
}

/** What a spec accepts in words: `an integer in [1, 64]`, `a finite number > 0`. */
export function describeNumber({ min, max, minOpen = false, maxOpen = false, integer = false }: NumberSpec): string {
  const kind = integer ? 'an integer' : 'a finite number';
  const hasMin = min !== undefined && min > -Infinity;
  const hasMax = max !== undefined && max < Infinity;
  if (hasMin && hasMax) return `${kind} in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  if (hasMin) return `${kind} ${minOpen ? '>' : '>='} ${min}`;
  if (hasMax) return `${kind} ${maxOpen ? '<' : '<='} ${max}`;
  return kind;
}

/**
 * Checks a finite number (an integer if `spec.integer`) within the spec's bounds.
 * @throws ConfigError at `field`, e.g. `expected a finite number in (0, 1], got 0`
 */
export function numberField(field: string, value: unknown, spec: NumberSpec = {}): number {
  const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false, integer = false } = spec;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value))
    && (minOpen ? value > min : value >= min) && (maxOpen ? value < max : value <= max);
  expectField(field, ok, describeNumber(spec), value);
  return value as number;
}

/** Checks an integer in [min, max]; {@link numberField} with `integer: true`. */
export function intField(field: string, value: unknown, min = -Infinity, max = Infinity): number {
  return numberField(field, value, { min, max, integer: true });
}

/**
 * Checks several number fields of one object, in the order of `specs`.
 * @param prefix dotted path of the object; each field is reported as `<prefix>.<key>`
 */
export function numberFields(prefix: string, obj: Readonly<Record<string, unknown>>, specs: Readonly<Record<string, NumberSpec>>): void {
  for (const [key, spec] of Object.entries(specs)) numberField(fieldPath(prefix, key), obj[key], spec);
}

/** Checks `true` or `false`. */
export function booleanField(field: string, value: unknown): boolean {
  expectField(field, typeof value === 'boolean', 'true or false', value);
  return value as boolean;
}

/** Checks a non-empty string (a name or a path). */
export function nonEmptyStringField(field: string, value: unknown): string {
  expectField(field, typeof value === 'string' && value !== '', 'a non-empty string', value);
  return value as string;
}

/**
 * Checks that `value` is one of `options`; the message lists them: `expected 'a', 'b' or 'c'`.
 * @returns the value, typed as the union of the options
 */
export function oneOfField<T extends string>(field: string, value: unknown, options: readonly T[]): T {
  const quoted = options.map((o) => `'${o}'`);
  const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted.join('');
  expectField(field, options.includes(value as T), list, value);
  return value as T;
}
