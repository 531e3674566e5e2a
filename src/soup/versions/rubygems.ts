/**
 * RubyGems versions: `Gem::Version#<=>`.
 *
 * A `-` means a prerelease and is read as `.pre.` (1.0-1 = 1.0.pre.1). The version is cut into
 * segments of digits or of letters (dots and digit/letter switches both separate, so
 * 1.0.a10 = 1.0.a.10), and trailing zeros are dropped from the numeric head and from the part
 * that starts at the first word (1.0.0.rc3.0 = 1.0.0.rc3 = 1.rc3). Segments then compare in
 * turn, missing ones as 0: numbers by value, words byte-wise, and a word before any number, so
 * any version containing a letter is a prerelease of the numbers before it (1.0.b1 < 1.0).
 *
 * Gem::Version itself rejects letters glued to the first number (`1beta`); osv-scalibr and its
 * fixtures accept them with the same segmenting, and so does this module. Empty text, which
 * RubyGems would read as 0, is reported as unparseable here.
 */
import { compareDigits, compareText } from './compare-util.js';
import { defineComparator, type Ordering, type ParsedVersion } from './types.js';

export interface RubyGemsVersion extends ParsedVersion {
  /** Canonical segments: digit strings (without leading zeros) and words. */
  readonly segments: readonly string[];
  readonly prerelease: boolean;
}

const PATTERN = /^[0-9]+[0-9A-Za-z]*(?:\.[0-9A-Za-z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

// Segments are all digits or all letters, so the first character tells which.
const isNumber = (segment: string): boolean => /^[0-9]/.test(segment);

function dropTrailingZeros(segments: string[]): string[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === '0') end--;
  return segments.slice(0, end);
}

export function parseRubyGems(version: string): RubyGemsVersion | undefined {
  const text = version.trim();
  if (!PATTERN.test(text)) return undefined;
  const raw = text.replaceAll('-', '.pre.').match(/[0-9]+|[a-z]+/gi) ?? [];
  const segments = raw.map((s) => (isNumber(s) ? s.replace(/^0+(?=.)/, '') : s));
  const firstWord = segments.findIndex((s) => !isNumber(s));
  const head = firstWord === -1 ? segments : segments.slice(0, firstWord);
  const tail = firstWord === -1 ? [] : segments.slice(firstWord);
  return {
    original: version,
    segments: [...dropTrailingZeros(head), ...dropTrailingZeros(tail)],
    prerelease: firstWord !== -1,
  };
}

export function compareRubyGems(a: RubyGemsVersion, b: RubyGemsVersion): Ordering {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const x = a.segments[i] ?? '0';
    const y = b.segments[i] ?? '0';
    if (x === y) continue;
    const xNumber = isNumber(x);
    const yNumber = isNumber(y);
    if (xNumber && yNumber) return compareDigits(x, y);
    if (xNumber !== yNumber) return xNumber ? 1 : -1;
    return compareText(x, y);
  }
  return 0;
}

export const rubygems = defineComparator<RubyGemsVersion>('RubyGems', parseRubyGems, compareRubyGems);
