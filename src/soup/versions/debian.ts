/**
 * Debian package versions: dpkg's `[epoch:]upstream[-revision]` and its `verrevcmp`.
 *
 * The epoch compares numerically first, then upstream, then revision (the text after the last
 * hyphen; none is the same as `0`). Within each, dpkg alternates between a run of non-digits,
 * compared character by character, and a run of digits, compared by value. In the non-digit
 * runs `~` sorts before everything, even the end of the text (1.0~rc1 < 1.0), letters sort
 * before all other characters (1.0a < 1.0+), and the end of text sorts before any letter.
 *
 * Text that dpkg rejects or warns about is unparseable: an empty or non-numeric epoch, an empty
 * upstream or revision, an upstream not starting with a digit, or characters outside
 * [A-Za-z0-9.+~-:] (upstream) and [A-Za-z0-9.+~] (revision).
 */
import { compareDigits } from './compare-util.js';
import { defineComparator, type Ordering, type ParsedVersion } from './types.js';

export interface DebianVersion extends ParsedVersion {
  readonly epoch: string;
  readonly upstream: string;
  readonly revision: string;
}

const UPSTREAM = /^[0-9][A-Za-z0-9.+~:-]*$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;

export function parseDebian(version: string): DebianVersion | undefined {
  let rest = version.trim();
  let epoch = '0';
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    epoch = rest.slice(0, colon);
    if (!/^[0-9]+$/.test(epoch)) return undefined;
    rest = rest.slice(colon + 1);
  }
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    revision = rest.slice(hyphen + 1);
    rest = rest.slice(0, hyphen);
    if (!REVISION.test(revision)) return undefined;
  }
  if (!UPSTREAM.test(rest)) return undefined;
  return { original: version, epoch, upstream: rest, revision };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** dpkg's weight of one character of a non-digit run; `undefined` is the end of the run. */
function weight(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg `verrevcmp`. */
export function compareDebianPart(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const wa = weight(a[i]);
      const wb = weight(b[j]);
      if (wa !== wb) return wa < wb ? -1 : 1;
      i++;
      j++;
    }
    const startA = i;
    const startB = j;
    while (isDigit(a[i])) i++;
    while (isDigit(b[j])) j++;
    const order = compareDigits(a.slice(startA, i) || '0', b.slice(startB, j) || '0');
    if (order !== 0) return order;
  }
  return 0;
}

export function compareDebian(a: DebianVersion, b: DebianVersion): Ordering {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareDebianPart(a.upstream, b.upstream) ||
    compareDebianPart(a.revision, b.revision)
  );
}

export const debian = defineComparator<DebianVersion>('Debian', parseDebian, compareDebian);
