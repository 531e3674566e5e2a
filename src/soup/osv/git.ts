/**
 * OSV advisories keyed by git repository (C and C++ SOUP without a package manager). OSV publishes
 * them with `affected[].ranges[]` of type `GIT` (a `repo` URL and introduced/fixed commits) and,
 * where osv.dev could enumerate them, `affected[].versions[]`: the repository's tags reachable in
 * those ranges. OSS-Fuzz records and CVEs osv.dev converted from the NVD take this shape.
 *
 * A SOUP item is matched by its repository and version against `versions[]` only: tags are
 * normalised (`v3.6.2`, `mbedtls-3.6.2`, `3_6_2`, `release-3.6.2` are all 3.6.2) and compared with
 * the version in use. Commits cannot be ordered without the repository, so a version that is not
 * among the listed tags is never "not affected" on the data's word: it is COULD NOT COMPARE,
 * assumed affected until a person reviews it (the same fail-closed rule as an NVD bound that cannot
 * be compared, docs/vulnerabilities.md).
 */
import type { OsvAffected, OsvRecord } from './types.js';

/** The name of the OSV source keyed by repository (osv.dev's `GIT` bucket and ecosystem). */
export const GIT_SOURCE = 'GIT';

/** Hosts whose repository paths are case-insensitive: `github.com/Mbed-TLS/mbedtls` is `…/mbed-tls/mbedtls`. */
const CASE_INSENSITIVE_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org']);

/** purl types that name a repository on a forge (purl-spec): `pkg:github/owner/repo@tag`. */
const PURL_TYPE_HOSTS: Readonly<Record<string, string>> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  bitbucket: 'bitbucket.org',
};

/**
 * A repository URL as the index keys it: `host/path`, with the scheme (`https`, `http`, `git`,
 * `ssh`, `git+https`), user, port, a trailing `/` or `.git`, a `@ref` suffix (purl `vcs_url`) and
 * `www.` dropped, the host lower-cased, and the path lower-cased on GitHub, GitLab and Bitbucket.
 * `git@github.com:owner/repo.git` (scp-like) and a bare `github.com/owner/repo` are read too.
 * Undefined when it is not a repository URL.
 */
export function normalizeRepoUrl(input: string): string | undefined {
  let s = input.trim().replace(/^git\+/i, '');
  if (!s || /\s/.test(s)) return undefined;
  let host: string;
  let repoPath: string;
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(s);
  if (withScheme) {
    const scheme = withScheme[1]!.toLowerCase();
    if (!['https', 'http', 'git', 'ssh'].includes(scheme)) return undefined;
    s = withScheme[2]!;
    const slash = s.indexOf('/');
    if (slash <= 0) return undefined;
    host = s
      .slice(0, slash)
      .replace(/^[^@]*@/, '')
      .replace(/:\d*$/, '');
    repoPath = s.slice(slash + 1);
  } else {
    const scp = /^(?:[^@/:]+@)?([A-Za-z0-9.-]+\.[A-Za-z]{2,}):(?!\/)(.+)$/.exec(s);
    const bare = /^([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\/(.+)$/.exec(s);
    const parts = scp ?? bare;
    if (!parts) return undefined;
    host = parts[1]!;
    repoPath = parts[2]!;
  }
  host = host.toLowerCase().replace(/^www\./, '');
  if (!/^[a-z0-9.-]+$/.test(host)) return undefined;
  repoPath = repoPath
    .replace(/[?#].*$/, '')
    .replace(/@[^/]*$/, '')
    .split('/')
    .filter((segment) => segment.length > 0)
    .join('/')
    .replace(/\.git$/i, '');
  if (!repoPath) return undefined;
  if (CASE_INSENSITIVE_HOSTS.has(host)) repoPath = repoPath.toLowerCase();
  return `${host}/${repoPath}`;
}

/** Words some projects put after the version in a tag: lwIP's `STABLE-2_1_3_RELEASE`. */
const TRAILING_WORD = /[-_.](release|final|stable)$/i;

/**
 * The version a tag names, or undefined when it names none: a leading word followed by a separator
 * (`mbedtls-`, `release-`, `OpenSSL_`, `curl-`, `STABLE-`), and a `v` before the first digit, are
 * dropped; so is a trailing `_RELEASE`; underscores separate the numbers when there is no dot
 * (`3_6_2`, `OpenSSL_1_1_1k`, `curl-8_5_0`). The result is lower-case: `V10.4.3` is `10.4.3`.
 * A SOUP version goes through the same normalisation before it is compared.
 */
export function normalizeTag(tag: string): string | undefined {
  const text = tag.trim().replace(/^refs\/tags\//, '');
  const split = /^(?:[A-Za-z][A-Za-z0-9]*[-_/])*[vV]?(\d.*)$/.exec(text);
  if (!split) return undefined;
  let version = split[1]!.replace(TRAILING_WORD, '');
  if (!version.includes('.')) version = version.replace(/_/g, '.');
  return /^\d[0-9a-z._+-]*$/i.test(version) ? version.toLowerCase() : undefined;
}

/** The repository keys a SOUP record names: its `repository` field(s), a forge purl, a purl's `vcs_url`. */
export interface GitIdentity {
  /** {@link normalizeRepoUrl} keys, sorted. */
  readonly repos: readonly string[];
  readonly version: string;
  /**
   * True when the record's `repository` field names it: the item asks to be checked against OSV's
   * GIT data, which is then a source it must have (like NVD data for a `cpe`). A repository known
   * only from a forge purl or `vcs_url` is matched when GIT data is loaded, and is not required.
   */
  readonly required: boolean;
}

/** The repository URL texts of a record's `repository` field (a string, or a list for moved repositories). */
export function repositoryTextsOf(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return list.filter((v): v is string => typeof v === 'string');
}

/** A repository-hosting purl (`pkg:github/owner/repo`) as a repository URL key, or its `vcs_url`. */
export function repoOfPurl(purl: {
  readonly type: string;
  readonly namespace?: string;
  readonly name: string;
  readonly qualifiers?: Readonly<Record<string, string>>;
}): string | undefined {
  const host = PURL_TYPE_HOSTS[purl.type];
  if (host && purl.namespace) return normalizeRepoUrl(`https://${host}/${purl.namespace}/${purl.name}`);
  const vcs = purl.qualifiers?.vcs_url;
  return vcs ? normalizeRepoUrl(vcs) : undefined;
}

/**
 * Ecosystems whose `affected[]` entries are identified by their repository: OSV's `GIT` (name = the
 * repository URL) and `OSS-Fuzz` (a project name; its GIT ranges say which repository). An entry with
 * no package at all (CVEs osv.dev converted from the NVD) is keyed by repository too.
 */
const REPO_KEYED_ECOSYSTEMS = new Set([GIT_SOURCE, 'OSS-Fuzz']);

/** Whether advisories of this ecosystem are matched by repository (GIT, OSS-Fuzz), not by a version comparator. */
export function isRepoKeyedEcosystem(ecosystem: string): boolean {
  return REPO_KEYED_ECOSYSTEMS.has(ecosystem.split(':')[0]!);
}

/**
 * Whether an `affected[]` entry is identified by repository. A package of a registry ecosystem
 * (PyPI, Go, …) is matched by its package, and its GIT ranges only say where its code lives: such
 * records are neither indexed nor counted as GIT data, so that PyPI data never reads as coverage of
 * a C library's repository.
 */
export function isRepoKeyed(affected: OsvAffected): boolean {
  const ecosystem = affected.package?.ecosystem;
  return ecosystem === undefined || REPO_KEYED_ECOSYSTEMS.has(ecosystem.split(':')[0]!);
}

/**
 * The repository keys of one repository-keyed `affected[]` entry ({@link isRepoKeyed}): its GIT
 * ranges' `repo`, or the name of a package of ecosystem GIT. Empty for any other entry.
 */
export function reposOfAffected(affected: OsvAffected): string[] {
  const out = new Set<string>();
  if (!isRepoKeyed(affected)) return [];
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'GIT' || typeof range.repo !== 'string') continue;
    const key = normalizeRepoUrl(range.repo);
    if (key) out.add(key);
  }
  const pkg = affected.package;
  if (pkg && pkg.ecosystem === GIT_SOURCE) {
    const key = normalizeRepoUrl(pkg.name);
    if (key) out.add(key);
  }
  return [...out].sort();
}

/** Every repository key a record names (what the store indexes it by). */
export function reposOfRecord(record: OsvRecord): string[] {
  return [...new Set((record.affected ?? []).flatMap(reposOfAffected))].sort();
}

/** Why a repository-keyed advisory concerns (or may concern) the version in use. */
export type GitReason =
  | {
      readonly kind: 'listed';
      readonly affected: number;
      readonly tag: string;
      /** The tag's normalised version, when the tag is not the version itself. */
      readonly normalized?: string;
    }
  | {
      readonly kind: 'commit';
      readonly affected: number;
      readonly range: number;
      readonly event: 'introduced' | 'last_affected';
      readonly commit: string;
    }
  | { readonly kind: 'could-not-compare'; readonly affected: number; readonly why: string };

export interface GitMatch {
  /** True when a listed tag (or the exact introducing commit) names the version in use. */
  readonly affected: boolean;
  /** True when nothing decides either way: a finding assumed affected until reviewed. */
  readonly couldNotCompare: boolean;
  readonly reasons: readonly GitReason[];
}

const COMMIT = /^[0-9a-f]{7,40}$/i;

function sameCommit(a: string, b: string): boolean {
  if (!COMMIT.test(a) || !COMMIT.test(b)) return false;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x.startsWith(y) || y.startsWith(x);
}

/**
 * Matches a version of a repository against one advisory. Per `affected[]` entry naming one of
 * `repos`: a tag of `versions[]` equal to the version, once both are normalised, is a match (every
 * such tag is reported); a version that is a commit id equal to an `introduced` or `last_affected`
 * commit of the entry's GIT ranges is a match; anything else is COULD NOT COMPARE, because the
 * ranges name commits that cannot be ordered without the repository. Nothing here says "not
 * affected" for an entry naming the repository.
 */
export function matchGitRecord(record: OsvRecord, repos: ReadonlySet<string>, version: string): GitMatch {
  const wanted = normalizeTag(version);
  const reasons: GitReason[] = [];
  let affected = false;
  (record.affected ?? []).forEach((entry, a) => {
    if (!reposOfAffected(entry).some((key) => repos.has(key))) return;
    const versions = entry.versions ?? [];
    const listed = versions.filter(
      (tag) => tag === version || (wanted !== undefined && normalizeTag(tag) === wanted),
    );
    if (listed.length > 0) {
      affected = true;
      for (const tag of listed)
        reasons.push({
          kind: 'listed',
          affected: a,
          tag,
          ...(tag !== version && wanted !== undefined ? { normalized: wanted } : {}),
        });
      return;
    }
    let commit = false;
    (entry.ranges ?? []).forEach((range, r) => {
      if (range.type !== 'GIT') return;
      for (const event of range.events) {
        for (const kind of ['introduced', 'last_affected'] as const) {
          const value = event[kind];
          if (typeof value === 'string' && sameCommit(value, version)) {
            commit = true;
            reasons.push({ kind: 'commit', affected: a, range: r, event: kind, commit: value });
          }
        }
      }
    });
    if (commit) {
      affected = true;
      return;
    }
    const gitRanges = (entry.ranges ?? []).filter((range) => range.type === 'GIT').length;
    const tags =
      versions.length > 0
        ? `${version}${wanted !== undefined && wanted !== version ? ` (normalised ${wanted})` : ''} is not among the ${versions.length} tag${versions.length === 1 ? '' : 's'} of affected[${a}].versions`
        : `affected[${a}] lists no tags in versions`;
    const ranges =
      gitRanges > 0
        ? `its GIT range${gitRanges === 1 ? '' : 's'} name${gitRanges === 1 ? 's' : ''} commits, which cannot be compared with a version without the repository`
        : 'it has no GIT range to compare';
    reasons.push({ kind: 'could-not-compare', affected: a, why: `${tags}, and ${ranges}` });
  });
  return {
    affected,
    couldNotCompare: !affected && reasons.length > 0,
    reasons: affected ? reasons.filter((r) => r.kind !== 'could-not-compare') : reasons,
  };
}

/** Words for a reason, for reports. */
export function describeGitReason(reason: GitReason, version: string): string {
  switch (reason.kind) {
    case 'listed':
      return reason.tag === version
        ? `${version} is listed in affected[${reason.affected}].versions`
        : `tag ${reason.tag} in affected[${reason.affected}].versions is version ${version}${reason.normalized && reason.normalized !== version ? ` (both normalise to ${reason.normalized})` : ''}`;
    case 'commit':
      return `the version in use is commit ${reason.commit}, the ${reason.event === 'introduced' ? 'introducing' : 'last affected'} commit of affected[${reason.affected}].ranges[${reason.range}]`;
    default:
      return `COULD NOT COMPARE, assumed affected until reviewed: ${reason.why}`;
  }
}
