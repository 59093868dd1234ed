/**
 * `node:assert/strict` for text written with the one formatter: values put a no-break space
 * between number and unit (core/format/units.ts `NBSP`), which these tests read as a plain space,
 * so an expectation reads as the user sees it ("15.7 GB"). units.test.ts checks the NBSP itself.
 */
import * as strict from 'node:assert/strict';

export function plain<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\u00a0/g, ' ') as T;
  if (Array.isArray(value)) return value.map(plain) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) as T;
  }
  return value;
}

export const equal: typeof strict.equal = (actual, expected, message) => strict.equal(plain(actual), plain(expected), message);
export const deepEqual: typeof strict.deepEqual = (actual, expected, message) => strict.deepEqual(plain(actual), plain(expected), message);
export const notEqual: typeof strict.notEqual = (actual, expected, message) => strict.notEqual(plain(actual), plain(expected), message);
export const match: typeof strict.match = (value, regexp, message) => strict.match(plain(value), regexp, message);
export const doesNotMatch: typeof strict.doesNotMatch = (value, regexp, message) => strict.doesNotMatch(plain(value), regexp, message);
export const ok: typeof strict.ok = (value, message) => strict.ok(value, message);
export const throws = strict.throws;
export const fail = strict.fail;
export const notDeepEqual = strict.notDeepEqual;
export const doesNotThrow = strict.doesNotThrow;
export const rejects = strict.rejects;
