/**
 * The release gate (IEC 62304 5.8): everything that must be true before a version is released,
 * each check citing its clause. `dossier release check <version>` lists every blocker; a version
 * with none may be released.
 *
 * Checks are data (code, clauses, what they check) plus a pure function over the analysis, like the
 * rules of `dossier check`; the verification checks look only at results on the version released.
 */

import type { Analysis } from '../analyze.js';
import { listIds, plural } from '../diagnostics/format.js';
import { assessCarriedForward, type CarriedAssessment, carriedEntriesOf } from '../impact/carried-forward.js';
import { type SuspectLink, suspectLinks } from '../links/suspect.js';
import { assertLoadComplete } from '../load/unloaded.js';
import { HOW_TO_APPROVE } from '../model/approval.js';
import { advisoryMaxAgeDays, anomalyReviewMaxAgeDays } from '../model/config.js';
import { type KindName, kindSpec } from '../model/kinds.js';
import { formatBytes, limitsOf, raiseHint } from '../model/limits.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { UNIT_ACCEPTANCE_CRITERIA } from '../model/vocabulary.js';
import { REVIEW_OBLIGATIONS, type ReviewObligation, reviewCoverage } from '../reviews/coverage.js';
import { labelOfReviewType } from '../reviews/review.js';
import { clauseAppliesAt } from '../safety/class-scheme.js';
import { creditedExternalControls as classificationCredits } from '../safety/external-credit.js';
import {
  type ControlVerification,
  hasBenefitRisk,
  residualRiskOf,
  residualUnevaluatedBecause,
} from '../safety/risk-evaluation.js';
import { type SubjectClassOf, subjectClasses } from '../safety/subject-class.js';
import {
  anomalyReviewOf,
  reviewBlocksAt,
  reviewNotCurrent,
  vulnerabilityReviewGap,
} from '../soup/anomaly-review.js';
import {
  type AdvisoryFreshness,
  coverageOf,
  loadDataHint,
  notScannedText,
  staleText,
} from '../soup/coverage.js';
import { KEV_CLAUSES, kevText } from '../soup/kev/catalog.js';
import {
  advisorySourcesOf,
  kevUnevaluated,
  needsEvaluation,
  type SoupFinding,
  unmatchableWhy,
} from '../soup/scan.js';
import { daysBetween } from '../util/clock.js';
import { runSteps, type Steps } from '../util/steps.js';
import { caseMapperFor } from './import-run.js';
import { readJUnit } from './junit.js';
import {
  approvalRequirements,
  inReleaseScope,
  releaseClass,
  unapprovedInScope,
} from './release-approvals.js';
import { configurationGaps } from './release-configuration.js';
import { SIGNATURE_GATE_CLAUSES, signatureGapMessage, signatureGaps } from './release-signatures.js';
import {
  postmarketFindings,
  publishedBy,
  referenceDateOf,
  releaseAdvisoryData,
  soupIdsOf,
  soupOfRelease,
} from './release-soup.js';
import { disagreementsWithReport } from './report-consistency.js';
import { decodeReport, reportSha256 } from './report-encoding.js';
import {
  nextTrackedManifest,
  parseTrackedManifest,
  type TrackedState,
  trackedManifestPath,
  trackedManifestText,
} from './tracked-manifest.js';
import {
  appliesTo,
  describeVerdict,
  latestVerdicts,
  resultsOf,
  runVerdicts,
  type Verdict,
  verdictsOn,
  verificationStatus,
} from './verdicts.js';

export interface Blocker {
  readonly code: string;
  readonly clauses: readonly string[];
  readonly message: string;
  readonly recordId?: string;
  /** Every record a grouped blocker is about (one blocker per kind, not one per record). */
  readonly records?: readonly BlockerRecord[];
}

export interface BlockerRecord {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly file: string;
}

/** A check that `dossier.yaml` turned off, and the reason it gives (shown in every report). */
export interface Waiver {
  readonly code: string;
  readonly kind: string;
  readonly reason: string;
}

export interface GateContext {
  readonly analysis: Analysis;
  readonly version: string;
  readonly release?: DossierRecord;
  readonly verdicts: ReadonlyMap<string, Verdict>;
  readonly latest: ReadonlyMap<string, Verdict>;
  /** The class a record is held to (src/safety/subject-class.ts, the same reading as `check`). */
  readonly classOf: SubjectClassOf;
  /** The reports named by the runs on the version and the manifest of earlier gates, as read now. */
  readonly evidence?: GateEvidence;
}

export interface GateCheck {
  readonly code: string;
  readonly clauses: readonly string[];
  readonly summary: string;
  check(context: GateContext): Blocker[];
}

/** Evidence records (test runs, verification reports) of one version, obsolete ones included. */
function evidenceOnRecord(analysis: Analysis, version: string): DossierRecord[] {
  return [...analysis.graph.ofKind('test-run'), ...analysis.graph.ofKind('verification-report')].filter(
    (r) => String(r.fields.version) === version,
  );
}

/** Active evidence records (test runs, verification reports) of one version. */
function evidenceOn(analysis: Analysis, version: string): DossierRecord[] {
  return evidenceOnRecord(analysis, version).filter(isActive);
}

const activeOn = (analysis: Analysis, kind: Parameters<Analysis['graph']['ofKind']>[0], version: string) =>
  analysis.graph.ofKind(kind).filter((r) => isActive(r) && appliesTo(r, version));

/** Tests of `level` that verify the record (directly). */
function testsOf(context: GateContext, record: DossierRecord, level?: string): DossierRecord[] {
  return context.analysis.graph
    .sources(record, 'verifies', 'test')
    .filter(
      (t) =>
        isActive(t) && appliesTo(t, context.version) && (level === undefined || t.fields.level === level),
    );
}

/** Why the tests do not verify something on the version, or undefined when they do. */
function unverifiedBecause(
  context: GateContext,
  tests: readonly DossierRecord[],
  what: string,
): string | undefined {
  if (tests.length === 0) return `no ${what} verifies it`;
  const status = verificationStatus(
    tests.map((t) => t.id),
    context.verdicts,
  );
  if (status.verified) return undefined;
  const describe = (id: string) => describeVerdict(id, context.version, context.verdicts, context.latest);
  const shown = status.failing.length > 0 ? status.failing.map((v) => v.testId) : status.missing;
  return shown.map(describe).join('; ');
}

const itemClass = (context: GateContext, item: DossierRecord) => context.classOf(item.id);

/** "software requirement", "SOUP item": a kind's label as a noun inside a sentence. */
function kindLabel(kind: Parameters<typeof kindSpec>[0]): string {
  const label = kindSpec(kind).label;
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

/**
 * The risk controls external to the software system that the classification credits (4.3 a) and
 * actually uses to lower a class, each with the situations whose estimate names it in
 * `withExternalControls.credits`. A credit that is not applied lowers nothing (and is a check error).
 */
export function creditedExternalControls(
  analysis: Analysis,
): { verification: ControlVerification; creditedBy: string[] }[] {
  const verificationOf = new Map<DossierRecord, ControlVerification>();
  for (const risk of analysis.safety.risks)
    for (const verification of risk.controls) verificationOf.set(verification.control, verification);
  return classificationCredits(analysis.safety).flatMap((credited) => {
    const verification = credited.control && verificationOf.get(credited.control);
    return credited.applied && verification
      ? [{ verification, creditedBy: [...credited.situations].sort() }]
      : [];
  });
}

/** Why a credited external control is not verified on the version, or undefined when it is. */
function externalControlUnverifiedBecause(
  context: GateContext,
  verification: ControlVerification,
): string | undefined {
  const since = verification.control.fields.introducedIn;
  if (!appliesTo(verification.control, context.version)) {
    return `it is introduced in ${String(since)}, so ${context.version} cannot rely on it`;
  }
  const onVersion = (tests: readonly DossierRecord[]) => tests.filter((t) => appliesTo(t, context.version));
  const reasons = [
    ['implementation', unverifiedBecause(context, onVersion(verification.implementation), 'test')],
    [
      'effectiveness',
      unverifiedBecause(
        context,
        onVersion(verification.effectiveness),
        'effectiveness test (`verifiesEffectiveness`)',
      ),
    ],
  ].filter(([, why]) => why !== undefined);
  return reasons.length > 0 ? reasons.map(([what, why]) => `${what}: ${why}`).join('; ') : undefined;
}
/** Whether a clause applies at the item's class: Table A.1, the one source `dossier check` uses too. */
const clauseAppliesToItem = (context: GateContext, item: DossierRecord, clause: string) =>
  clauseAppliesAt(context.analysis.safety.scheme, clause, itemClass(context, item));

const short = (sha256: string) => `${sha256.slice(0, 12)}…`;

const evidenceChanged = (message: string, recordId?: string): Blocker => ({
  code: 'release/evidence-changed',
  clauses: ['5.7.5', '5.8.7'],
  message,
  ...(recordId ? { recordId } : {}),
});

/** Per run, the disagreements listed one by one; the rest are counted (a swapped report lists thousands). */
const MAX_DISAGREEMENTS_SHOWN = 20;

/** What only `dossier evidence import` writes into a run: the report's totals and case names. */
function importSignsOf(run: DossierRecord): string[] {
  const results = (run.fields.results as { case?: unknown }[] | undefined) ?? [];
  return [
    ...(run.fields.totals !== undefined ? ['totals'] : []),
    ...(results.some((r) => r.case !== undefined) ? ['case names'] : []),
    ...(run.fields.reportWarnings !== undefined ? ['reportWarnings'] : []),
  ];
}

/**
 * The design outputs of the release are verified (5.2.6, 5.3.6, 5.4.4): each record of the version
 * where the clause applies at its class, by a passed review of its current content made on or
 * before the release date (src/reviews/coverage.ts, the same reading as the check rules).
 */
function reviewGateCheck(code: string, obligation: ReviewObligation, summary: string): GateCheck {
  return {
    code,
    clauses: [obligation.clause],
    summary,
    check: (context) => {
      const { date } = referenceDateOf(context.analysis, context.release);
      const dated = typeof context.release?.fields.date === 'string';
      // The same options for every record (tens of thousands of requirements): made once.
      const options = {
        onOrBefore: date,
        dateName: dated ? `the release date ${date}` : `today (${date}; the release has no date)`,
      };
      return activeOn(context.analysis, obligation.kind, context.version)
        .filter(
          (record) => obligation.applies(record) && clauseAppliesToItem(context, record, obligation.clause),
        )
        .flatMap((record) => {
          const coverage = reviewCoverage(context.analysis.graph, record, obligation.reviewType, options);
          return coverage.covered
            ? []
            : [
                {
                  code,
                  clauses: [obligation.clause],
                  message: `${record.id} (${record.title}, class ${itemClass(context, record)}) is not verified by a passed ${labelOfReviewType(obligation.reviewType)} of its current content: ${coverage.why}`,
                  recordId: record.id,
                },
              ];
        });
    },
  };
}

/**
 * The findings of the release's SOUP published by its reference date that `keep` selects, with
 * that date (an advisory published later was not knowable at the release).
 */
function releaseFindings(
  { analysis, version, release }: GateContext,
  keep: (finding: SoupFinding) => boolean,
): { finding: SoupFinding; date: string }[] {
  const { date } = referenceDateOf(analysis, release);
  const scope = soupIdsOf(analysis, version, release);
  return (analysis.soupScan?.findings ?? [])
    .filter((f) => scope.has(f.soupId) && publishedBy(f, date) && keep(f))
    .map((finding) => ({ finding, date }));
}

export const GATE_CHECKS: readonly GateCheck[] = [
  {
    code: 'release/record-missing',
    clauses: ['5.8.4'],
    summary: 'A release record names the version released.',
    check: ({ release, version }) =>
      release
        ? []
        : [
            {
              code: 'release/record-missing',
              clauses: ['5.8.4'],
              message: `no release record has version ${version}`,
            },
          ],
  },
  {
    code: 'release/record-incomplete',
    clauses: ['5.8.5', '5.8.7', '5.8.8'],
    summary: 'The release record says how it was built, where it is archived and how it is delivered.',
    check: ({ release }) => {
      if (!release) return [];
      const needed: [string, string][] = [
        ['buildProcedure', '5.8.5'],
        ['buildEnvironment', '5.8.5'],
        ['archive', '5.8.7'],
        ['delivery', '5.8.8'],
        ['date', '5.8.4'],
      ];
      return needed
        .filter(([field]) => release.fields[field] === undefined)
        .map(([field, clause]) => ({
          code: 'release/record-incomplete',
          clauses: [clause],
          message: `${release.id} has no \`${field}\``,
          recordId: release.id,
        }));
    },
  },
  {
    code: 'release/configuration-incomplete',
    clauses: ['8.1.3'],
    summary:
      'The release record identifies its configuration: the commit, the SOUP baseline and the software items, in agreement with the records of the version.',
    check: ({ analysis, release }) =>
      release
        ? configurationGaps(analysis, release).map((gap) => ({
            code: 'release/configuration-incomplete',
            clauses: ['8.1.3'],
            message: gap.message,
            recordId: release.id,
          }))
        : [],
  },
  {
    code: 'release/records-have-errors',
    clauses: ['5.8.1'],
    summary: '`dossier check` finds no errors in the records.',
    check: ({ analysis }) => {
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length === 0) return [];
      const codes = [...new Set(errors.map((d) => d.code))].sort();
      return [
        {
          code: 'release/records-have-errors',
          clauses: ['5.8.1'],
          message: `dossier check reports ${errors.length} error(s) (${codes.join(', ')}); run dossier check for the list`,
        },
      ];
    },
  },
  {
    code: 'release/requirement-unverified',
    clauses: ['5.7.1', '5.7.4', '5.8.1'],
    summary: 'Every software requirement is verified by a system-level test that passed on this version.',
    check: (context) =>
      activeOn(context.analysis, 'software-requirement', context.version).flatMap((requirement) => {
        const why = unverifiedBecause(context, testsOf(context, requirement, 'system'), 'system-level test');
        return why
          ? [
              {
                code: 'release/requirement-unverified',
                clauses: ['5.7.1', '5.7.4'],
                message: `${requirement.id} (${requirement.title}) is not verified on ${context.version}: ${why}`,
                recordId: requirement.id,
              },
            ]
          : [];
      }),
  },
  {
    code: 'release/item-not-integration-tested',
    clauses: ['5.6.3', '5.6.7'],
    summary: 'Every class B and C software item has an integration test that passed on this version.',
    check: (context) =>
      activeOn(context.analysis, 'software-item', context.version)
        .filter((item) => item.fields.itemType === 'item' && clauseAppliesToItem(context, item, '5.6.3'))
        .flatMap((item) => {
          const why = unverifiedBecause(context, testsOf(context, item, 'integration'), 'integration test');
          return why
            ? [
                {
                  code: 'release/item-not-integration-tested',
                  clauses: ['5.6.3', '5.6.7'],
                  message: `${item.id} (${item.title}, class ${itemClass(context, item)}) is not integration-tested on ${context.version}: ${why}`,
                  recordId: item.id,
                },
              ]
            : [];
        }),
  },
  {
    code: 'release/unit-unverified',
    clauses: ['5.5.2', '5.5.3', '5.5.5'],
    summary:
      'Every class B and C software unit is verified: a unit test passed on this version, or other unit verification evidence.',
    check: (context) =>
      activeOn(context.analysis, 'software-item', context.version)
        .filter((unit) => unit.fields.itemType === 'unit' && clauseAppliesToItem(context, unit, '5.5.5'))
        .flatMap((unit) => {
          const why = unverifiedBecause(context, testsOf(context, unit, 'unit'), 'unit test');
          return why
            ? [
                {
                  code: 'release/unit-unverified',
                  clauses: ['5.5.5'],
                  message: `${unit.id} (${unit.title}, class ${itemClass(context, unit)}) has no passing unit verification on ${context.version}: ${why}`,
                  recordId: unit.id,
                },
              ]
            : [];
        }),
  },
  {
    code: 'release/unit-acceptance-criteria',
    clauses: ['5.5.4'],
    summary:
      'Every class C unit has, for each of the eight 5.5.4 acceptance criteria, evidence or a reasoned "not applicable".',
    check: (context) =>
      activeOn(context.analysis, 'software-item', context.version)
        .filter((unit) => unit.fields.itemType === 'unit' && clauseAppliesToItem(context, unit, '5.5.4'))
        .flatMap((unit) => {
          const criteria = (unit.fields.unitVerification ?? {}) as Record<
            string,
            { tests?: string[]; evidence?: string; notApplicable?: string }
          >;
          return UNIT_ACCEPTANCE_CRITERIA.flatMap(({ key, label }) => {
            const entry = criteria[key];
            if (entry?.notApplicable) return [];
            // Tests named for a criterion must pass on this version; evidence text counts only alone.
            const named = entry?.tests ?? [];
            if (named.length === 0 && entry?.evidence) return [];
            const tests = named
              .map((id) => context.analysis.graph.byId.get(id))
              .filter((t): t is DossierRecord => t !== undefined);
            const why =
              named.length > 0
                ? unverifiedBecause(context, tests, 'test')
                : 'no evidence and no reasoned "not applicable"';
            return why
              ? [
                  {
                    code: 'release/unit-acceptance-criteria',
                    clauses: ['5.5.4'],
                    message: `${unit.id} (${unit.title}): ${label} (\`unitVerification.${key}\`): ${why}`,
                    recordId: unit.id,
                  },
                ]
              : [];
          });
        }),
  },
  reviewGateCheck(
    'release/requirement-unreviewed',
    REVIEW_OBLIGATIONS.requirements,
    'Every software requirement of the release is covered by a passed requirements review (5.2.6) of its current content, dated on or before the release.',
  ),
  reviewGateCheck(
    'release/architecture-unreviewed',
    REVIEW_OBLIGATIONS.architecture,
    'The software system and every software item of the release are covered by a passed architecture review (5.3.6) of their current content, dated on or before the release (class B and C).',
  ),
  reviewGateCheck(
    'release/design-unreviewed',
    REVIEW_OBLIGATIONS.detailedDesign,
    'Every software unit of the release is covered by a passed detailed design review (5.4.4) of its current content, dated on or before the release (class C).',
  ),
  {
    code: 'release/risk-control-unverified',
    clauses: ['7.3.1'],
    summary:
      'Every software risk control is verified on this version, directly or through the requirements that implement it.',
    check: (context) =>
      activeOn(context.analysis, 'risk-control', context.version)
        .filter((control) => control.fields.implementedIn === 'software')
        .flatMap((control) => {
          const graph = context.analysis.graph;
          const requirements = graph.sources(control, 'implements', 'software-requirement').filter(isActive);
          const tests = [...testsOf(context, control), ...requirements.flatMap((r) => testsOf(context, r))];
          const why = unverifiedBecause(context, [...new Set(tests)], 'test');
          return why
            ? [
                {
                  code: 'release/risk-control-unverified',
                  clauses: ['7.3.1'],
                  message: `${control.id} (${control.title}) is not verified on ${context.version}: ${why}`,
                  recordId: control.id,
                },
              ]
            : [];
        }),
  },
  {
    code: 'release/test-not-passed',
    clauses: ['5.7.4', '5.6.7'],
    summary: 'No test failed, errored, was skipped or was not run on this version.',
    check: (context) =>
      [...context.verdicts.values()]
        .filter((v) => v.outcome !== 'passed')
        .sort((a, b) => (a.testId < b.testId ? -1 : 1))
        .map((v) => ({
          code: 'release/test-not-passed',
          clauses: ['5.7.4'],
          message: `${v.testId} ${v.outcome} on ${context.version} in ${v.runId}${v.message ? `: ${v.message}` : ''}`,
          recordId: v.testId,
        })),
  },
  {
    code: 'release/failure-without-problem-report',
    clauses: ['5.6.8', '5.7.2', '9.1'],
    summary:
      'Every failure recorded on this version, even one a later run superseded, names the problem report raised for it.',
    check: ({ analysis, version }) =>
      analysis.graph
        .ofKind('test-run')
        .filter(
          (run) =>
            isActive(run) &&
            String(run.fields.version) === version &&
            (run.links.anomalies ?? []).length === 0,
        )
        .flatMap((run) => {
          const failed = resultsOf(run).filter((r) => r.outcome === 'failed' || r.outcome === 'error');
          if (failed.length === 0) return [];
          const names = failed.map((r) => r.test ?? r.case ?? '?');
          return [
            {
              code: 'release/failure-without-problem-report',
              clauses: ['5.6.8', '5.7.2'],
              message: `${run.id} recorded ${failed.length} failure(s) on ${version} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) and names no problem report in \`anomalies\`; a later pass does not erase a failure`,
              recordId: run.id,
            },
          ];
        }),
  },
  {
    code: 'release/vulnerabilities-not-checked',
    clauses: ['7.1.3'],
    summary:
      'Every ecosystem the SOUP of the release uses has advisory data (one blocker per ecosystem without).',
    check: ({ analysis, version, release }) => {
      const perEcosystem = coverageOf(analysis.advisoryCoverage, soupIdsOf(analysis, version, release))
        .filter((c) => !c.data && c.soupIds.length > 0)
        .map((c) => ({
          code: 'release/vulnerabilities-not-checked',
          clauses: ['7.1.3'],
          message: `${notScannedText(c.ecosystem, c.soupIds.length)} (${listIds(c.soupIds)}): their known vulnerabilities were not checked; load the data (${loadDataHint(c.ecosystem)}) or pass --advisories`,
        }));
      // SOUP removed after the release date was in the release, but the scan covers only SOUP in the
      // build: advisory data could match it, yet nothing checked it for this release.
      const removedLater = soupOfRelease(analysis, version, release)
        .filter((soup) => soup.fields.removed !== undefined && advisorySourcesOf(soup).length > 0)
        .map((soup) => soup.id);
      const unscanned =
        removedLater.length === 0
          ? []
          : [
              {
                code: 'release/vulnerabilities-not-checked',
                clauses: ['7.1.3'],
                message: `${removedLater.length} SOUP item${removedLater.length === 1 ? '' : 's'} of the release removed from the build after its date (${listIds(removedLater)}) not scanned: Dossier scans only SOUP in the build, so their known vulnerabilities at the release were not checked`,
              },
            ];
      return [...perEcosystem, ...unscanned];
    },
  },
  {
    code: 'release/advisory-data-stale',
    clauses: ['7.1.3'],
    summary:
      'The advisory data of every ecosystem the SOUP of the release uses reaches to within advisories.maxAgeDays before the release date (today when undated).',
    check: ({ analysis, version, release }) => {
      const { date } = referenceDateOf(analysis, release);
      const maxAge = advisoryMaxAgeDays(analysis.project.config);
      return releaseAdvisoryData(analysis, version, release, date)
        .filter((f) => f.status === 'stale')
        .map((f) => ({
          code: 'release/advisory-data-stale',
          clauses: ['7.1.3'],
          message: `${staleText(f, date, maxAge)}: advisories published since may be missing for ${f.items} SOUP item${f.items === 1 ? '' : 's'}; import fresher data`,
        }));
    },
  },
  {
    code: 'release/soup-anomaly-review',
    clauses: ['7.1.3'],
    summary:
      'Every class B and C SOUP item of the release has an anomaly-list review made within soup.anomalyReviewMaxAgeDays before the release date.',
    check: (context) => {
      const { analysis, version, release } = context;
      const { date, what } = referenceDateOf(analysis, release);
      const maxAge = anomalyReviewMaxAgeDays(analysis.project.config);
      return soupOfRelease(analysis, version, release).flatMap((soup) => {
        const cls = itemClass(context, soup);
        if (!reviewBlocksAt(context.analysis.safety.scheme, cls)) return [];
        const problem = reviewNotCurrent(anomalyReviewOf(soup), date, what, maxAge);
        return problem
          ? [
              {
                code: 'release/soup-anomaly-review',
                clauses: ['7.1.3'],
                message: `${soup.id} (${soup.title} ${String(soup.fields.version)}, class ${cls}): ${problem.text}`,
                recordId: soup.id,
              },
            ]
          : [];
      });
    },
  },
  {
    code: 'release/soup-vulnerabilities-unreviewed',
    clauses: ['7.1.3'],
    summary:
      'Every class B and C SOUP item of the release that no advisory database can match has an anomaly-list review covering vulnerabilities, with its sources.',
    check: (context) =>
      soupOfRelease(context.analysis, context.version, context.release).flatMap((soup) => {
        const cls = itemClass(context, soup);
        const why = unmatchableWhy(soup);
        if (why === undefined || !reviewBlocksAt(context.analysis.safety.scheme, cls)) return [];
        const gap = vulnerabilityReviewGap(anomalyReviewOf(soup));
        return gap
          ? [
              {
                code: 'release/soup-vulnerabilities-unreviewed',
                clauses: ['7.1.3'],
                message: `${soup.id} (${soup.title} ${String(soup.fields.version)}, class ${cls}): no advisory database can match it (${why}), and ${gap}`,
                recordId: soup.id,
              },
            ]
          : [];
      }),
  },
  {
    code: 'release/test-not-run',
    clauses: ['5.7.4', '5.7.5'],
    summary: 'Every active test has a result on this version; results of earlier versions do not count.',
    check: (context) =>
      activeOn(context.analysis, 'test', context.version)
        .filter((t) => !context.verdicts.has(t.id))
        .map((t) => ({
          code: 'release/test-not-run',
          clauses: ['5.7.4'],
          message: describeVerdict(t.id, context.version, context.verdicts, context.latest),
          recordId: t.id,
        })),
  },
  {
    code: 'release/static-analysis-errors',
    clauses: ['5.1.12', '5.5.3'],
    summary:
      'Static analysis of this version reports no unsuppressed error (suppressions carry their justification).',
    check: ({ analysis, version }) =>
      evidenceOn(analysis, version)
        .filter((r) => r.kind === 'verification-report' && r.fields.type === 'static-analysis')
        .flatMap((report) =>
          (
            (report.fields.findings as
              | {
                  unit?: string;
                  rule: string;
                  level: string;
                  file?: string;
                  line?: number;
                  message: string;
                  suppressed?: boolean;
                }[]
              | undefined) ?? []
          )
            .filter((f) => f.level === 'error' && !f.suppressed)
            .map((f) => ({
              code: 'release/static-analysis-errors',
              clauses: ['5.1.12', '5.5.3'],
              message: `${report.id}: ${f.rule} in ${f.file ?? 'an unnamed file'}${f.line ? `:${f.line}` : ''}${f.unit ? ` (${f.unit})` : ''}: ${f.message}`,
              recordId: f.unit ?? report.id,
            })),
        ),
  },
  {
    code: 'release/evidence-changed',
    clauses: ['5.7.5', '5.8.7'],
    summary:
      'The reports behind the test runs and verification reports of this version are present and unchanged since they were imported and since any earlier gate (the evidence manifest beside the release record).',
    check: ({ analysis, version, evidence }) => {
      const withReports = evidenceOn(analysis, version).filter((run) => run.fields.report !== undefined);
      // Not read is not unchanged: a gate that was given no reports says so instead of passing.
      if (!evidence) {
        return withReports.length === 0
          ? []
          : [
              evidenceChanged(
                `the reports behind ${withReports.map((r) => r.id).join(', ')} were not read, so whether they changed since import and agree with their runs was not checked`,
              ),
            ];
      }
      const tracked = evidence.tracked;
      const earlier = new Map(
        tracked?.status === 'read' ? tracked.manifest.evidence.map((e) => [e.file, e]) : [],
      );
      const unreadable =
        tracked?.status === 'unreadable'
          ? [
              evidenceChanged(
                `the evidence manifest of earlier gates ${tracked.file} cannot be read (${tracked.why}), so whether the reports changed since then was not checked; restore it from the history of the records`,
              ),
            ]
          : [];
      // A report an earlier gate saw must still be named by a run record of the version (an obsolete
      // run is still on record; a deleted one is not): evidence does not disappear silently.
      const named = new Set(
        evidenceOnRecord(analysis, version).map(
          (r) => (r.fields.report as { file?: string } | undefined)?.file,
        ),
      );
      const vanished = [...earlier.values()]
        .filter((entry) => !named.has(entry.file))
        .map((entry) =>
          evidenceChanged(
            `${entry.file} was gated on ${entry.gatedOn} (${entry.runs.join(', ')}) but no run record of ${version} names it any more: a run was deleted or its report changed; restore the run from the history of the records, or mark it obsolete with the reason`,
          ),
        );
      return [
        ...unreadable,
        ...vanished,
        ...withReports.flatMap((run) => {
          const report = run.fields.report as { file: string; sha256: string };
          const now = evidence.files.get(report.file)?.sha256;
          if (now === undefined) {
            return [
              evidenceChanged(
                `${run.id}: its report ${report.file} is missing; archive the evidence with the records`,
                run.id,
              ),
            ];
          }
          const found: Blocker[] = [];
          if (now !== report.sha256) {
            found.push(
              evidenceChanged(
                `${run.id}: ${report.file} changed since it was imported (sha256 ${short(now)}, recorded ${short(report.sha256)}); import it again`,
                run.id,
              ),
            );
          }
          const gated = earlier.get(report.file);
          if (gated && gated.sha256 !== now) {
            found.push(
              evidenceChanged(
                `${run.id}: ${report.file} changed since the gate of ${gated.gatedOn} (sha256 ${short(now)}, then ${short(gated.sha256)}), whatever its run records; a report once gated is archived evidence: import a corrected report under a new name`,
                run.id,
              ),
            );
          }
          return found;
        }),
      ];
    },
  },
  {
    code: 'release/evidence-disagrees',
    clauses: ['5.7.5'],
    summary:
      'Every result recorded in an imported test run is what its report says: the same cases, outcomes and tests (the report is read again at release time).',
    check: ({ analysis, version, evidence }) => {
      if (!evidence) return []; // release/evidence-changed says the reports were not read
      const mapCase = caseMapperFor(analysis.project.records);
      return evidenceOn(analysis, version)
        .filter((run) => run.kind === 'test-run' && run.fields.report !== undefined)
        .flatMap((run) => {
          const { file, format } = run.fields.report as { file: string; format: string };
          const read = evidence.files.get(file);
          if (!read) return []; // missing: release/evidence-changed
          const blocker = (message: string): Blocker => ({
            code: 'release/evidence-disagrees',
            clauses: ['5.7.5'],
            message,
            recordId: run.id,
          });
          if ('oversized' in read) {
            return [
              blocker(
                `${run.id}: ${file} is ${formatBytes(read.oversized.size)}, over the limit of ${formatBytes(read.oversized.limit)} for a report (limits.maxReportBytes), so it was not read and its results cannot be compared with the record; if the report is genuine, ${raiseHint('maxReportBytes')}`,
              ),
            ];
          }
          // Decoded exactly as the import decoded it (src/evidence/report-encoding.ts).
          const decoded = decodeReport(read.bytes);
          if (!decoded.ok) {
            return [
              blocker(
                `${run.id}: ${file} cannot be decoded (${decoded.message}), so its results cannot be compared with the record`,
              ),
            ];
          }
          const report =
            format === 'JUnit XML'
              ? readJUnit(decoded.text, {
                  maxValueBytes: limitsOf(analysis.project.config.limits).maxXmlValueBytes,
                })
              : undefined;
          if (!report || report.root === undefined) {
            return [
              blocker(
                `${run.id}: ${file} cannot be read as a JUnit report${report ? ` (${report.problems.map((p) => p.message).join('; ')})` : ` (recorded format: ${format})`}, so its results cannot be compared with the record`,
              ),
            ];
          }
          const found = disagreementsWithReport(run, report, file, mapCase);
          const hint =
            'the record no longer says what the report says: import the report again into a new run, or restore the record from history';
          const shown = found
            .slice(0, MAX_DISAGREEMENTS_SHOWN)
            .map((d) => blocker(`${run.id}: ${d.message}; ${hint}`));
          return found.length > MAX_DISAGREEMENTS_SHOWN
            ? [
                ...shown,
                blocker(
                  `${run.id}: ${found.length - MAX_DISAGREEMENTS_SHOWN} more results disagree with ${file}`,
                ),
              ]
            : shown;
        });
    },
  },
  {
    code: 'release/evidence-unsourced',
    clauses: ['5.7.5'],
    summary:
      'Every test run of this version names the report it was imported from (`report:`), or is an explicitly manual record (`manual: true`) whose approval makes it evidence.',
    check: ({ analysis, version }) =>
      evidenceOn(analysis, version)
        .filter(
          (run) => run.kind === 'test-run' && run.fields.report === undefined && run.fields.manual !== true,
        )
        .map((run) => {
          const signs = importSignsOf(run);
          return {
            code: 'release/evidence-unsourced',
            clauses: ['5.7.5'],
            message:
              signs.length > 0
                ? `${run.id} looks imported (it has ${signs.join(' and ')}) but has no \`report:\` block, so its results cannot be compared with the report they came from; restore the block from history, or import the report again`
                : `${run.id} has neither a \`report:\` block (import the report it came from) nor \`manual: true\` (a run recorded by hand, which is evidence once approved)`,
            recordId: run.id,
          };
        }),
  },
  {
    code: 'release/anomaly-unlisted',
    clauses: ['5.8.2'],
    summary: 'Every unresolved problem report affecting this version is listed as a known residual anomaly.',
    check: ({ analysis, release, version }) => {
      if (!release) return [];
      const listed = new Set(release.links.knownAnomalies ?? []);
      return activeOn(analysis, 'problem-report', version)
        .filter((p) => !['resolved', 'closed'].includes(String(p.fields.state ?? 'open')))
        .filter((p) => {
          const versions = p.fields.affectedVersions as string[] | undefined;
          return versions === undefined || versions.includes(version);
        })
        .filter((p) => !listed.has(p.id))
        .map((p) => ({
          code: 'release/anomaly-unlisted',
          clauses: ['5.8.2'],
          message: `${p.id} (${p.title}) is ${String(p.fields.state ?? 'open')} and affects ${version}, but ${release.id} does not list it in knownAnomalies`,
          recordId: p.id,
        }));
    },
  },
  {
    code: 'release/anomaly-unevaluated',
    clauses: ['5.8.3'],
    summary: 'Every known residual anomaly is evaluated as not contributing to unacceptable risk.',
    check: ({ analysis, release }) =>
      (release?.links.knownAnomalies ?? [])
        .map((id) => analysis.graph.byId.get(id))
        .filter((p): p is DossierRecord => p !== undefined && p.fields.residualRisk === undefined)
        .map((p) => ({
          code: 'release/anomaly-unevaluated',
          clauses: ['5.8.3'],
          message: `${p.id} (${p.title}) is a known anomaly of ${release!.id} without a \`residualRisk\` evaluation`,
          recordId: p.id,
        })),
  },
  {
    code: 'release/change-open',
    clauses: ['8.2.3', '8.2.4'],
    summary: 'Every change request included in the release is verified or closed.',
    check: ({ analysis, release }) =>
      (release?.links.includes ?? [])
        .map((id) => analysis.graph.byId.get(id))
        .filter(
          (cr): cr is DossierRecord =>
            cr !== undefined && !['verified', 'closed'].includes(String(cr.fields.state)),
        )
        .map((cr) => ({
          code: 'release/change-open',
          clauses: ['8.2.3', '8.2.4'],
          message: `${cr.id} (${cr.title}) is ${String(cr.fields.state ?? 'without a state')}, not verified or closed`,
          recordId: cr.id,
        })),
  },
  {
    code: 'release/vulnerability-unevaluated',
    clauses: ['7.1.3'],
    summary:
      'Every advisory published by the release date that affects the SOUP of the release has an evaluation (needs advisory data).',
    check: (context) =>
      releaseFindings(context, needsEvaluation).map(({ finding: f }) => ({
        code: 'release/vulnerability-unevaluated',
        clauses: ['7.1.3'],
        message: `${f.soupId} ${f.packageName} ${f.version}: ${f.advisory} has no evaluation for this version`,
        recordId: f.soupId,
      })),
  },
  {
    // FDA premarket cybersecurity guidance (CISA KEV as exploitation information), FD&C 524B: a
    // known exploited vulnerability is never released unevaluated, whatever the safety class.
    code: 'release/kev-unevaluated',
    clauses: [...KEV_CLAUSES],
    summary:
      "No finding that CISA's KEV catalog listed by the release date is unevaluated, whatever the class (needs a KEV catalog; without one, release check says KEV was NOT CHECKED, and every unevaluated finding blocks anyway as release/vulnerability-unevaluated).",
    check: (context) =>
      releaseFindings(context, kevUnevaluated)
        .filter(({ finding, date }) => finding.kev!.dateAdded <= date)
        .map(({ finding: f }) => ({
          code: 'release/kev-unevaluated',
          clauses: [...KEV_CLAUSES],
          message: `${f.soupId} ${f.packageName} ${f.version}: ${f.advisory} is KNOWN EXPLOITED (${kevText(f.kev!)}) and has no evaluation for this version`,
          recordId: f.soupId,
        })),
  },
  {
    code: 'release/vulnerability-under-investigation',
    clauses: ['7.1.3'],
    summary: 'No vulnerability evaluation is still under investigation.',
    check: ({ analysis }) =>
      analysis.graph
        .ofKind('vulnerability-evaluation')
        .filter(isActive)
        .filter((e) => e.fields.state === 'under_investigation')
        .map((e) => ({
          code: 'release/vulnerability-under-investigation',
          clauses: ['7.1.3'],
          message: `${e.id} (${String(e.fields.advisory)}) is still under investigation`,
          recordId: e.id,
        })),
  },
  {
    code: 'release/not-approved',
    clauses: ['5.2.6', '5.7.5', '5.1.2', 'ISO 13485 7.3'],
    summary:
      'Every requirement, software item, risk control, test, test run, verification report and plan of the release is approved (per kind: `release.approvals` in dossier.yaml).',
    check: ({ analysis, version }) =>
      unapprovedInScope(analysis, version).map(({ requirement, records, onlyAlways }) => {
        const label = onlyAlways ? requirement.always!.label : kindLabel(requirement.kind);
        const why = onlyAlways
          ? ` (\`release.approvals\` exempts the other ${kindLabel(requirement.kind)}s, but a ${label} has no imported report behind it: its approval is what makes it evidence)`
          : '';
        return {
          code: 'release/not-approved',
          clauses: requirement.clauses,
          message: `${plural(records.length, label)} of ${version} ${records.length === 1 ? 'is' : 'are'} not approved: ${records.map((r) => `${r.id} (${r.status})`).join(', ')}; ${HOW_TO_APPROVE}${why}`,
          records: records.map((r) => ({
            id: r.id,
            kind: r.kind,
            status: r.status,
            file: r.origin.source.path,
          })),
        };
      }),
  },
  {
    code: 'release/signature-missing',
    clauses: SIGNATURE_GATE_CLAUSES,
    summary:
      'Every record the approval policy (`changeControl.approvals`) covers carries the required signatures, valid on its current content, by verified signers, committed.',
    check: ({ analysis, version, release, classOf }) =>
      signatureGaps(analysis, version, release, classOf).map((gap) => ({
        code: 'release/signature-missing',
        clauses: SIGNATURE_GATE_CLAUSES,
        message: signatureGapMessage(gap, version),
        records: gap.records.map(({ record }) => ({
          id: record.id,
          kind: record.kind,
          status: record.status,
          file: record.origin.source.path,
        })),
      })),
  },
  {
    code: 'release/link-suspect',
    clauses: ['8.2.3', '7.4.3', 'ISO 13485 7.3.9'],
    summary:
      'No record of class B or C in the release has a suspect link: every tracked link was reviewed against its target as it is now (docs/change-control.md).',
    check: (context) => suspectLinkBlockers(context),
  },
  {
    code: 'release/residual-risk-unevaluated',
    clauses: ['ISO 14971 7.3', 'ISO 14971 8'],
    summary: 'Every hazardous situation has an evaluated residual risk.',
    check: ({ analysis }) =>
      analysis.safety.risks
        .filter((risk) => residualRiskOf(risk) === undefined)
        .map((risk) => ({
          code: 'release/residual-risk-unevaluated',
          clauses: ['ISO 14971 7.3', 'ISO 14971 8'],
          message: `${risk.situation.id} (${risk.situation.title}): the residual risk is not evaluated: ${residualUnevaluatedBecause(risk)}`,
          recordId: risk.situation.id,
        })),
  },
  {
    code: 'release/residual-risk-unacceptable',
    clauses: ['ISO 14971 7.4', 'ISO 14971 8'],
    summary: 'No residual risk is unacceptable without a benefit–risk conclusion (`benefitRisk`).',
    check: ({ analysis }) =>
      analysis.safety.risks.flatMap((risk) => {
        const residual = residualRiskOf(risk);
        if (!residual || residual.acceptable || hasBenefitRisk(risk.situation)) return [];
        return [
          {
            code: 'release/residual-risk-unacceptable',
            clauses: ['ISO 14971 7.4', 'ISO 14971 8'],
            message: `${risk.situation.id} (${risk.situation.title}): the residual risk (${residual.severity.label} × ${residual.probability.label}) is unacceptable and no benefit–risk conclusion is recorded in \`benefitRisk\``,
            recordId: risk.situation.id,
          },
        ];
      }),
  },
  {
    code: 'release/external-control-unverified',
    clauses: ['4.3 a', 'ISO 14971 7.2'],
    summary:
      'Every risk control external to the software that the classification credits is implemented in this version and verified on it, implementation and effectiveness.',
    check: (context) =>
      creditedExternalControls(context.analysis).flatMap(({ verification, creditedBy }) => {
        const control = verification.control;
        const why = externalControlUnverifiedBecause(context, verification);
        return why
          ? [
              {
                code: 'release/external-control-unverified',
                clauses: ['4.3 a', 'ISO 14971 7.2'],
                message: `${control.id} (${control.title}, ${String(control.fields.implementedIn)}) is credited for the class by ${creditedBy.join(', ')} (4.3 a) but is not verified on ${context.version}: ${why}`,
                recordId: control.id,
              },
            ]
          : [];
      }),
  },
  {
    code: 'release/carried-forward-invalid',
    clauses: ['5.6.6', '5.7.4', '8.2.3'],
    summary:
      'Each test result the release record carries forward from an earlier version lies outside the impact of every record and source change since the tested commit.',
    check: ({ release, evidence }) => {
      const entries = release ? carriedEntriesOf(release) : [];
      if (!release || entries.length === 0) return [];
      const blocker = (message: string): Blocker => ({
        code: 'release/carried-forward-invalid',
        clauses: ['5.6.6', '5.7.4', '8.2.3'],
        message,
        recordId: release.id,
      });
      const assessed = evidence?.carriedForward;
      if (!assessed)
        return [
          blocker(
            `${release.id} carries forward results of ${entries.map((e) => e.run).join(', ')}, which were not checked against git here: run dossier release check in the repository`,
          ),
        ];
      return assessed
        .filter((a) => !a.valid)
        .map((a) =>
          blocker(
            `${a.run} cannot be carried forward to ${release.id}${a.from ? ` (tested ${a.from.slice(0, 12)}, compared with ${a.to})` : ''}: ${a.problems.join('; ')}`,
          ),
        );
    },
  },
  {
    code: 'release/not-authorised',
    clauses: ['5.8', 'ISO 13485 7.3.4'],
    summary: 'The release record says who authorised the release and when (`approvedBy`, `approvedOn`).',
    check: ({ release }) => {
      if (!release) return [];
      const blocker = (message: string): Blocker[] => [
        {
          code: 'release/not-authorised',
          clauses: ['5.8', 'ISO 13485 7.3.4'],
          message,
          recordId: release.id,
        },
      ];
      const missing = ['approvedBy', 'approvedOn'].filter((f) => release.fields[f] === undefined);
      if (missing.length > 0) {
        return blocker(
          `${release.id} does not say who authorised the release and when: no ${missing.map((f) => `\`${f}\``).join(' and no ')}`,
        );
      }
      const on = String(release.fields.approvedOn);
      const date = release.fields.date;
      return typeof date === 'string' && on > date
        ? blocker(`${release.id} was authorised on ${on}, after its release date ${date}`)
        : [];
    },
  },
];

/**
 * One blocker per kind of source record: the records of the release, at a class where the changes
 * a release makes must be followed through (7.4.2, 7.4.3: class B and C), whose tracked links are
 * suspect. Class A records are left to the warning of `check`.
 */
function suspectLinkBlockers(context: GateContext): Blocker[] {
  const { analysis, version } = context;
  const scheme = analysis.safety.scheme;
  const byKind = new Map<string, SuspectLink[]>();
  for (const link of suspectLinks(analysis.graph)) {
    // A link to a record of a later version, or an obsolete one, is not part of this release.
    if (!inReleaseScope(link.from, version) || !inReleaseScope(link.to, version)) continue;
    if (!clauseAppliesAt(scheme, SUSPECT_GATE_CLAUSE, context.classOf(link.from.id))) continue;
    const list = byKind.get(link.from.kind);
    if (list) list.push(link);
    else byKind.set(link.from.kind, [link]);
  }
  return [...byKind].map(([kind, links]) => {
    const records = [...new Map(links.map((l) => [l.from.id, l.from])).values()];
    const shown = links
      .slice(0, 20)
      .map(
        (l) =>
          `${l.from.id} → ${l.to.id} (${l.state === 'unreviewed' ? 'never reviewed' : `changed since ${l.stamp.on}`})`,
      );
    const more = links.length > shown.length ? `, and ${links.length - shown.length} more` : '';
    return {
      code: 'release/link-suspect',
      clauses: ['8.2.3', '7.4.3', 'ISO 13485 7.3.9'],
      message: `${plural(records.length, kindLabel(kind as KindName))} of ${version} ${records.length === 1 ? 'has' : 'have'} ${plural(links.length, 'suspect link')}: ${shown.join(', ')}${more}; review each against its target as it is now and record it with \`dossier suspect --clear ID --by NAME\` (\`dossier suspect\` lists what changed)`,
      records: records.map((r) => ({ id: r.id, kind: r.kind, status: r.status, file: r.origin.source.path })),
    };
  });
}

/** The clause whose classes the suspect-link blocker holds at (Table A.1: B and C). */
const SUSPECT_GATE_CLAUSE = '7.4.3';

export interface GateResult {
  readonly version: string;
  readonly release?: DossierRecord;
  readonly blockers: readonly Blocker[];
  readonly runs: readonly string[];
  /** Checks dossier.yaml turned off, with its reasons. */
  readonly waived: readonly Waiver[];
  /** The date the SOUP checks were judged at: the release date, or today for an undated release. */
  readonly referenceDate: string;
  /** Each ecosystem's advisory data at the reference date, for the report and the manifest. */
  readonly advisoryData: readonly AdvisoryFreshness[];
  readonly advisoryMaxAgeDays: number;
  /** Findings on the release's SOUP published after the reference date: postmarket, not blockers. */
  readonly postmarket: readonly SoupFinding[];
  /**
   * The CISA KEV catalog the findings were checked against, or null: then release/kev-unevaluated
   * could not be checked, and the report says so.
   */
  readonly kev: {
    readonly catalogVersion: string;
    readonly dateReleased: string;
    /**
     * Days from the catalog's release to the reference date; over `advisories.maxAgeDays` the
     * catalog is stale: what CISA listed since was not checked (the report says so).
     */
    readonly ageDays: number;
    readonly stale: boolean;
  } | null;
  /** Rules dossier.yaml lowers below their default severity: the verdict rests on their reasons. */
  readonly lowered: Analysis['lowered'];
  /** The release record's carried-forward results as assessed (absent when it lists none). */
  readonly carriedForward?: readonly CarriedAssessment[];
}

/**
 * A file over `limits.maxReportBytes`: hashed as it streamed, never read whole or parsed, so that a
 * report replaced by a huge file cannot exhaust memory at the gate.
 */
export interface OversizedFile {
  readonly oversized: true;
  readonly size: number;
  readonly limit: number;
  readonly sha256: string;
}

/** Reads a project file's bytes, or undefined when it is missing (I/O is the caller's). */
export type EvidenceReader = (file: string) => Uint8Array | OversizedFile | undefined;

export type EvidenceFile =
  | { readonly sha256: string; readonly bytes: Uint8Array }
  | { readonly sha256: string; readonly oversized: OversizedFile };

/** What the gate needs read from disk: the reports and the evidence manifest of earlier gates. */
export interface GateEvidence {
  /** Each report file the runs on the version name (undefined: missing). */
  readonly files: ReadonlyMap<string, EvidenceFile | undefined>;
  /** The manifest beside the release record; undefined when no release record names the version. */
  readonly tracked?: TrackedState;
  /** The release record's carried-forward results as assessed against git (src/impact/carried-forward.ts). */
  readonly carriedForward?: readonly CarriedAssessment[];
}

/** Reads, through `read`, every report the runs on `version` name and the manifest of earlier gates. */
export function readGateEvidence(analysis: Analysis, version: string, read: EvidenceReader): GateEvidence {
  const files = new Map(
    evidenceFilesOf(analysis, version).map((file): [string, EvidenceFile | undefined] => {
      const bytes = read(file);
      if (bytes === undefined) return [file, undefined];
      if (bytes instanceof Uint8Array) return [file, { sha256: reportSha256(bytes), bytes }];
      return [file, { sha256: bytes.sha256, oversized: bytes }];
    }),
  );
  const release = releaseOf(analysis, version);
  if (!release) return { files };
  const trackedFile = trackedManifestPath(release);
  const manifest = read(trackedFile);
  const carried = carriedEntriesOf(release).length > 0 ? assessCarriedForward(analysis, release) : undefined;
  return {
    files,
    ...(carried ? { carriedForward: carried } : {}),
    tracked:
      manifest === undefined || manifest instanceof Uint8Array
        ? parseTrackedManifest(trackedFile, manifest)
        : {
            status: 'unreadable',
            file: trackedFile,
            why: `it is ${formatBytes(manifest.size)}, over the limit of ${formatBytes(manifest.limit)} (limits.maxReportBytes)`,
          },
  };
}

/**
 * The evidence manifest of earlier gates after this one (tracked-manifest.ts), for `release check` to
 * write beside the release record; undefined when there is no release record, or when the manifest
 * there is unreadable (it is restored from history, never overwritten).
 */
export function trackedManifestAfter(
  analysis: Analysis,
  version: string,
  evidence: GateEvidence,
  gatedOn: string,
): { file: string; text: string } | undefined {
  const release = releaseOf(analysis, version);
  const tracked = evidence.tracked;
  if (!release || !tracked || tracked.status === 'unreadable') return undefined;
  // Runs grouped by the report they name once, not filtered per report: projects have thousands.
  const runsOf = new Map<string, DossierRecord[]>();
  for (const run of evidenceOn(analysis, version)) {
    const file = (run.fields.report as { file?: string } | undefined)?.file;
    if (typeof file !== 'string') continue;
    const runs = runsOf.get(file);
    if (runs) runs.push(run);
    else runsOf.set(file, [run]);
  }
  const current = [...evidence.files].map(([file, read]) => {
    const runs = runsOf.get(file) ?? [];
    return {
      file,
      ...(read ? { sha256: read.sha256 } : {}),
      recorded: runs.map((r) => (r.fields.report as { sha256: string }).sha256),
      runs: runs.map((r) => r.id),
    };
  });
  const earlier = tracked.status === 'read' ? tracked.manifest : undefined;
  const next = nextTrackedManifest(earlier, release, version, current, gatedOn);
  return { file: tracked.file, text: trackedManifestText(next) };
}

/** The active release record of the version, if any. */
export function releaseOf(analysis: Analysis, version: string): DossierRecord | undefined {
  return analysis.graph
    .ofKind('release')
    .filter(isActive)
    .find((r) => String(r.fields.version) === version);
}

/** The report files the runs on `version` name, sorted and each once. */
function evidenceFilesOf(analysis: Analysis, version: string): string[] {
  const files = evidenceOn(analysis, version)
    .map((run) => (run.fields.report as { file?: string } | undefined)?.file)
    .filter((f): f is string => typeof f === 'string');
  return [...new Set(files)].sort();
}

/**
 * The version's verdicts plus the results carried forward from earlier versions that the assessment
 * found valid (only those: an invalid or unchecked one adds nothing). A result on the version itself
 * always wins over a carried one.
 */
export function withCarriedForward(
  verdicts: Map<string, Verdict>,
  analysis: Analysis,
  carried: readonly CarriedAssessment[] | undefined,
): Map<string, Verdict> {
  for (const assessment of carried ?? []) {
    if (!assessment.valid) continue;
    const run = analysis.graph.get(assessment.run);
    if (!run) continue;
    const inRun = runVerdicts(run);
    for (const test of assessment.tests) {
      const verdict = inRun.get(test);
      if (verdict && !verdicts.has(test)) verdicts.set(test, verdict);
    }
  }
  return verdicts;
}

/** The KEV catalog checked, with its age at the reference date (stale as advisory data is). */
function kevAt(analysis: Analysis, date: string): GateResult['kev'] {
  const kev = analysis.soupScan?.kev;
  if (!kev) return null;
  const ageDays = daysBetween(kev.dateReleased, date);
  return {
    catalogVersion: kev.catalogVersion,
    dateReleased: kev.dateReleased,
    ageDays,
    stale: ageDays > advisoryMaxAgeDays(analysis.project.config),
  };
}

export function releaseGate(analysis: Analysis, version: string, evidence?: GateEvidence): GateResult {
  return runSteps(releaseGateSteps(analysis, version, evidence));
}

/** {@link releaseGate} in steps: one for what the checks share, then one per check (src/util/steps.ts). */
export function* releaseGateSteps(
  analysis: Analysis,
  version: string,
  evidence?: GateEvidence,
): Steps<GateResult> {
  // No verdict on a project whose record files did not all load (LoadIncompleteError).
  assertLoadComplete(analysis.project, `check release ${version}`);
  const runs = analysis.graph.ofKind('test-run').filter(isActive);
  const release = releaseOf(analysis, version);
  const context: GateContext = {
    analysis,
    version,
    ...(release ? { release } : {}),
    verdicts: withCarriedForward(verdictsOn(runs, version), analysis, evidence?.carriedForward),
    latest: latestVerdicts(runs),
    classOf: subjectClasses(analysis.graph, analysis.safety),
    ...(evidence ? { evidence } : {}),
  };
  const blockers: Blocker[] = [];
  for (const gateCheck of GATE_CHECKS) {
    yield;
    blockers.push(...gateCheck.check(context));
  }
  const waived = approvalRequirements(analysis.project.config, releaseClass(analysis), analysis.safety.scheme)
    .filter((r) => !r.required && r.reason !== undefined)
    .map((r) => ({ code: 'release/not-approved', kind: r.kind, reason: r.reason! }));
  const { date } = referenceDateOf(analysis, release);
  return {
    version,
    ...(release ? { release } : {}),
    blockers,
    waived,
    referenceDate: date,
    advisoryData: releaseAdvisoryData(analysis, version, release, date),
    advisoryMaxAgeDays: advisoryMaxAgeDays(analysis.project.config),
    postmarket: postmarketFindings(analysis, version, release, date),
    kev: kevAt(analysis, date),
    runs: runs
      .filter((r) => String(r.fields.version) === version)
      .map((r) => r.id)
      .sort(),
    lowered: analysis.lowered,
    ...(evidence?.carriedForward ? { carriedForward: evidence.carriedForward } : {}),
  };
}
