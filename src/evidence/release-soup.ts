/**
 * What the release gate asks of the SOUP of a version (7.1.3), judged at the release date (today
 * for an undated release): advisory data for every ecosystem the SOUP uses, recent enough, and the
 * advisories published by then evaluated; later ones are postmarket findings (9, 6.2.1), not
 * blockers of a release made before they existed.
 */
import type { Analysis } from '../analyze.js';
import { advisoryMaxAgeDays } from '../model/config.js';
import type { DossierRecord } from '../model/record.js';
import { type AdvisoryFreshness, coverageOf, freshnessAt, utcDate } from '../soup/coverage.js';
import type { SoupFinding } from '../soup/scan.js';
import { soupOfVersion } from '../soup/scope.js';

export interface ReferenceDate {
  /** YYYY-MM-DD. */
  readonly date: string;
  /** How messages name it: "the release date", or "today" for an undated release. */
  readonly what: string;
}

/** The release date, or today (the analysis clock) when the release record has none. */
export function referenceDateOf(analysis: Pick<Analysis, 'today'>, release?: DossierRecord): ReferenceDate {
  const date = release?.fields.date;
  return typeof date === 'string' && date !== ''
    ? { date, what: 'the release date' }
    : { date: analysis.today, what: 'today; the release has no date' };
}

/**
 * The SOUP of the release of `version`: what was in the build at its date (SOUP removed later was
 * in it), as the SBOM of the release says; without a release date, SOUP marked removed is not.
 */
export function soupOfRelease(
  analysis: Pick<Analysis, 'graph' | 'safety'>,
  version: string,
  release: DossierRecord | undefined,
): DossierRecord[] {
  const date = release?.fields.date;
  return soupOfVersion(
    analysis,
    version,
    typeof date === 'string' && date !== '' ? { releaseDate: date } : {},
  );
}

/** The SOUP of the release of `version` by id. */
export function soupIdsOf(
  analysis: Pick<Analysis, 'graph' | 'safety'>,
  version: string,
  release: DossierRecord | undefined,
): Set<string> {
  return new Set(soupOfRelease(analysis, version, release).map((s) => s.id));
}

/** The advisory data of every ecosystem, judged for the SOUP of `version` at `referenceDate`. */
export function releaseAdvisoryData(
  analysis: Analysis,
  version: string,
  release: DossierRecord | undefined,
  referenceDate: string,
): AdvisoryFreshness[] {
  const coverage = coverageOf(analysis.advisoryCoverage, soupIdsOf(analysis, version, release));
  return freshnessAt(coverage, referenceDate, advisoryMaxAgeDays(analysis.project.config));
}

/**
 * Does a finding count against a release made on `referenceDate`? Only when its advisory was
 * published on or before that day (UTC); one without a publication date counts (fail closed).
 */
export function publishedBy(finding: SoupFinding, referenceDate: string): boolean {
  return finding.published === undefined || utcDate(finding.published) <= referenceDate;
}

/** Findings on the SOUP of `version` published after `referenceDate`: postmarket, not blockers. */
export function postmarketFindings(
  analysis: Analysis,
  version: string,
  release: DossierRecord | undefined,
  referenceDate: string,
): SoupFinding[] {
  const scope = soupIdsOf(analysis, version, release);
  return (analysis.soupScan?.findings ?? []).filter(
    (f) => scope.has(f.soupId) && !publishedBy(f, referenceDate),
  );
}
