import { InputError } from '@backstage/errors';

/** An attribute value as the engine stores and serves it. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/**
 * Walks an OTLP/JSON document and names the place of every problem, so
 * that a 400 says which field of which span was wrong. A path is a link to
 * its parent and one step, and is written out only when it names a
 * problem: readers make one for every field they read, and an export of
 * 512 spans reads tens of thousands of fields.
 */
export class OtlpPath {
  private readonly parent?: OtlpPath;
  private readonly step: string;

  constructor(parent?: OtlpPath, step = '') {
    this.parent = parent;
    this.step = step;
  }

  field(name: string) {
    return new OtlpPath(this, `.${name}`);
  }

  index(i: number) {
    return new OtlpPath(this, `[${i}]`);
  }

  toString() {
    return this.steps().replace(/^\./, '') || 'request body';
  }

  private steps(): string {
    return (this.parent ? this.parent.steps() : '') + this.step;
  }

  fail(expected: string, value: unknown): never {
    throw new InputError(
      `${this}: expected ${expected}, got ${describe(value)}`,
    );
  }
}

function describe(value: unknown) {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `'${shown}'`;
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object') {
    return 'an object';
  }
  return String(value);
}

export function asObject(value: unknown, path: OtlpPath) {
  if (value === undefined || value === null) {
    return {} as Record<string, unknown>;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return path.fail('an object', value);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, path: OtlpPath): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    return path.fail('an array', value);
  }
  return value;
}

export function asString(value: unknown, path: OtlpPath): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value !== 'string') {
    return path.fail('a string', value);
  }
  return value;
}

/** A 32-bit field or an enum: a JSON number, never an enum name. */
export function asInteger(value: unknown, path: OtlpPath): number {
  if (value === undefined || value === null) {
    return 0;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return path.fail('an integer', value);
  }
  return value;
}

const DECIMAL = /^-?\d{1,20}$/;

/** A decimal already as BigInt would write it: no sign, no leading 0. */
const CANONICAL_UNSIGNED = /^(0|[1-9]\d{0,19})$/;

/**
 * A 64-bit integer, which OTLP/JSON writes as a decimal string but which
 * receivers must accept as a number too. Returned as a decimal string so
 * that nanosecond timestamps keep every digit.
 */
export function asInt64(value: unknown, path: OtlpPath): string {
  if (value === undefined || value === null || value === '') {
    return '0';
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  if (typeof value === 'string' && CANONICAL_UNSIGNED.test(value)) {
    // Timestamps, nearly always: nothing to normalise.
    return value;
  }
  if (typeof value === 'string' && DECIMAL.test(value)) {
    return BigInt(value).toString();
  }
  return path.fail('a 64-bit integer as a decimal string or number', value);
}

const HEX = /^[0-9a-fA-F]*$/;
const LOWER_HEX = /^[0-9a-f]*$/;
const ZEROS = /^0+$/;

/**
 * A trace or span id: hex of the given byte length, case-insensitive, stored
 * lower-case. Empty means not set. An id of all zeros is invalid by the
 * specification and treated as not set.
 */
export function asHexId(
  value: unknown,
  bytes: number,
  path: OtlpPath,
): string | undefined {
  const text = asString(value, path);
  if (text === '') {
    return undefined;
  }
  if (text.length !== bytes * 2) {
    return path.fail(`${bytes * 2} hex digits`, text);
  }
  // Lower case is what exporters send and what is stored.
  let id = text;
  if (!LOWER_HEX.test(text)) {
    if (!HEX.test(text)) {
      return path.fail(`${bytes * 2} hex digits`, text);
    }
    id = text.toLowerCase();
  }
  return ZEROS.test(id) ? undefined : id;
}

/** Reads an OTLP AnyValue into a plain value. */
export function readAnyValue(value: unknown, path: OtlpPath): AttributeValue {
  const any = asObject(value, path);

  if ('stringValue' in any) {
    return asString(any.stringValue, path.field('stringValue'));
  }
  if ('boolValue' in any) {
    if (typeof any.boolValue !== 'boolean') {
      return path.field('boolValue').fail('a boolean', any.boolValue);
    }
    return any.boolValue;
  }
  if ('intValue' in any) {
    const text = asInt64(any.intValue, path.field('intValue'));
    const number = Number(text);
    // Integers beyond 2^53 stay exact as strings.
    return Number.isSafeInteger(number) ? number : text;
  }
  if ('doubleValue' in any) {
    return readDouble(any.doubleValue, path.field('doubleValue'));
  }
  if ('arrayValue' in any) {
    const array = asObject(any.arrayValue, path.field('arrayValue'));
    const valuesPath = path.field('arrayValue').field('values');
    return asArray(array.values, valuesPath).map((item, i) =>
      readAnyValue(item, valuesPath.index(i)),
    );
  }
  if ('kvlistValue' in any) {
    const list = asObject(any.kvlistValue, path.field('kvlistValue'));
    return readAttributes(
      list.values,
      path.field('kvlistValue').field('values'),
    );
  }
  if ('bytesValue' in any) {
    return asString(any.bytesValue, path.field('bytesValue'));
  }
  return null;
}

/** proto3 JSON writes the special doubles as strings. */
function readDouble(value: unknown, path: OtlpPath): AttributeValue {
  if (typeof value === 'number') {
    return value;
  }
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') {
    return value;
  }
  return path.fail('a number', value);
}

/** Reads a list of OTLP KeyValues into an object. */
export function readAttributes(value: unknown, path: OtlpPath): Attributes {
  const attributes: Attributes = {};
  asArray(value, path).forEach((item, i) => {
    const entry = asObject(item, path.index(i));
    const key = asString(entry.key, path.index(i).field('key'));
    attributes[key] = readAnyValue(entry.value, path.index(i).field('value'));
  });
  return attributes;
}

/**
 * A double as a JavaScript number; proto3 JSON writes NaN and the
 * infinities as strings. Not set is undefined, so that optional fields
 * keep their presence.
 */
export function asDouble(value: unknown, path: OtlpPath): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number') {
    return value;
  }
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') {
    return Number(value);
  }
  return path.fail('a number', value);
}
