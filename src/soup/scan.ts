/**
 * Matching SOUP records against OSV advisories, and pairing each finding with its evaluation.
 *
 * Pure over an {@link AdvisorySource}: the SQLite store implements it, tests use an in-memory one.
 * OSV identity is the purl (never a bare name); the comparator is the ecosystem's (IEC 62304 7.1.3
 * asks for the anomalies of *the version in use*, so ordering must be right per ecosystem). NVD CVEs
 * are matched by the CPE names a record states itself (`cpe`), never by a CPE guessed from a name:
 * that is where CPE matching produces its false positives and misses (grype, Dependency-Track).
 */

import { compareById, type DossierRecord } from '../model/record.js';
import { perRecord } from '../util/per-record.js';
import type { EcosystemData, StoredAdvisory, StoredCve } from './advisories/store.js';
import { anomalyReviewOf, vulnerabilityReviewGap } from './anomaly-review.js';
import { type Cpe, cpeTextsOf, parseCpe, soupCpeProblem, unescapeCpe } from './cpe/name.js';
import { type KevCatalogInfo, type KevEntry, kevOf } from './kev/catalog.js';
import type { EpssInfo, EpssScore } from './kev/epss.js';
import { matchCriterion, matchCve } from './nvd/match.js';
import { NVD_SOURCE, type NvdCpeMatch } from './nvd/types.js';
import {
  describeGitReason,
  GIT_SOURCE,
  type GitIdentity,
  matchGitRecord,
  normalizeRepoUrl,
  repoOfPurl,
  repositoryTextsOf,
} from './osv/git.js';
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
  /**
   * NVD CVEs (not rejected) with a CPE match criterion for this vendor and product, by id. A source
   * without it holds no NVD data: SOUP matched by CPE is then "not checked".
   */
  findCves?(vendor: string, product: string, keep?: (match: NvdCpeMatch) => boolean): readonly StoredCve[];
  /**
   * Non-withdrawn OSV advisories naming one of these repositories (normalised URL keys) in a GIT
   * range or as a package of ecosystem GIT. A source without it holds no such data: SOUP matched
   * by repository is then "not checked".
   */
  findGitAffecting?(repos: readonly string[]): readonly StoredAdvisory[];
  /** Withdrawn advisories naming one of these repositories (the audit trail). */
  withdrawnForRepos?(repos: readonly string[]): readonly OsvRecord[];
  /** CISA's KEV catalog held, or undefined: then no finding's KEV status is known ("not checked"). */
  kevCatalog?(): KevCatalogInfo | undefined;
  /** The KEV entry of a CVE id, when the catalog held lists it. */
  kevEntry?(cve: string): KevEntry | undefined;
  /** FIRST's EPSS scores held, or undefined ("EPSS not checked"). */
  epssInfo?(): EpssInfo | undefined;
  epssScore?(cve: string): EpssScore | undefined;
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
  /**
   * NVD findings from an AND configuration only: the platform the CVE needs (`only when running on
   * or with …`), which Dossier cannot evaluate. Still a finding; the evaluation says whether the
   * device is such a platform.
   */
  readonly conditional?: string;
  /**
   * CISA KEV entry of one of its CVE ids (advisory id or alias), when the catalog lists it. Absent
   * means "not listed" only when {@link SoupScan.kev} is set; without a catalog, "not checked".
   */
  readonly kev?: KevEntry;
  /** FIRST EPSS score of its CVE id (the highest among its ids), when EPSS data lists it. */
  readonly epss?: EpssScore & { readonly cve: string };
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
  /**
   * SOUP an optional source could also have matched, had its data been loaded: OSV's GIT data for a
   * repository known from a `pkg:github` purl. Said, but not a failure: the item's other sources, or
   * its anomaly-list review, carry it.
   */
  readonly notScannedOptional?: readonly NotScannedSoup[];
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
  /** The KEV catalog the findings were checked against; null when none was loaded ("KEV not checked"). */
  readonly kev: KevCatalogInfo | null;
  /** The EPSS scores the findings were looked up in; null when none were loaded. */
  readonly epss?: EpssInfo | null;
}

interface PackageRef {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
}

/** The OSV package and version of a SOUP record, or why there is none. */
export const packageOf = perRecord(packageOfRecord);

function packageOfRecord(soup: DossierRecord): PackageRef | { readonly why: string } {
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

/**
 * The CPE names of a SOUP record that are well-formed and name an exact version (a malformed one is
 * the schema's error, and is not used).
 */
export function cpesOf(soup: DossierRecord): Cpe[] {
  return cpeTextsOf(soup.fields.cpe)
    .filter((text) => soupCpeProblem(text) === undefined)
    .map((text) => parseCpe(text));
}

/**
 * The repositories and version a SOUP record is matched by against OSV advisories keyed by git:
 * its `repository` URL(s), a forge purl (`pkg:github/owner/repo@tag`, `pkg:gitlab/…`,
 * `pkg:bitbucket/…`) or a purl's `vcs_url`; the version is the purl's, else the record's. A
 * suggested or unusable URL is not an identity.
 */
export const gitIdentityOf = perRecord(gitIdentityOfRecord);

function gitIdentityOfRecord(soup: DossierRecord): GitIdentity | { readonly why: string } {
  const repos = new Set<string>();
  for (const text of repositoryTextsOf(soup.fields.repository)) {
    const key = normalizeRepoUrl(text);
    if (key) repos.add(key);
  }
  const required = repos.size > 0;
  let version = typeof soup.fields.version === 'string' ? soup.fields.version : undefined;
  if (typeof soup.fields.purl === 'string') {
    try {
      const purl = parsePurl(soup.fields.purl);
      const key = repoOfPurl(purl);
      if (key) repos.add(key);
      if (purl.version) version = purl.version;
    } catch {
      // A malformed purl is the schema's and packageOf's to report.
    }
  }
  if (repos.size === 0)
    return {
      why:
        soup.fields.repository === undefined
          ? 'it names no repository'
          : 'its repository is not a repository URL',
    };
  if (!version) return { why: 'it has no version' };
  return { repos: [...repos].sort(), version, required };
}

/** The repository identity of a record when it asks for GIT data (its `repository` field), else undefined. */
function requiredGit(soup: DossierRecord): GitIdentity | undefined {
  const git = gitIdentityOf(soup);
  return 'why' in git || !git.required ? undefined : git;
}

/**
 * The advisory sources a SOUP record must be checked against: its OSV ecosystem (by purl), `NVD`
 * (by its CPEs) and `GIT` (OSV advisories keyed by the repository its `repository` field names).
 * Empty when none can: the item is "not matchable" and its anomaly-list review carries the
 * vulnerabilities (7.1.3). A repository known only from a `pkg:github` purl is matched when GIT
 * data is loaded ({@link optionalSourcesOf}) but is not one of these.
 */
export function advisorySourcesOf(soup: DossierRecord): string[] {
  const ref = packageOf(soup);
  return [
    ...('why' in ref ? [] : [ref.ecosystem]),
    ...(cpesOf(soup).length > 0 ? [NVD_SOURCE] : []),
    ...(requiredGit(soup) ? [GIT_SOURCE] : []),
  ];
}

/**
 * Sources that could also match the record when their data is loaded, without being required:
 * `GIT` for a repository known only from a forge purl (`pkg:github/…`) or a purl's `vcs_url`.
 */
export function optionalSourcesOf(soup: DossierRecord): string[] {
  const git = gitIdentityOf(soup);
  return 'why' in git || git.required ? [] : [GIT_SOURCE];
}

/** Why no advisory database can match the record (no usable purl, CPE or repository), or undefined. */
export function unmatchableWhy(soup: DossierRecord): string | undefined {
  const ref = packageOf(soup);
  const git = gitIdentityOf(soup);
  if (!('why' in ref) || cpesOf(soup).length > 0 || requiredGit(soup)) return undefined;
  const cpe = soup.fields.cpe === undefined ? '' : ', and its cpe is not a usable CPE 2.3 name';
  const repository =
    soup.fields.repository === undefined
      ? ''
      : `, and ${'why' in git ? git.why : 'its repository is not usable'}`;
  return `${ref.why}${cpe}${repository}`;
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
  const notScannedOptional: NotScannedSoup[] = [];
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

  const nvdCovered = covered.has(NVD_SOURCE) && advisories.findCves !== undefined;
  const gitCovered = covered.has(GIT_SOURCE) && advisories.findGitAffecting !== undefined;
  for (const soup of inUse) {
    const ref = packageOf(soup);
    const cpes = cpesOf(soup);
    if (cpes.length > 0) {
      if (nvdCovered) {
        matched.add(soup.id);
        findings.push(...nvdFindings(soup, cpes, advisories, bySoup, usedEvaluations));
      } else notScanned.push({ soupId: soup.id, ecosystem: NVD_SOURCE });
    }
    const git = gitIdentityOf(soup);
    if (!('why' in git)) {
      if (gitCovered) {
        matched.add(soup.id);
        for (const record of advisories.withdrawnForRepos?.(git.repos) ?? [])
          withdrawn.push({ soupId: soup.id, advisory: record.id, withdrawn: record.withdrawn ?? '' });
        const gitRef = { ecosystem: GIT_SOURCE, name: git.repos.join(', '), version: git.version };
        // This item's NVD findings (pushed just before), by advisory id.
        const nvdOfSoup = new Map<string, number>();
        for (let i = findings.length - 1; i >= 0 && findings[i]!.soupId === soup.id; i--)
          if (findings[i]!.ecosystem === NVD_SOURCE) nvdOfSoup.set(findings[i]!.advisory, i);
        const repos = new Set(git.repos);
        for (const record of advisories.findGitAffecting!(git.repos)) {
          let reasons: string[];
          if (record.unreadable !== undefined) {
            reasons = [
              `the stored advisory ${record.id} could not be read (${record.unreadable}), so it is assumed affected; the advisory database is damaged: delete it and import the advisory data again`,
            ];
          } else {
            const match = matchGitRecord(record, repos, git.version);
            if (!match.affected && !match.couldNotCompare) continue;
            reasons = match.reasons.map((r) => describeGitReason(r, git.version));
          }
          // The same CVE found through the NVD (an OSV record converted from it has its id): one finding.
          const same = nvdOfSoup.get(record.id);
          if (same !== undefined) {
            const found = findings[same]!;
            findings[same] = {
              ...found,
              reasons: [...found.reasons, ...reasons.map((r) => `OSV (by repository): ${r}`)],
            };
            continue;
          }
          findings.push(findingOf(soup, gitRef, record, reasons));
        }
      } else if (git.required) notScanned.push({ soupId: soup.id, ecosystem: GIT_SOURCE });
      else notScannedOptional.push({ soupId: soup.id, ecosystem: GIT_SOURCE });
    }
    if ('why' in ref) {
      if (cpes.length > 0 || (!('why' in git) && git.required)) continue;
      const review = anomalyReviewOf(soup);
      const gap = vulnerabilityReviewGap(review);
      unmatchable.push({
        soupId: soup.id,
        why: unmatchableWhy(soup) ?? ref.why,
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
  const kev = advisories.kevCatalog?.() ?? null;
  const kevEntry = advisories.kevEntry?.bind(advisories);
  const epss = advisories.epssInfo?.() ?? null;
  const withKev = findings.map((f) => {
    const entry = kev && kevEntry ? kevOf(f.ids, kevEntry) : undefined;
    const score = epss ? epssOf(f.ids, advisories) : undefined;
    return entry || score ? { ...f, ...(entry ? { kev: entry } : {}), ...(score ? { epss: score } : {}) } : f;
  });
  const orphanEvaluations = evaluations
    .filter((e) => !usedEvaluations.has(e) && e.status !== 'obsolete' && matched.has(e.links.soup?.[0] ?? ''))
    .sort(compareById);
  return {
    findings: withKev,
    unmatchable,
    notScanned,
    notScannedOptional,
    supportSuggestions,
    withdrawn,
    orphanEvaluations,
    scanned: matched.size,
    kev,
    epss,
  };
}

/**
 * The NVD findings of one SOUP item: the CVEs whose configurations match any of its CPEs (its vendor
 * aliases together), each paired with the evaluation naming it or an alias, as OSV findings are.
 * A CVE whose stored JSON cannot be read is a finding assumed affected (fail closed).
 */
function nvdFindings(
  soup: DossierRecord,
  cpes: readonly Cpe[],
  advisories: AdvisorySource,
  bySoup: ReadonlyMap<string, DossierRecord[]>,
  used: Set<DossierRecord>,
): SoupFinding[] {
  const candidates = new Map<string, StoredCve>();
  for (const key of new Set(cpes.map((c) => `${c.vendor}\u0000${c.product}`))) {
    const [vendor, product] = key.split('\u0000') as [string, string];
    // Only CVEs with a criterion that could match one of the item's CPEs are loaded whole; the
    // rest could never be a finding (matchCve reports nothing without such a criterion).
    const keep = (match: NvdCpeMatch) => cpes.some((cpe) => matchCriterion(cpe, match).kind !== 'no');
    for (const cve of advisories.findCves!(vendor, product, keep)) candidates.set(cve.id, cve);
  }
  const names = [...new Set(cpes.map((c) => `${unescapeCpe(c.vendor)}:${unescapeCpe(c.product)}`))];
  const versions = [...new Set(cpes.map((c) => unescapeCpe(c.version)))];
  const out: SoupFinding[] = [];
  for (const stored of [...candidates.values()].sort((a, b) => cmp(a.id, b.id))) {
    let reasons: readonly string[];
    let conditional: string | undefined;
    if (stored.unreadable !== undefined) {
      reasons = [
        `the stored CVE ${stored.id} could not be read (${stored.unreadable}), so it is assumed affected; the advisory database is damaged: delete it and import the NVD data again`,
      ];
    } else {
      const match = matchCve(stored.cve, cpes);
      if (!match) continue;
      reasons = match.reasons;
      conditional = match.conditional;
    }
    const ids = new Set([stored.id, ...advisories.aliasClosure(stored.id)]);
    const evaluation = (bySoup.get(soup.id) ?? []).find((e) => evaluationNames(e, ids));
    if (evaluation) used.add(evaluation);
    const stale = staleness(evaluation, soup);
    const { summary, published } = stored;
    out.push({
      soupId: soup.id,
      ecosystem: NVD_SOURCE,
      packageName: names.join(', '),
      version: versions.join(', '),
      advisory: stored.id,
      ids: [...ids].sort(),
      ...(summary ? { summary } : {}),
      ...(published ? { published } : {}),
      modified: stored.lastModified,
      severity: stored.severity,
      reasons,
      ...(conditional ? { conditional } : {}),
      ...(evaluation ? { evaluation } : {}),
      ...(stale ? { staleBecause: stale } : {}),
    });
  }
  return out;
}

/** Why an evaluation no longer covers its finding: it was written for another version of the SOUP. */
function staleness(evaluation: DossierRecord | undefined, soup: DossierRecord): string | undefined {
  const evaluatedVersion = evaluation?.fields.version;
  return evaluation && typeof evaluatedVersion === 'string' && evaluatedVersion !== soup.fields.version
    ? `${evaluation.id} evaluated version ${evaluatedVersion}; ${soup.id} is now ${String(soup.fields.version)}`
    : undefined;
}

/** The highest EPSS score among a finding's CVE ids (aliases can name more than one CVE). */
function epssOf(
  ids: readonly string[],
  advisories: AdvisorySource,
): (EpssScore & { cve: string }) | undefined {
  let best: (EpssScore & { cve: string }) | undefined;
  for (const cve of ids.filter((id) => id.startsWith('CVE-'))) {
    const score = advisories.epssScore?.(cve);
    if (score && (!best || score.epss > best.epss)) best = { cve, ...score };
  }
  return best;
}

/**
 * A KEV-listed finding that needs an evaluation: exploited in the wild and not evaluated for the
 * version in use. FDA premarket cybersecurity guidance (KEV named as the source of exploitation
 * information) and FD&C 524B: blocks the release and is an error whatever the safety class.
 */
export function kevUnevaluated(finding: SoupFinding): boolean {
  return finding.kev !== undefined && needsEvaluation(finding);
}

/** A finding needs a person: no evaluation, or one written for another version. */
export function needsEvaluation(finding: SoupFinding): boolean {
  return finding.evaluation === undefined || finding.staleBecause !== undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
