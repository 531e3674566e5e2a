/**
 * Configuration identification of a release (IEC 62304 8.1.3): which configuration items, at which
 * versions, make up the released software. The release record keeps it in `configuration`; what
 * git and the records know (the commit, its tag, the SOUP baseline, the software items) is filled in
 * by `dossier release record`, and the release gate checks that it is there and still agrees with
 * the SOUP and item records of the version.
 */
import type { Analysis } from '../analyze.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { soupOfVersion, soupVersionAt } from '../soup/scope.js';
import { appliesTo } from './verdicts.js';

export interface ConfigurationEntry {
  readonly id: string;
  readonly version: string;
}

export interface ReleaseConfiguration {
  readonly commit?: string;
  readonly tag?: string;
  readonly buildId?: string;
  readonly artifacts?: readonly { readonly name: string; readonly sha256: string }[];
  readonly tools?: readonly { readonly name: string; readonly version: string }[];
  readonly soup?: readonly ConfigurationEntry[];
  readonly items?: readonly ConfigurationEntry[];
}

/** Where the release was built from, as git says; the CLI reads it (src/util/git.ts), tests give it. */
export interface SourceHistory {
  /** The commit the release was built from, when known (the version's tag, or one given). */
  readonly commit?: string;
  /** The tag naming the release baseline, when there is one. */
  readonly tag?: string;
  /** The last commit up to the release commit that changed files matching the globs. */
  lastCommitOf(globs: readonly string[]): string | undefined;
}

export const configurationOf = (release: DossierRecord): ReleaseConfiguration =>
  (release.fields.configuration as ReleaseConfiguration | undefined) ?? {};

/** What identifies a release: its version and, once released, its date. */
export interface ReleaseIdentity {
  readonly version: string;
  readonly date?: string;
}

export const identityOf = (release: DossierRecord): ReleaseIdentity => ({
  version: String(release.fields.version),
  ...(typeof release.fields.date === 'string' ? { date: release.fields.date } : {}),
});

/** The SOUP baseline of a release: each SOUP in the build of the version, at its version then. */
export function soupBaseline(analysis: Analysis, release: ReleaseIdentity): ConfigurationEntry[] {
  const { date } = release;
  return soupOfRelease(analysis, release)
    .filter(hasVersion)
    .map((soup) => ({ id: soup.id, version: soupVersionAt(soup, date) }));
}

const soupOfRelease = (analysis: Analysis, { version, date }: ReleaseIdentity) =>
  soupOfVersion(analysis, version, date ? { releaseDate: date } : {});

/** A SOUP record without a version cannot be named in a baseline (8.1.2 c): it is never written as "undefined". */
const hasVersion = (soup: DossierRecord) =>
  typeof soup.fields.version === 'string' || typeof soup.fields.version === 'number';

/** The software items of a version (system, items, units), by id. */
export function itemsOfVersion(analysis: Analysis, version: string): DossierRecord[] {
  return analysis.graph
    .ofKind('software-item')
    .filter((item) => isActive(item) && appliesTo(item, version))
    .sort(compareById);
}

/**
 * The configuration git and the records give for a release. An item's version is the last commit
 * up to the release commit that changed its `sourceFiles`, or the release version for an item
 * whose files are not named (or when the release commit is not known).
 */
export function configurationFromSources(
  analysis: Analysis,
  release: ReleaseIdentity,
  history: SourceHistory,
): ReleaseConfiguration {
  const version = release.version;
  return {
    ...(history.commit ? { commit: history.commit } : {}),
    ...(history.tag ? { tag: history.tag } : {}),
    soup: soupBaseline(analysis, release),
    items: itemsOfVersion(analysis, version).map((item) => {
      const globs = (item.fields.sourceFiles as string[] | undefined) ?? [];
      const commit = globs.length > 0 ? history.lastCommitOf(globs) : undefined;
      return { id: item.id, version: commit ?? version };
    }),
  };
}

/**
 * The configuration to write: what people recorded is kept (build id, artifacts, tools); the commit
 * and tag are filled in where missing; the SOUP baseline and the items are the records' now.
 */
export function mergedConfiguration(
  recorded: ReleaseConfiguration,
  found: ReleaseConfiguration,
): ReleaseConfiguration {
  return {
    ...recorded,
    ...(recorded.commit === undefined && found.commit ? { commit: found.commit } : {}),
    ...(recorded.tag === undefined && found.tag ? { tag: found.tag } : {}),
    ...(found.soup ? { soup: found.soup } : {}),
    ...(found.items
      ? {
          // An item version already recorded stays: the release was built from it.
          items: found.items.map((item) => recorded.items?.find((r) => r.id === item.id) ?? item),
        }
      : {}),
  };
}

export interface ConfigurationGap {
  readonly message: string;
}

const listed = (entries: readonly ConfigurationEntry[]) =>
  entries.map((e) => `${e.id}@${e.version}`).join(', ');

/**
 * What the release record's configuration lacks, or where it disagrees with the records of the
 * version (SOUP added, removed or at another version; items added or removed).
 */
export function configurationGaps(analysis: Analysis, release: DossierRecord): ConfigurationGap[] {
  const recorded = release.fields.configuration as ReleaseConfiguration | undefined;
  const fix = `run \`dossier release record ${String(release.fields.version)}\``;
  if (!recorded) {
    return [
      { message: `${release.id} records no configuration (commit, SOUP baseline, software items); ${fix}` },
    ];
  }
  const gaps: ConfigurationGap[] = [];
  if (!recorded.commit) gaps.push({ message: `${release.id} records no commit the release was built from` });
  const soupNow = soupBaseline(analysis, identityOf(release));
  const unversioned = soupOfRelease(analysis, identityOf(release)).filter((soup) => !hasVersion(soup));
  if (unversioned.length > 0) {
    gaps.push({
      message: `${unversioned.map((s) => s.id).join(', ')} ${unversioned.length === 1 ? 'has' : 'have'} no version, so the configuration of ${release.id} cannot identify ${unversioned.length === 1 ? 'it' : 'them'}: record the exact version (8.1.2 c)`,
    });
  }
  if (!recorded.soup) gaps.push({ message: `${release.id} records no SOUP baseline; ${fix}` });
  else {
    const key = (e: ConfigurationEntry) => `${e.id}@${e.version}`;
    const inRecord = new Set(recorded.soup.map(key));
    const inRecords = new Set(soupNow.map(key));
    const missing = soupNow.filter((e) => !inRecord.has(key(e)));
    const extra = recorded.soup.filter((e) => !inRecords.has(key(e)));
    if (missing.length > 0 || extra.length > 0) {
      gaps.push({
        message: `the SOUP baseline of ${release.id} differs from the SOUP records of ${String(release.fields.version)}${missing.length > 0 ? `; not in the baseline: ${listed(missing)}` : ''}${extra.length > 0 ? `; in the baseline only: ${listed(extra)}` : ''}; ${fix} after checking which is right`,
      });
    }
  }
  const itemsNow = itemsOfVersion(analysis, String(release.fields.version)).map((i) => i.id);
  if (!recorded.items) gaps.push({ message: `${release.id} records no software items; ${fix}` });
  else {
    const inRecord = new Set(recorded.items.map((i) => i.id));
    const missing = itemsNow.filter((id) => !inRecord.has(id));
    const extra = recorded.items.map((i) => i.id).filter((id) => !itemsNow.includes(id));
    if (missing.length > 0 || extra.length > 0) {
      gaps.push({
        message: `the software items of ${release.id} differ from the item records of ${String(release.fields.version)}${missing.length > 0 ? `; not listed: ${missing.join(', ')}` : ''}${extra.length > 0 ? `; listed but not an item of the version: ${extra.join(', ')}` : ''}; ${fix}`,
      });
    }
  }
  return gaps;
}
