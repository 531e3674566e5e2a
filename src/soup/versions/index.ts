/**
 * Version comparators per OSV ecosystem.
 *
 * The comparator is chosen by the advisory's `affected.package.ecosystem`, never by the range
 * type: GHSA marks npm and Go ranges SEMVER but crates.io, PyPI, Maven and RubyGems ranges
 * ECOSYSTEM, and osv-scalibr and osv.dev both ignore the range type for ordering.
 */
import { debian } from './debian.js';
import { go } from './go.js';
import { maven } from './maven.js';
import { nuget } from './nuget.js';
import { packagist } from './packagist.js';
import { pypi } from './pep440.js';
import { rubygems } from './rubygems.js';
import { cratesIo, npm } from './semver.js';
import { defineComparator, type VersionComparator } from './types.js';

export type { DebianVersion } from './debian.js';
export type { GoVersion } from './go.js';
export type { MavenItem, MavenVersion } from './maven.js';
export type { NuGetVersion } from './nuget.js';
export type { PackagistVersion } from './packagist.js';
export type { LegacyPyPIVersion, Pep440Version, PyPIVersion } from './pep440.js';
export type { RubyGemsVersion } from './rubygems.js';
export type { SemverVersion } from './semver.js';
export {
  type CompareResult,
  InvalidVersionError,
  type Ordering,
  type ParsedVersion,
  type VersionComparator,
} from './types.js';
export { cratesIo, debian, go, maven, npm, nuget, packagist, pypi, rubygems };

// Ubuntu packages are dpkg packages: same ordering, reported under their own ecosystem name.
const ubuntu = defineComparator('Ubuntu', debian.parse, debian.compareParsed);

const COMPARATORS: ReadonlyMap<string, VersionComparator> = new Map<string, VersionComparator>(
  [npm, cratesIo, go, pypi, maven, rubygems, nuget, debian, ubuntu, packagist].map(
    (c): [string, VersionComparator] => [c.ecosystem, c],
  ),
);

/** The OSV ecosystem names that have a comparator. */
export const SUPPORTED_ECOSYSTEMS: readonly string[] = [...COMPARATORS.keys()];

/**
 * The comparator for an OSV ecosystem name, or undefined when there is none. OSV names are
 * case-sensitive; a suffix after the first colon (`Debian:12`, `Maven:https://maven.google.com`,
 * `Ubuntu:Pro:18.04:LTS`) names a release or registry and does not change the ordering.
 */
export function comparatorFor(ecosystem: string): VersionComparator | undefined {
  const colon = ecosystem.indexOf(':');
  return COMPARATORS.get(colon >= 0 ? ecosystem.slice(0, colon) : ecosystem);
}
