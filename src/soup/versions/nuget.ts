/**
 * NuGet versions: SemVer 2.0.0 extended to four numbers (major.minor.patch.revision), as in
 * NuGet.Versioning's VersionComparer.
 *
 * Missing numbers count as 0 (1.0 = 1.0.0.0) and leading zeros are ignored (1.0.01 = 1.0.1);
 * prerelease labels compare like SemVer but case-insensitively (1.0.0-BETA = 1.0.0-beta);
 * `+metadata` is ignored. NuGet does not allow a `v` prefix or more than four numbers, so
 * those are unparseable.
 */
import { compareNumberLists } from './compare-util.js';
import { comparePrereleaseIdentifiers } from './semver.js';
import { defineComparator, type Ordering, type ParsedVersion } from './types.js';

export interface NuGetVersion extends ParsedVersion {
  /** Four numbers as digit strings. */
  readonly release: readonly string[];
  /** Prerelease labels, lower-cased for case-insensitive ordering. */
  readonly prerelease: readonly string[];
  readonly metadata: string | undefined;
}

const PATTERN =
  /^(?<release>[0-9]+(?:\.[0-9]+){0,3})(?:-(?<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+(?<meta>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export function parseNuGet(version: string): NuGetVersion | undefined {
  const g = PATTERN.exec(version)?.groups;
  if (g === undefined) return undefined;
  const release = g.release!.split('.');
  while (release.length < 4) release.push('0');
  return {
    original: version,
    release,
    prerelease: g.pre === undefined ? [] : g.pre.toLowerCase().split('.'),
    metadata: g.meta,
  };
}

export function compareNuGet(a: NuGetVersion, b: NuGetVersion): Ordering {
  const release = compareNumberLists(a.release, b.release);
  if (release !== 0) return release;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  return comparePrereleaseIdentifiers(a.prerelease, b.prerelease);
}

export const nuget = defineComparator<NuGetVersion>('NuGet', parseNuGet, compareNuGet);
