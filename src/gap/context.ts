/**
 * What every evaluator of the gap scan reads, computed once per scan: the project's classes, the
 * version judged and its release gate, whether anything is released yet, and the findings of
 * `dossier check` by rule code.
 */
import type { Analysis } from '../analyze.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type GateResult, releaseOf } from '../evidence/release-gate.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import type { LoweredRule } from '../rules/severity.js';
import { classRank } from '../safety/class-scheme.js';
import { projectClass, type SubjectClassOf, subjectClasses } from '../safety/subject-class.js';

/** The software version the scan judges (test results, release record), and why that one. */
export interface ScanVersion {
  readonly version: string;
  readonly because: string;
  readonly release?: DossierRecord;
}

export interface GapContext {
  readonly analysis: Analysis;
  readonly classOf: SubjectClassOf;
  /** Classes present among the software system and items (the unclassified class when there is no system). */
  readonly classes: readonly string[];
  /** The highest of them: what applies to the whole software uses it (4.3 f). */
  readonly highestClass: string;
  readonly version?: ScanVersion;
  /** The release gate of `version` (its blockers are the evidence of 5.5 to 5.8). */
  readonly gate?: GateResult;
  /** A release record is dated on or before today: maintenance activities have something to show. */
  readonly released: boolean;
  /** Findings of `dossier check` with this code (after dossier.yaml settings). */
  findings(code: string): readonly Diagnostic[];
  /** A rule dossier.yaml lowers; when `off`, its findings are not seen by the scan. */
  lowered(code: string): LoweredRule | undefined;
}

/** The classes present: of the software system and every item, in scheme order (4.3 g: none is C). */
export function classesPresent(analysis: Analysis): string[] {
  const { safety } = analysis;
  const scheme = safety.scheme;
  const present = new Set(safety.items.map((i) => i.computedClass));
  if (safety.system) present.add(safety.system.computedClass);
  else present.add(scheme.unclassified);
  return [...present].sort((a, b) => classRank(scheme, a) - classRank(scheme, b));
}

const dateOf = (release: DossierRecord) =>
  typeof release.fields.date === 'string' ? release.fields.date : undefined;

/**
 * The version to judge: the one asked for; else `software.version` when it has a release record;
 * else the latest dated release record; else `software.version` without one. Undefined when the
 * project names no version at all.
 */
export function scanVersion(analysis: Analysis, requested?: string): ScanVersion | undefined {
  const withRelease = (version: string, because: string): ScanVersion => {
    const release = releaseOf(analysis, version);
    return { version, because, ...(release ? { release } : {}) };
  };
  if (requested !== undefined) return withRelease(requested, 'asked for with --version');
  const configured = analysis.project.config.software.version;
  if (configured !== undefined && releaseOf(analysis, configured)) {
    return withRelease(configured, 'software.version in dossier.yaml, which has a release record');
  }
  const latest = analysis.graph
    .ofKind('release')
    .filter((r) => isActive(r) && dateOf(r) !== undefined)
    .sort((a, b) => (dateOf(a)! < dateOf(b)! ? -1 : dateOf(a)! > dateOf(b)! ? 1 : compareById(a, b)))
    .pop();
  if (latest) {
    return withRelease(
      String(latest.fields.version),
      `the latest release record (${latest.id}, dated ${dateOf(latest)})`,
    );
  }
  if (configured !== undefined) {
    return withRelease(configured, 'software.version in dossier.yaml (no release record yet)');
  }
  return undefined;
}

export function makeContext(
  analysis: Analysis,
  version: ScanVersion | undefined,
  gate?: GateResult,
): GapContext {
  const classes = classesPresent(analysis);
  const byCode = new Map<string, Diagnostic[]>();
  for (const d of analysis.diagnostics) {
    const list = byCode.get(d.code);
    if (list) list.push(d);
    else byCode.set(d.code, [d]);
  }
  const lowered = new Map(analysis.lowered.map((l) => [l.code, l]));
  return {
    analysis,
    classOf: subjectClasses(analysis.graph, analysis.safety),
    classes,
    // Whole-software obligations are judged where plans are: the highest class in the project (4.3 f).
    highestClass: projectClass(analysis.safety),
    ...(version ? { version } : {}),
    ...(gate ? { gate } : {}),
    released: analysis.graph
      .ofKind('release')
      .some((r) => isActive(r) && dateOf(r) !== undefined && dateOf(r)! <= analysis.today),
    findings: (code) => byCode.get(code) ?? [],
    lowered: (code) => lowered.get(code),
  };
}
