/**
 * The SOUP of one software version: in use (not obsolete, not marked removed, or removed after the
 * release date), not introduced in a
 * later version, and used by at least one item of that version. SOUP no item uses is kept (its
 * place is unknown, so it is not left out of anything); SOUP used only by items of a later version
 * (work in progress) is not part of this one.
 */
import type { Analysis } from '../analyze.js';
import { appliesTo } from '../evidence/verdicts.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';

/**
 * Was the SOUP in the build on `releaseDate`? Yes unless an import marked it `removed` on or before
 * that date; without a date, removed means not in it. One definition for the SBOM of a release and
 * the release gate.
 */
export function inBuildOn(soup: DossierRecord, releaseDate: string | undefined): boolean {
  const removed = soup.fields.removed as { date?: unknown } | undefined;
  if (removed === undefined) return true;
  return releaseDate !== undefined && typeof removed.date === 'string' && removed.date > releaseDate;
}

/**
 * The SOUP's version in a release of `releaseDate`: the recorded version, or, when an import changed
 * it after that date, the version it changed from. One definition for the SBOM of a release and the
 * release's configuration (8.1.3).
 */
export function soupVersionAt(soup: DossierRecord, releaseDate: string | undefined): string {
  const version = String(soup.fields.version);
  if (releaseDate === undefined) return version;
  const later = ((soup.fields.versionChanges as { from: string; date: string }[] | undefined) ?? [])
    .filter((change) => change.date > releaseDate)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return later[0]?.from ?? version;
}

/** SOUP in use today: not obsolete and not marked `removed` by an import. */
export function inUse(soup: DossierRecord): boolean {
  return isActive(soup) && inBuildOn(soup, undefined);
}

/** Per graph and version: the release gate asks several times. */
const cache = new WeakMap<object, Map<string, DossierRecord[]>>();

export function soupOfVersion(
  analysis: Pick<Analysis, 'graph' | 'safety'>,
  version: string | undefined,
  options: {
    /** Keep SOUP marked removed (the SBOM of a dated release decides by the removal date). */
    readonly includeRemoved?: boolean;
    /** The release's date: SOUP removed after it was still in the release ({@link inBuildOn}). */
    readonly releaseDate?: string;
  } = {},
): DossierRecord[] {
  const byVersion = cache.get(analysis.safety) ?? new Map<string, DossierRecord[]>();
  cache.set(analysis.safety, byVersion);
  const includeRemoved = options.includeRemoved ?? false;
  const key = `${includeRemoved ? 'with-removed ' : ''}${options.releaseDate ?? ''} ${version ?? ''}`;
  const known = byVersion.get(key);
  if (known) return [...known];
  const inBuild = (soup: DossierRecord) => includeRemoved || inBuildOn(soup, options.releaseDate);
  const computed = computeSoupOfVersion(analysis, version, inBuild);
  byVersion.set(key, computed);
  return [...computed];
}

function computeSoupOfVersion(
  analysis: Pick<Analysis, 'graph' | 'safety'>,
  version: string | undefined,
  inBuild: (soup: DossierRecord) => boolean,
): DossierRecord[] {
  const usersOf = new Map(analysis.safety.soup.map((s) => [s.soup.id, s.usedBy]));
  const inVersion = (soup: DossierRecord) => {
    if (!version) return true;
    if (!appliesTo(soup, version)) return false;
    const users = usersOf.get(soup.id) ?? [];
    return (
      users.length === 0 ||
      users.some((id) => {
        const item = analysis.graph.byId.get(id);
        return item === undefined || appliesTo(item, version);
      })
    );
  };
  return analysis.graph
    .ofKind('soup')
    .filter((s) => isActive(s) && inBuild(s) && inVersion(s))
    .sort(compareById);
}
