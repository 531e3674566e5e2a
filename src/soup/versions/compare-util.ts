/**
 * Small ordering helpers shared by the ecosystem comparators.
 *
 * Numeric parts are kept as digit strings and compared by value at any length: real versions
 * carry timestamps (20190126230843) and the osv-scalibr fixtures use 30-digit numbers, both
 * beyond what a JavaScript number holds exactly.
 */
import type { Ordering } from './types.js';

export function sign(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export function isDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}

/** Orders two non-empty strings of ASCII digits by numeric value; leading zeros do not count. */
export function compareDigits(a: string, b: string): Ordering {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders strings by UTF-16 code unit, which for the ASCII text of versions is byte order. */
export function compareText(a: string, b: string): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders digit-string lists numerically, the shorter one padded with zeros (1.0 = 1.0.0). */
export function compareNumberLists(a: readonly string[], b: readonly string[]): Ordering {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}
