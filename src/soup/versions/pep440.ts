/**
 * PyPI versions: PEP 440, as implemented by pypa/packaging.
 *
 * A version is normalised before comparison (case, `_`/`-`/`.` separators, the spellings
 * alpha→a, beta→b, c/pre/preview→rc, rev/r→post, implicit numbers 0, `1.0-1` = `1.0.post1`),
 * then ordered by epoch, release (trailing zeros do not count), and within a release
 * dev < pre (a < b < rc) < final < post, with `.devN` also ordering inside a pre or post release
 * (1.0a1.dev1 < 1.0a1). A local label (`+abc.5`) sorts after the same public version.
 *
 * Text that is not PEP 440 is read as a "legacy" version, as packaging did before version 22
 * (setuptools' historical scheme): real advisory data still lists such versions (0.3m1,
 * 0.7.4.svn.r2010) and osv-scalibr orders them this way. Legacy versions sort before every
 * PEP 440 version and are flagged with `legacy: true`, so callers can report them. Only empty
 * text and text with whitespace or control characters inside is unparseable.
 */
import { compareDigits, compareNumberLists, compareText, isDigits } from './compare-util.js';
import { defineComparator, type Ordering, type ParsedVersion } from './types.js';

export type PreReleaseLabel = 'a' | 'b' | 'rc';

export interface Pep440Version extends ParsedVersion {
  readonly legacy: false;
  readonly epoch: string;
  readonly release: readonly string[];
  readonly pre?: { readonly label: PreReleaseLabel; readonly number: string };
  readonly post?: string;
  readonly dev?: string;
  /** Local label segments, lower-cased. */
  readonly local: readonly string[];
}

export interface LegacyPyPIVersion extends ParsedVersion {
  readonly legacy: true;
  /** packaging's legacy sort key: zero-padded numbers and `*`-prefixed words. */
  readonly key: readonly string[];
}

export type PyPIVersion = Pep440Version | LegacyPyPIVersion;

// PEP 440 Appendix B, the pattern packaging uses, matched case-insensitively.
const PEP440 = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '\\s*$',
  'i',
);

const PRE_LABELS: Record<string, PreReleaseLabel> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

function parsePep440(version: string): Pep440Version | undefined {
  const g = PEP440.exec(version)?.groups;
  if (g === undefined) return undefined;
  const preLabel = g.preL === undefined ? undefined : PRE_LABELS[g.preL.toLowerCase()];
  const post = g.postN1 ?? g.postN2 ?? (g.postL === undefined ? undefined : '0');
  const dev = g.devL === undefined ? undefined : (g.devN ?? '0');
  return {
    original: version,
    legacy: false,
    epoch: g.epoch ?? '0',
    release: g.release!.split('.'),
    ...(preLabel === undefined ? {} : { pre: { label: preLabel, number: g.preN ?? '0' } }),
    ...(post === undefined ? {} : { post }),
    ...(dev === undefined ? {} : { dev }),
    local: g.local === undefined ? [] : g.local.toLowerCase().split(/[-_.]/),
  };
}

// packaging < 22 `_legacy_cmpkey`: split into numbers, words, dots and dashes (keeping the text
// in between), rename a few words, pad numbers to 8 digits and prefix words with `*` so that
// words sort before numbers, and end with `*final` so prereleases sort before the bare version.
const LEGACY_PART = /(\d+|[a-z]+|\.|-)/;
const LEGACY_RENAME: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

function legacyKey(version: string): string[] {
  const key: string[] = [];
  const parts = [...version.toLowerCase().split(LEGACY_PART), '*final'];
  for (const raw of parts) {
    const part = LEGACY_RENAME[raw] ?? raw;
    if (part === '' || part === '.') continue;
    const item = part === '*final' ? part : /^[0-9]/.test(part) ? part.padStart(8, '0') : `*${part}`;
    if (item.startsWith('*')) {
      // A dash before a prerelease word does not count ("1.0-rc1" = "1.0rc1").
      if (item < '*final') while (key[key.length - 1] === '*final-') key.pop();
      // Trailing zeros of a numeric run do not count ("1.0.0-x" = "1-x").
      while (key[key.length - 1] === '00000000') key.pop();
    }
    key.push(item);
  }
  return key;
}

export function parsePyPI(version: string): PyPIVersion | undefined {
  if (version.trim() === '' || /[\s\p{Cc}]/u.test(version.trim())) return undefined;
  return parsePep440(version) ?? { original: version, legacy: true, key: legacyKey(version) };
}

/** Absent parts sort as in packaging's `_cmpkey`: below or above every present value. */
function compareOptional(
  a: string | undefined,
  b: string | undefined,
  absent: 'lowest' | 'highest',
): Ordering {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    return (a === undefined) === (absent === 'lowest') ? -1 : 1;
  }
  return compareDigits(a, b);
}

function comparePre(a: Pep440Version, b: Pep440Version): Ordering {
  // A bare dev release (1.0.dev1) sorts before every prerelease of its release (1.0a0).
  const rank = (v: Pep440Version): number =>
    v.pre === undefined && v.post === undefined && v.dev !== undefined ? 0 : v.pre === undefined ? 2 : 1;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (a.pre === undefined || b.pre === undefined) return 0;
  return compareText(a.pre.label, b.pre.label) || compareDigits(a.pre.number, b.pre.number);
}

/** Numeric local segments sort after alphanumeric ones; a longer label wins on a shared prefix. */
function compareLocal(a: readonly string[], b: readonly string[]): Ordering {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xNumeric = isDigits(x);
    const yNumeric = isDigits(y);
    let order: Ordering;
    if (xNumeric && yNumeric) order = compareDigits(x, y);
    else if (xNumeric !== yNumeric) order = xNumeric ? 1 : -1;
    else order = compareText(x, y);
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareLegacyKeys(a: readonly string[], b: readonly string[]): Ordering {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareText(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function comparePyPI(a: PyPIVersion, b: PyPIVersion): Ordering {
  if (a.legacy || b.legacy) {
    if (a.legacy && b.legacy) return compareLegacyKeys(a.key, b.key);
    return a.legacy ? -1 : 1;
  }
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareNumberLists(a.release, b.release) ||
    comparePre(a, b) ||
    compareOptional(a.post, b.post, 'lowest') ||
    compareOptional(a.dev, b.dev, 'highest') ||
    compareLocal(a.local, b.local)
  );
}

export const pypi = defineComparator<PyPIVersion>('PyPI', parsePyPI, comparePyPI);
