/**
 * Errors raised for bad input. Each names what was wrong (the file, the field) and what
 * was expected, so that a reader can fix the input without reading the library's code.
 */

/** Bad input data: a file that is truncated or malformed, or values out of range. */
export class InputError extends Error {
  /** The file or field at fault. */
  readonly where: string;
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'InputError';
    this.where = where;
  }
}

/** A configuration field out of range or of the wrong type. */
export class ConfigError extends Error {
  /** Dotted path of the field, e.g. `depthImage.maxRangeM`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`config field '${field}': ${message}`);
    this.name = 'ConfigError';
    this.field = field;
  }
}
