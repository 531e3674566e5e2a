/**
 * The gap scan: clause by clause, where a project stands against IEC 62304 Ed. 1.1 at its classes,
 * against the FDA 2023 software documentation elements at its documentation level, against premarket
 * cybersecurity (524B) when it is a cyber device, and against the QMSR / ISO 13485 7.3 design
 * controls. Pure over an analysis (plus, optionally, the report files the release gate reads):
 * `dossier gap-scan` and the build's gap-scan stage render its result.
 */
import type { Analysis } from '../analyze.js';
import {
  type EvidenceReader,
  type GateResult,
  readGateEvidence,
  releaseGateSteps,
} from '../evidence/release-gate.js';
import { assertLoadComplete } from '../load/unloaded.js';
import { isProductionSoftware } from '../model/config.js';
import { effectiveClasses } from '../safety/class-scheme.js';
import { runSteps, type Steps } from '../util/steps.js';
import {
  CLAUSES,
  type ClauseEntry,
  CSA_CRITERIA,
  CYBERSECURITY_ITEMS,
  DESIGN_CONTROLS,
  FDA_ELEMENTS,
  isCatalogClause,
  type ObligationEntry,
  SUBMISSION_ORDER,
} from './catalog.js';
import { type GapContext, makeContext, type ScanVersion, scanVersion } from './context.js';
import { type ClauseStatus, combine, evaluate, STATUS_OF } from './evaluators.js';
import type { EvaluatorResult, Evidence, GapStatus } from './types.js';

/** A known gap accepted with `--allow CLAUSE=reason`: it no longer fails the scan, and reports show the reason. */
export interface Allowance {
  readonly clause: string;
  readonly reason: string;
}

export interface GapScanOptions {
  /** The version to judge (default: see scanVersion in src/gap/context.ts). */
  readonly version?: string;
  /** Reads project files, so the gate checks the test reports as `release check` does. */
  readonly readEvidence?: EvidenceReader;
  /**
   * Gates already computed with the same inputs (the build's, the dashboard's release readiness):
   * the one of the version scanned is used instead of running the gate again.
   */
  readonly gates?: readonly GateResult[];
  readonly allow?: readonly Allowance[];
}

/** A finding shared by clauses and the obligations beyond IEC 62304. */
export interface Judged {
  readonly applies: boolean;
  readonly status: GapStatus;
  /** Records and files found as evidence (the first {@link MAX_LISTED}; `evidenceTotal` counts them all). */
  readonly evidence: readonly Evidence[];
  readonly evidenceTotal: number;
  /** What is missing, one line each (the first {@link MAX_LISTED}; `missingTotal` counts them all). */
  readonly missing: readonly string[];
  readonly missingTotal: number;
  /** Information that changes nothing: what an optional evaluator had nothing to judge, uncertain rows. */
  readonly notes: readonly string[];
  readonly hint: string;
  /** Adequacy is for people to judge: plan contents, review quality, attestations. */
  readonly needsHumanAssessment: boolean;
  readonly notApplicableBecause?: string;
}

export interface ClauseResult extends Judged {
  readonly clause: string;
  readonly title: string;
  readonly process: string;
  /** Classes at which the clause applies (Table A.1 as Dossier applies it: uncertain rows at every class). */
  readonly appliesAt: readonly string[];
  readonly confidence: 'high' | 'med' | 'check';
  readonly evaluators: readonly string[];
  /** `--allow`: the gap is accepted with this reason. */
  readonly allowed?: string;
}

export interface ObligationResult extends Judged {
  readonly key: string;
  readonly title: string;
  readonly reference: string;
  readonly feeds: readonly string[];
}

export interface GapScanResult {
  readonly device: string;
  readonly date: string;
  readonly classes: readonly string[];
  readonly highestClass: string;
  readonly version?: { readonly version: string; readonly because: string; readonly release?: string };
  readonly legacy?: { readonly version: string };
  readonly clauses: readonly ClauseResult[];
  readonly fda: {
    readonly documentationLevel: 'Basic' | 'Enhanced';
    readonly rationale: string;
    readonly elements: readonly ObligationResult[];
  };
  readonly cybersecurity: {
    readonly applies: boolean;
    readonly because: string;
    readonly items: readonly ObligationResult[];
  };
  readonly designControls: { readonly items: readonly ObligationResult[] };
  /**
   * `profile: production-software` only: the validation record the FDA CSA guidance asks for
   * (data/csa-gap-catalog.json). The device catalogs above are then all not applicable, with the
   * profile as the reason.
   */
  readonly csa?: { readonly items: readonly ObligationResult[] };
  readonly allowed: readonly Allowance[];
}

/** How many evidence entries and missing lines a result lists (a 100,000-record project has tens of thousands). */
export const MAX_LISTED = 100;

export class GapScanError extends Error {}

export function gapScan(analysis: Analysis, options: GapScanOptions = {}): GapScanResult {
  return runSteps(gapScanSteps(analysis, options));
}

/** {@link gapScan} in steps: the release gate's, then one per clause and one per catalog (src/util/steps.ts). */
export function* gapScanSteps(analysis: Analysis, options: GapScanOptions = {}): Steps<GapScanResult> {
  assertLoadComplete(analysis.project, 'scan for gaps');
  const allow = new Map<string, string>();
  for (const a of options.allow ?? []) {
    if (!isCatalogClause(a.clause))
      throw new GapScanError(
        `--allow ${a.clause}: not an IEC 62304 clause from 4.1 to 9.8 (e.g. 5.1.1, 6.2.1.1)`,
      );
    if (!/\S/.test(a.reason))
      throw new GapScanError(`--allow ${a.clause}: give the reason, as CLAUSE=reason`);
    allow.set(a.clause, a.reason.trim());
  }
  const version = scanVersion(analysis, options.version);
  const gate = version ? yield* gateFor(analysis, version, options) : undefined;
  const context = makeContext(analysis, version, gate);
  const production = isProductionSoftware(analysis.project.config);
  const profileReason = production ? PRODUCTION_SOFTWARE_REASON : undefined;

  const statuses = new Map<string, ClauseStatus>();
  const clauses: ClauseResult[] = [];
  for (const entry of CLAUSES) {
    yield;
    const result = judgeClause(entry, context, statuses, allow.get(entry.clause), profileReason);
    statuses.set(entry.clause, result);
    clauses.push(result);
  }
  yield;

  const level = analysis.safety.documentationLevel;
  const cyber = analysis.project.config.device.cyberDevice;
  const cyberApplies = !production && cyber !== false;
  const cyberBecause = production
    ? PRODUCTION_SOFTWARE_REASON
    : cyber === true
      ? 'dossier.yaml says the device is a cyber device (device.cyberDevice: true)'
      : cyber === false
        ? 'dossier.yaml says the device is not a cyber device (device.cyberDevice: false)'
        : 'whether the device is a cyber device is not declared in dossier.yaml (device.cyberDevice), so it is treated as one';
  const legacyConfig = analysis.project.config.legacy;
  return {
    device: analysis.project.config.device.name,
    date: analysis.today,
    classes: context.classes,
    highestClass: context.highestClass,
    ...(version
      ? {
          version: {
            version: version.version,
            because: version.because,
            ...(version.release ? { release: version.release.id } : {}),
          },
        }
      : {}),
    ...(legacyConfig ? { legacy: { version: legacyConfig.version } } : {}),
    clauses,
    fda: {
      documentationLevel: level.level,
      rationale: level.rationale,
      elements: FDA_ELEMENTS.map((e) =>
        judgeObligation(
          e,
          context,
          statuses,
          profileReason ? { notApplicable: profileReason } : { level: level.level },
        ),
      ),
    },
    cybersecurity: {
      applies: cyberApplies,
      because: cyberBecause,
      items: CYBERSECURITY_ITEMS.map((e) =>
        judgeObligation(
          e,
          context,
          statuses,
          cyberApplies ? {} : { notApplicable: profileReason ?? 'not a cyber device' },
        ),
      ),
    },
    designControls: {
      items: DESIGN_CONTROLS.map((e) =>
        judgeObligation(e, context, statuses, profileReason ? { notApplicable: profileReason } : {}),
      ),
    },
    ...(production
      ? { csa: { items: CSA_CRITERIA.map((e) => judgeObligation(e, context, statuses, {})) } }
      : {}),
    allowed: [...allow]
      .map(([clause, reason]) => ({ clause, reason }))
      .sort((a, b) => clauseOrder(a.clause) - clauseOrder(b.clause)),
  };
}

function* gateFor(analysis: Analysis, version: ScanVersion, options: GapScanOptions): Steps<GateResult> {
  const known = options.gates?.find((g) => g.version === version.version);
  if (known) return known;
  const evidence = options.readEvidence
    ? readGateEvidence(analysis, version.version, options.readEvidence)
    : undefined;
  return yield* releaseGateSteps(analysis, version.version, evidence);
}

/** Why the device catalogs do not apply to a production-software project (docs/csa.md). */
export const PRODUCTION_SOFTWARE_REASON =
  'profile production-software: software used in production or the quality system is validated for its intended use (FDA CSA; ISO 13485 4.1.6, 7.5.6), not developed as device software; see the CSA criteria';

const ORDER = new Map(CLAUSES.map((c, i) => [c.clause, i]));
const clauseOrder = (clause: string) => ORDER.get(clause) ?? ORDER.size;

/** Why a clause does not apply, or undefined when it does. */
function notApplicableBecause(entry: ClauseEntry, context: GapContext): string | undefined {
  if (entry.row.deleted) return 'deleted by Amendment 1';
  if (entry.onlyWith === 'legacy' && !context.analysis.project.config.legacy)
    return 'dossier.yaml declares no legacy software (`legacy:`): the software is developed under clauses 5 to 9';
  const at = effectiveClasses(context.analysis.safety.scheme, entry.row);
  if (!context.classes.some((c) => at.includes(c)))
    return `applies at class ${at.join(', ')}; the project has class ${context.classes.join(', ')}`;
  return undefined;
}

function judgeClause(
  entry: ClauseEntry,
  context: GapContext,
  statuses: ReadonlyMap<string, ClauseStatus>,
  allowed: string | undefined,
  profileReason?: string,
): ClauseResult {
  const scheme = context.analysis.safety.scheme;
  const base = {
    clause: entry.clause,
    title: entry.row.title,
    process: entry.group,
    appliesAt: effectiveClasses(scheme, entry.row),
    confidence: entry.row.confidence,
    evaluators: [...new Set(entry.evaluators.map((e) => e.use))],
    hint: entry.hint,
  };
  const why = profileReason ?? notApplicableBecause(entry, context);
  const uncertain =
    entry.row.confidence !== 'high' && !entry.row.deleted
      ? [
          `Table A.1 row of confidence "${entry.row.confidence}": applied at every class until verified against the standard${scheme.applicabilityNotes[entry.clause] ? ` (${scheme.applicabilityNotes[entry.clause]})` : ''}`,
        ]
      : [];
  if (why) {
    return {
      ...base,
      ...notApplicable(why, entry.needsHumanAssessment, uncertain),
      ...(allowed ? { allowed } : {}),
    };
  }
  const results = entry.evaluators.map((spec) => evaluate(spec, context, entry.clause, statuses));
  return {
    ...base,
    ...combined(results, entry.needsHumanAssessment, uncertain),
    ...(allowed ? { allowed } : {}),
  };
}

function judgeObligation(
  entry: ObligationEntry,
  context: GapContext,
  statuses: ReadonlyMap<string, ClauseStatus>,
  options: { level?: 'Basic' | 'Enhanced'; notApplicable?: string },
): ObligationResult {
  const base = {
    key: entry.key,
    title: entry.title,
    reference: entry.reference,
    feeds: entry.feeds,
    hint: entry.hint,
  };
  const level = options.level;
  const notSubmitted =
    level && entry.submittedAt && !entry.submittedAt.includes(level)
      ? `at the ${level} documentation level this is kept in the design file, not submitted (FDA may ask for it)`
      : undefined;
  const why = options.notApplicable ?? notSubmitted;
  if (why) return { ...base, ...notApplicable(why, entry.needsHumanAssessment, []) };
  const specs = entry.evaluators.filter((e) => !level || !e.levels || e.levels.includes(level));
  const results = specs.map((spec) => evaluate(spec, context, undefined, statuses));
  return { ...base, ...combined(results, entry.needsHumanAssessment, []) };
}

function notApplicable(because: string, human: boolean, notes: readonly string[]) {
  return {
    applies: false,
    status: 'not-applicable' as const,
    evidence: [],
    evidenceTotal: 0,
    missing: [],
    missingTotal: 0,
    notes,
    needsHumanAssessment: human,
    notApplicableBecause: because,
  };
}

function combined(results: readonly EvaluatorResult[], human: boolean, notes: readonly string[]) {
  const evidence = mergedEvidence(results.map((r) => r.evidence));
  const lines = new Set<string>();
  const missing = firstDistinct(
    results.map((r) => r.missing),
    (line) => added(lines, line),
  );
  return {
    applies: true,
    status: STATUS_OF[combine(results.map((r) => r.outcome))],
    evidence: evidence.listed,
    evidenceTotal: evidence.total,
    missing: missing.listed,
    missingTotal: missing.total,
    notes: [...notes, ...new Set(results.flatMap((r) => r.notes ?? []))],
    needsHumanAssessment: human || results.some((r) => r.human === true),
  };
}

/**
 * The first {@link MAX_LISTED} entries of the lists, in order, that `isFirst` accepts, and how many it
 * accepts in all. A result lists a hundred of a clause's tens of thousands of entries: they are
 * counted as they stream by, never gathered into one list to be cut.
 */
function firstDistinct<T>(
  lists: readonly (readonly T[])[],
  isFirst: (entry: T) => boolean,
): { listed: T[]; total: number } {
  const listed: T[] = [];
  let total = 0;
  for (const list of lists) {
    for (const entry of list) {
      if (!isFirst(entry)) continue;
      if (total < MAX_LISTED) listed.push(entry);
      total++;
    }
  }
  return { listed, total };
}

/** The evidence of a clause's evaluators: the same record or file named by two is listed once (with the first note). */
function mergedEvidence(lists: readonly (readonly Evidence[])[]): { listed: Evidence[]; total: number } {
  const withEvidence = lists.filter((list) => list.length > 0);
  // One evaluator's evidence names each record once; only several need merging.
  if (withEvidence.length <= 1) {
    const only = withEvidence[0] ?? [];
    return { listed: only.slice(0, MAX_LISTED), total: only.length };
  }
  // Three sets rather than one of prefixed keys: no string is built for each of 100,000 entries.
  const ids = new Set<string>();
  const files = new Set<string>();
  const notes = new Set<string>();
  return firstDistinct(withEvidence, (e) =>
    e.id !== undefined
      ? added(ids, e.id)
      : e.file !== undefined
        ? added(files, e.file)
        : added(notes, e.note ?? ''),
  );
}

/** Adds the key; true when it was not there yet (one lookup of the set, not `has` then `add`). */
const added = (seen: Set<string>, key: string) => seen.size < seen.add(key).size;

/** CSA criteria (production software) with no evidence: they fail the scan (exit 1) like clauses. */
export function failingCsaCriteria(scan: GapScanResult): readonly ObligationResult[] {
  return (scan.csa?.items ?? []).filter((o) => o.applies && o.status === 'no-evidence');
}

/** Whether the scan fails (exit 1): an unaccepted clause, or a CSA criterion, without evidence. */
export function gapScanFails(scan: GapScanResult): boolean {
  return failingClauses(scan).length > 0 || failingCsaCriteria(scan).length > 0;
}

/** Applicable clauses without evidence that no `--allow` accepts: they fail the scan (exit 1). */
export function failingClauses(scan: GapScanResult): readonly ClauseResult[] {
  return scan.clauses.filter((c) => c.applies && c.status === 'no-evidence' && c.allowed === undefined);
}

const STATUS_RANK: Readonly<Record<GapStatus, number>> = {
  'no-evidence': 0,
  partial: 1,
  'evidence-found': 2,
  'not-applicable': 3,
};

/**
 * The gaps (applicable clauses with no or partial evidence), what blocks a submission first:
 * unaccepted before accepted (`--allow`), no-evidence before partial, then by process in the
 * catalog's submission order, then by clause.
 */
export function orderedGaps(scan: GapScanResult): ClauseResult[] {
  const processRank = (p: string) => SUBMISSION_ORDER.indexOf(p);
  return scan.clauses
    .filter((c) => c.applies && (c.status === 'no-evidence' || c.status === 'partial'))
    .sort(
      (a, b) =>
        Number(a.allowed !== undefined) - Number(b.allowed !== undefined) ||
        STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
        processRank(a.process) - processRank(b.process) ||
        clauseOrder(a.clause) - clauseOrder(b.clause),
    );
}
