/**
 * Matching SOUP records against OSV advisories, and pairing each finding with its evaluation.
 *
 * Pure over an {@link AdvisorySource}: the SQLite store implements it, tests use an in-memory one.
 * Identity is the purl (never CPE or bare name); the comparator is the ecosystem's (IEC 62304 7.1.3
 * asks for the anomalies of *the version in use*, so ordering must be right per ecosystem).
 */
import { compareById, type DossierRecord } from '../model/record.js';
import type { EcosystemData, StoredAdvisory } from './advisories/store.js';
import { anomalyReviewOf, vulnerabilityReviewGap } from './anomaly-review.js';
import { describeReason, type MatchReason, matchVersion } from './osv/match.js';
import type { OsvAffected, OsvRecord } from './osv/types.js';
import { normalizePypiName, osvPackageOf, PurlError, parsePurl } from './purl.js';
import { inUse as isInUse } from './scope.js';
import { comparatorFor } from './versions/index.js';

export interface AdvisorySource {
  /**
   * What the source holds per ecosystem. SOUP of an ecosystem it holds nothing for is not scanned
   * (finding no advisory there would mean nothing), and says so.
   */
  advisoryData(): readonly EcosystemData[];
  /**
   * Non-withdrawn advisories with an `affected` entry for this package. One whose stored data could
   * not be read comes back marked `unreadable` and is reported as assumed affected.
   */
  findAffecting(ecosystem: string, name: string): readonly StoredAdvisory[];
  /** The id and every alias of it, transitively (symmetric, not via `upstream`/`related`). */
  aliasClosure(id: string): readonly string[];
  /** Withdrawn advisories naming the package: kept out of matching, shown for the audit trail. */
  withdrawnFor?(ecosystem: string, name: string): readonly OsvRecord[];
}

/** RustSec `informational` advisories are SOUP-health notices, not vulnerabilities. */
export type Informational = 'unmaintained' | 'unsound' | 'notice';

export interface SoupFinding {
  readonly soupId: string;
  readonly ecosystem: string;
  readonly packageName: string;
  readonly version: string;
  readonly advisory: string;
  /** Every id of the vulnerability (advisory id and alias closure), sorted. */
  readonly ids: readonly string[];
  readonly summary?: string;
  readonly published?: string;
  readonly modified: string;
  /** CVSS vectors or database severities as published. */
  readonly severity: readonly string[];
  readonly reasons: readonly string[];
  readonly informational?: Informational;
  /** The evaluation that covers this finding, if any. */
  readonly evaluation?: DossierRecord;
  /**
   * Why the evaluation no longer covers it: written for another version of the SOUP. A finding
   * with a stale evaluation needs a new one, like an unevaluated finding.
   */
  readonly staleBecause?: string;
}

export interface UnmatchableSoup {
  readonly soupId: string;
  readonly why: string;
  /** Its 7.1.3 review, the only evidence for SOUP no advisory database covers. */
  readonly anomalyReview?: { readonly date: string; readonly reviewer?: string };
  /** Why its review does not stand in for advisory data (see vulnerabilityReviewGap); absent when it does. */
  readonly vulnerabilitiesUnreviewed?: string;
}

/** SOUP that could be matched, but the advisory data holds nothing for its ecosystem. */
export interface NotScannedSoup {
  readonly soupId: string;
  readonly ecosystem: string;
}

export interface SupportSuggestion {
  readonly soupId: string;
  readonly advisory: string;
  readonly informational: 'unmaintained';
  readonly current?: string;
  readonly suggested: 'no-longer-maintained';
}

export interface SoupScan {
  /** Findings that need an evaluation (vulnerabilities and unsound notices), by SOUP id then advisory. */
  readonly findings: readonly SoupFinding[];
  /** SOUP that cannot be matched (no purl, no OSV ecosystem, …) — said, not hidden. */
  readonly unmatchable: readonly UnmatchableSoup[];
  /** SOUP of an ecosystem the advisory data does not cover: not scanned, by SOUP id. */
  readonly notScanned: readonly NotScannedSoup[];
  readonly supportSuggestions: readonly SupportSuggestion[];
  /** Withdrawn advisories that name a SOUP package in use (never findings). */
  readonly withdrawn: readonly {
    readonly soupId: string;
    readonly advisory: string;
    readonly withdrawn: string;
  }[];
  /** Evaluations of a matched SOUP item that match no current finding (no longer applies, or a typo). */
  readonly orphanEvaluations: readonly DossierRecord[];
  /** SOUP items matched against advisory data (not the unmatchable or not scanned ones). */
  readonly scanned: number;
}

interface PackageRef {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
}

/** The OSV package and version of a SOUP record, or why there is none. */
export function packageOf(soup: DossierRecord): PackageRef | { why: string } {
  const purlText = soup.fields.purl;
  if (typeof purlText !== 'string') return { why: 'it has no purl, so no advisory database can name it' };
  let purl: ReturnType<typeof parsePurl>;
  try {
    purl = parsePurl(purlText);
  } catch (error) {
    return { why: error instanceof PurlError ? error.message : String(error) };
  }
  const osv = osvPackageOf(purl);
  if (!osv) return { why: `purl type "${purl.type}" has no OSV ecosystem` };
  if (!comparatorFor(osv.ecosystem)) return { why: `no version ordering for ecosystem ${osv.ecosystem}` };
  const raw = purl.version ?? (typeof soup.fields.version === 'string' ? soup.fields.version : undefined);
  if (!raw) return { why: 'it has no version' };
  // OSV writes Go versions without the `v` that go.mod and purls carry.
  const version = osv.ecosystem === 'Go' ? raw.replace(/^v/, '') : raw;
  return { ...osv, version };
}

function samePackage(ref: PackageRef): (affected: OsvAffected) => boolean {
  const base = (e: string) => (e.includes(':') ? e.slice(0, e.indexOf(':')) : e);
  const normalise = ref.ecosystem === 'PyPI' ? normalizePypiName : (n: string) => n;
  return (affected) =>
    affected.package !== undefined &&
    base(affected.package.ecosystem) === ref.ecosystem &&
    normalise(affected.package.name) === ref.name;
}

/** RustSec writes `informational` in the matching `affected[].database_specific` (older exports: top level). */
function informationalOf(
  record: OsvRecord,
  isPackage: (affected: OsvAffected) => boolean,
): Informational | undefined {
  const candidates = [
    ...(record.affected ?? []).filter(isPackage).map((a) => a.database_specific),
    record.database_specific,
  ];
  for (const specific of candidates) {
    const value = (specific as { informational?: unknown } | undefined)?.informational;
    if (value === 'unmaintained' || value === 'unsound' || value === 'notice') return value;
  }
  return undefined;
}

function severityOf(record: OsvRecord): string[] {
  const out = (record.severity ?? []).map((s) => s.score);
  const db = (record.database_specific as { severity?: unknown } | undefined)?.severity;
  if (typeof db === 'string') out.push(db);
  return out;
}

/** Evaluations by SOUP id. */
function evaluationsBySoup(evaluations: readonly DossierRecord[]): Map<string, DossierRecord[]> {
  const out = new Map<string, DossierRecord[]>();
  for (const evaluation of evaluations) {
    const soupId = evaluation.links.soup?.[0];
    if (!soupId) continue;
    const list = out.get(soupId) ?? [];
    list.push(evaluation);
    out.set(soupId, list);
  }
  return out;
}

/** Does the evaluation name this vulnerability by its id or any alias (grype#1836: aliases matter)? */
function evaluationNames(evaluation: DossierRecord, ids: ReadonlySet<string>): boolean {
  const named = [evaluation.fields.advisory, ...((evaluation.fields.aliases as unknown[] | undefined) ?? [])];
  return named.some((n) => typeof n === 'string' && ids.has(n));
}

/** Scans the SOUP records in use (not removed, not obsolete) against the advisories. */
export function scanSoup(
  soups: readonly DossierRecord[],
  evaluations: readonly DossierRecord[],
  advisories: AdvisorySource,
): SoupScan {
  const findings: SoupFinding[] = [];
  const unmatchable: UnmatchableSoup[] = [];
  const supportSuggestions: SupportSuggestion[] = [];
  const withdrawn: { soupId: string; advisory: string; withdrawn: string }[] = [];
  const bySoup = evaluationsBySoup(evaluations);
  const usedEvaluations = new Set<DossierRecord>();
  const matched = new Set<string>();
  const notScanned: NotScannedSoup[] = [];
  /**
   * The finding of one advisory for one SOUP item, with the evaluation that names the advisory or
   * any of its aliases (marked used). An advisory whose stored data cannot be read has only its id.
   */
  const findingOf = (
    soup: DossierRecord,
    ref: PackageRef,
    record: StoredAdvisory,
    reasons: readonly string[],
    informational?: Informational,
  ): SoupFinding => {
    const ids = new Set([record.id, ...advisories.aliasClosure(record.id), ...(record.aliases ?? [])]);
    const evaluation = (bySoup.get(soup.id) ?? []).find((e) => evaluationNames(e, ids));
    if (evaluation) usedEvaluations.add(evaluation);
    const stale = staleness(evaluation, soup);
    return {
      soupId: soup.id,
      ecosystem: ref.ecosystem,
      packageName: ref.name,
      version: ref.version,
      advisory: record.id,
      ids: [...ids].sort(),
      ...(record.summary ? { summary: record.summary } : {}),
      ...(record.published ? { published: record.published } : {}),
      modified: record.modified,
      severity: severityOf(record),
      reasons,
      ...(informational ? { informational } : {}),
      ...(evaluation ? { evaluation } : {}),
      ...(stale ? { staleBecause: stale } : {}),
    };
  };
  const inUse = soups.filter(isInUse).sort(compareById);
  const covered = new Set(
    advisories
      .advisoryData()
      .filter((d) => d.advisories > 0)
      .map((d) => d.ecosystem),
  );

  for (const soup of inUse) {
    const ref = packageOf(soup);
    if ('why' in ref) {
      const review = anomalyReviewOf(soup);
      const gap = vulnerabilityReviewGap(review);
      unmatchable.push({
        soupId: soup.id,
        why: ref.why,
        ...(review
          ? {
              anomalyReview: { date: review.date, ...(review.reviewer ? { reviewer: review.reviewer } : {}) },
            }
          : {}),
        ...(gap ? { vulnerabilitiesUnreviewed: gap } : {}),
      });
      continue;
    }
    if (!covered.has(ref.ecosystem)) {
      notScanned.push({ soupId: soup.id, ecosystem: ref.ecosystem });
      continue;
    }
    matched.add(soup.id);
    for (const record of advisories.withdrawnFor?.(ref.ecosystem, ref.name) ?? []) {
      withdrawn.push({ soupId: soup.id, advisory: record.id, withdrawn: record.withdrawn ?? '' });
    }
    const order = comparatorFor(ref.ecosystem)!;
    const isPackage = samePackage(ref);
    for (const record of advisories.findAffecting(ref.ecosystem, ref.name)) {
      if (record.unreadable !== undefined) {
        // Fail closed: an advisory naming the package that cannot be read is not "not affected".
        const reason = `the stored advisory ${record.id} could not be read (${record.unreadable}), so it is assumed affected; the advisory database is damaged: delete it and import the advisory data again`;
        findings.push(findingOf(soup, ref, record, [reason]));
        continue;
      }
      const match = matchVersion(record, isPackage, ref.version, order);
      // A range whose bounds cannot be read is not evidence of "not affected": like an unparseable
      // version in use, it goes to a person (policy assume-affected) instead of disappearing.
      const unreadable = match.skipped.filter((k) => !k.why.startsWith('GIT'));
      if (!match.affected && unreadable.length === 0) continue;
      const reasons = match.affected
        ? match.reasons.map((r: MatchReason) => describeReason(r))
        : unreadable.map(
            (k) =>
              `affected[${k.affected}].ranges[${k.range}] could not be evaluated (${k.why}), so it is assumed affected`,
          );
      const informational = informationalOf(record, isPackage);
      if (informational === 'unmaintained') {
        const current = typeof soup.fields.supportLevel === 'string' ? soup.fields.supportLevel : undefined;
        if (current !== 'no-longer-maintained' && current !== 'abandoned') {
          supportSuggestions.push({
            soupId: soup.id,
            advisory: record.id,
            informational,
            ...(current ? { current } : {}),
            suggested: 'no-longer-maintained',
          });
        }
        continue;
      }
      findings.push(findingOf(soup, ref, record, reasons, informational));
    }
  }
  findings.sort((a, b) => cmp(a.soupId, b.soupId) || cmp(a.advisory, b.advisory));
  const orphanEvaluations = evaluations
    .filter((e) => !usedEvaluations.has(e) && e.status !== 'obsolete' && matched.has(e.links.soup?.[0] ?? ''))
    .sort(compareById);
  return {
    findings,
    unmatchable,
    notScanned,
    supportSuggestions,
    withdrawn,
    orphanEvaluations,
    scanned: matched.size,
  };
}

/** Why an evaluation no longer covers its finding: it was written for another version of the SOUP. */
function staleness(evaluation: DossierRecord | undefined, soup: DossierRecord): string | undefined {
  const evaluatedVersion = evaluation?.fields.version;
  return evaluation && typeof evaluatedVersion === 'string' && evaluatedVersion !== soup.fields.version
    ? `${evaluation.id} evaluated version ${evaluatedVersion}; ${soup.id} is now ${String(soup.fields.version)}`
    : undefined;
}

/** A finding needs a person: no evaluation, or one written for another version. */
export function needsEvaluation(finding: SoupFinding): boolean {
  return finding.evaluation === undefined || finding.staleBecause !== undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
