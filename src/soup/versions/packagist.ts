/**
 * Packagist (Composer) versions, ordered like PHP's `version_compare`, which is what osv-scalibr
 * and its fixtures (generated with PHP) use.
 *
 * A leading `v`/`V` is dropped; `-`, `_` and `+` become dots and a dot is put between digits
 * and letters (1.0RC1 → 1.0.RC.1). The parts then compare in turn: numbers by value, words by
 * their stability, matched on the start of the word and case-sensitively as PHP does:
 *   (other words) < dev < alpha = a < beta = b < RC = rc < (any number) < pl = p (patch).
 * When one version runs out, a remaining number makes the longer version greater
 * (1.0.0 > 1.0), and a remaining word compares against "a number", so 1.0-beta < 1.0 < 1.0pl1.
 *
 * Consequences that are faithful to PHP and the fixtures, not bugs here:
 * - upper-case ALPHA, BETA, DEV or PATCH are "other words", so they sort first and equal each other;
 * - a patch word outranks a number in the same place, so 1.0-pl1 > 1.0.1;
 * - Composer's own VersionParser pads releases to four numbers first (1.0 = 1.0.0 there), which
 *   version_compare and this module do not (1.0 < 1.0.0).
 * `#` is PHP's internal stand-in for "a number" and is accepted because the fixtures use it; it
 * makes the order non-transitive (1.2.3.# equals both 1.2.3 and 1.2.3.1), so it does not belong
 * in real data.
 *
 * Unparseable: text that does not start with a digit (after the `v`) or with `dev-` (a Composer
 * branch), that contains characters other than letters, digits, `.`, `-`, `_`, `+` and `#`, or
 * that has empty parts (`1..0`, `1.0-`).
 */
import { compareDigits, isDigits } from './compare-util.js';
import { defineComparator, type Ordering, type ParsedVersion } from './types.js';

export interface PackagistVersion extends ParsedVersion {
  /** Canonical parts: digit strings and words. */
  readonly parts: readonly string[];
}

const PATTERN = /^(?:[0-9]|dev-)[A-Za-z0-9._+#-]*$/;

export function parsePackagist(version: string): PackagistVersion | undefined {
  const text = /^[vV][0-9]/.test(version) ? version.slice(1) : version;
  if (!PATTERN.test(text)) return undefined;
  const parts = text
    .replace(/[-_+]/g, '.')
    .replace(/([^\d.])(?=\d)/g, '$1.')
    .replace(/(\d)(?=[^\d.])/g, '$1.')
    .split('.');
  if (parts.some((p) => p === '')) return undefined;
  return { original: version, parts };
}

// PHP's special forms, tried in this order against the start of a word.
const FORMS: ReadonlyArray<readonly [string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER_RANK = 4;

function rank(part: string): number {
  if (isDigits(part)) return NUMBER_RANK;
  for (const [prefix, value] of FORMS) if (part.startsWith(prefix)) return value;
  return -1;
}

function compareParts(x: string, y: string): Ordering {
  if (isDigits(x) && isDigits(y)) return compareDigits(x, y);
  const rx = rank(x);
  const ry = rank(y);
  return rx === ry ? 0 : rx < ry ? -1 : 1;
}

/** The remaining parts of the longer version against "a number" (PHP's `#N#`). */
function compareTail(rest: readonly string[]): Ordering {
  for (const part of rest) {
    if (isDigits(part)) return 1;
    const order = compareParts(part, '#');
    if (order !== 0) return order;
  }
  return 0;
}

export function comparePackagist(a: PackagistVersion, b: PackagistVersion): Ordering {
  const length = Math.min(a.parts.length, b.parts.length);
  for (let i = 0; i < length; i++) {
    const order = compareParts(a.parts[i]!, b.parts[i]!);
    if (order !== 0) return order;
  }
  if (a.parts.length > length) return compareTail(a.parts.slice(length));
  if (b.parts.length > length) return (0 - compareTail(b.parts.slice(length))) as Ordering;
  return 0;
}

export const packagist = defineComparator<PackagistVersion>('Packagist', parsePackagist, comparePackagist);
