/**
 * SemVer 2.0.0 precedence, used for npm and crates.io (and, through go.ts, Go modules).
 *
 * OSV ranges are walked with a total order, so this is `compare`, not range satisfaction: a
 * prerelease is an ordinary version that sorts before its release (npm's `satisfies` hides
 * prereleases, which caused real missed advisories).
 *
 * Parsing is slightly more lenient than the specification, to accept what the osv-scalibr
 * fixtures and real advisory data contain:
 * - a leading `v` is ignored (`v1.2.3` = `1.2.3`);
 * - missing minor and patch numbers count as 0 (`1` = `1.0.0`);
 * - numbers after the patch (`1.2.3.4`, not SemVer) are kept and compared in turn, zero-padded,
 *   rather than rejected or dropped, so no two distinct numeric versions collapse into one;
 * - leading zeros are accepted and compared by value.
 * Anything else outside the grammar (empty identifiers, other characters) is unparseable.
 */
import { compareDigits, compareNumberLists, compareText, isDigits } from './compare-util.js';
import { defineComparator, type Ordering, type ParsedVersion } from './types.js';

export interface SemverVersion extends ParsedVersion {
  /** Release numbers as digit strings, at least three (major, minor, patch). */
  readonly release: readonly string[];
  /** Dot-separated prerelease identifiers; empty for a release. */
  readonly prerelease: readonly string[];
  /** Build metadata identifiers; kept for display, ignored for ordering. */
  readonly build: readonly string[];
}

const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const RELEASE = /^[0-9]+(?:\.[0-9]+)*$/;

function identifiers(text: string | undefined): string[] | undefined {
  if (text === undefined) return [];
  const parts = text.split('.');
  return parts.every((p) => IDENTIFIER.test(p)) ? parts : undefined;
}

export function parseSemver(version: string): SemverVersion | undefined {
  let rest = version.startsWith('v') ? version.slice(1) : version;
  let buildText: string | undefined;
  const plus = rest.indexOf('+');
  if (plus >= 0) {
    buildText = rest.slice(plus + 1);
    rest = rest.slice(0, plus);
  }
  let prereleaseText: string | undefined;
  // The first hyphen ends the release; later hyphens belong to identifiers (`1.2.3-5-foo`).
  const hyphen = rest.indexOf('-');
  if (hyphen >= 0) {
    prereleaseText = rest.slice(hyphen + 1);
    rest = rest.slice(0, hyphen);
  }
  if (!RELEASE.test(rest)) return undefined;
  const prerelease = identifiers(prereleaseText);
  const build = identifiers(buildText);
  if (prerelease === undefined || build === undefined) return undefined;
  const release = rest.split('.');
  while (release.length < 3) release.push('0');
  return { original: version, release, prerelease, build };
}

/**
 * SemVer §11.4: numeric identifiers compare by value and sort before alphanumeric ones, which
 * compare in ASCII order; a longer list wins when all shared identifiers are equal.
 */
export function comparePrereleaseIdentifiers(a: readonly string[], b: readonly string[]): Ordering {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xNumeric = isDigits(x);
    const yNumeric = isDigits(y);
    let order: Ordering;
    if (xNumeric && yNumeric) order = compareDigits(x, y);
    else if (xNumeric) order = -1;
    else if (yNumeric) order = 1;
    else order = compareText(x, y);
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareSemver(a: SemverVersion, b: SemverVersion): Ordering {
  const release = compareNumberLists(a.release, b.release);
  if (release !== 0) return release;
  // SemVer §11.3: a prerelease sorts before the release itself.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  return comparePrereleaseIdentifiers(a.prerelease, b.prerelease);
}

export const npm = defineComparator('npm', parseSemver, compareSemver);
export const cratesIo = defineComparator('crates.io', parseSemver, compareSemver);
