/**
 * Go module versions.
 *
 * Go versions are SemVer with a `v` prefix; OSV records drop the prefix, SBOMs often keep it, so
 * both are accepted. Ordering is plain SemVer precedence (semver.ts), which is exactly what the
 * Go toolchain uses, because the pseudo-version forms were designed to sort as prereleases:
 * - `vX.0.0-yyyymmddhhmmss-abcdefabcdef` (no earlier tag): prerelease of vX.0.0;
 * - `vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef` (after tag vX.Y.Z): sorts after vX.Y.Z and before any
 *   real prerelease of vX.Y.(Z+1), since the numeric identifier 0 comes first;
 * - `vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef` (after prerelease vX.Y.Z-pre).
 * Pseudo-versions of one base therefore order by their UTC timestamp. `+incompatible` (a v2+
 * module without go.mod) is build metadata and so ignored for ordering, as the go command does.
 * The pseudo-version parts are exposed only for reporting.
 */
import { compareSemver, parseSemver, type SemverVersion } from './semver.js';
import { defineComparator } from './types.js';

export interface GoVersion extends SemverVersion {
  /** True for `+incompatible` versions. */
  readonly incompatible: boolean;
  /** The commit time (yyyymmddhhmmss, UTC) and revision of a pseudo-version. */
  readonly pseudo?: { readonly timestamp: string; readonly revision: string };
}

// The last prerelease identifier of a pseudo-version is `yyyymmddhhmmss-revision`, with the
// timestamp either the whole prerelease (no base) or after a `0` identifier (see above).
const PSEUDO_TAIL = /^([0-9]{14})-([0-9A-Za-z]+)$/;

function pseudoParts(v: SemverVersion): GoVersion['pseudo'] {
  const pre = v.prerelease;
  const last = pre[pre.length - 1];
  const match = last === undefined ? null : PSEUDO_TAIL.exec(last);
  if (match === null) return undefined;
  const noBase = pre.length === 1 && v.release[1] === '0' && v.release[2] === '0';
  const afterBase = pre.length >= 2 && pre[pre.length - 2] === '0';
  return noBase || afterBase ? { timestamp: match[1]!, revision: match[2]! } : undefined;
}

export function parseGo(version: string): GoVersion | undefined {
  const v = parseSemver(version);
  if (v === undefined) return undefined;
  const pseudo = pseudoParts(v);
  const incompatible = v.build.length === 1 && v.build[0] === 'incompatible';
  return pseudo === undefined ? { ...v, incompatible } : { ...v, incompatible, pseudo };
}

export const go = defineComparator<GoVersion>('Go', parseGo, compareSemver);
