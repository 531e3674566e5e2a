/**
 * Severity follows the class: the one place that decides whether a finding is reported and at what
 * severity (docs/config.md, "Severity and class applicability"). Pure functions over a rule, a
 * finding, the class scheme's applicability data and the `rules:` settings of dossier.yaml.
 */
import { type Finding, type Lowering, type Severity, severityRank } from '../diagnostics/diagnostic.js';
import type { RuleSetting, SeveritySetting } from '../model/config.js';
import { type ClassScheme, classesOfClauses } from '../safety/class-scheme.js';
import type { SubjectClassOf } from '../safety/subject-class.js';
import type { Rule } from './rule.js';

/** A finding as the applicability table judges it, before dossier.yaml settings. */
export interface Judgement {
  readonly severity: Severity;
  /** The clauses the finding enforces (its own, else the rule's). */
  readonly clauses: readonly string[];
  /** For `table` rules: the class of the record the finding is about. */
  readonly safetyClass?: string;
}

/**
 * Judges one finding: a `fixed` rule's finding keeps its severity; a `table` rule's finding is
 * reported where any of its clauses applies at the class of the record it is about, and is not
 * reported (undefined) where none does.
 */
export function judgeFinding(
  rule: Rule,
  finding: Finding,
  scheme: ClassScheme,
  classOf: SubjectClassOf,
): Judgement | undefined {
  // An empty list would apply nowhere and drop the finding silently: fall back to the rule's.
  const clauses = finding.clauses?.length ? finding.clauses : rule.clauses;
  const severity = finding.severity ?? rule.severity;
  if (rule.applicability === 'fixed') return { severity, clauses };
  const safetyClass = classOf(finding.subjectId ?? finding.recordId);
  if (!classesOfClauses(scheme, clauses).includes(safetyClass)) return undefined;
  return { severity, clauses, safetyClass };
}

/** True when a setting lowers the rule below its default severity. */
export function lowers(rule: Rule, setting: RuleSetting): boolean {
  return severityRank(setting.severity) > severityRank(rule.severity);
}

/**
 * A setting that may not be used: it lowers a `table` rule (an obligation) without a reason.
 * Loading dossier.yaml refuses it; {@link usableSetting} ignores it in case a project was built
 * another way, so the finding keeps its severity (fail closed).
 */
export function isUnjustifiedLowering(rule: Rule, setting: RuleSetting): boolean {
  return rule.applicability === 'table' && lowers(rule, setting) && setting.reason === undefined;
}

export function usableSetting(rule: Rule, setting: RuleSetting | undefined): RuleSetting | undefined {
  return setting && !isUnjustifiedLowering(rule, setting) ? setting : undefined;
}

/** The severity a judged finding is reported at under a setting (`off`: not reported), and any lowering. */
export function configuredSeverity(
  judged: Severity,
  setting: RuleSetting | undefined,
): { readonly severity: SeveritySetting; readonly lowered?: Lowering } {
  if (!setting) return { severity: judged };
  if (severityRank(setting.severity) <= severityRank(judged)) return { severity: setting.severity };
  return {
    severity: setting.severity,
    lowered: { from: judged, ...(setting.reason !== undefined ? { reason: setting.reason } : {}) },
  };
}

/** A rule dossier.yaml lowers below its default, as every report lists it. */
export interface LoweredRule {
  readonly code: string;
  readonly from: Severity;
  readonly to: SeveritySetting;
  readonly reason?: string;
  /** Findings shown at a lower severity, or (for `off`) left out of the report. */
  readonly findings: number;
}

/** Classes at which a `table` rule can report (for `dossier rules` and the docs); every class for `fixed`. */
export function ruleClasses(rule: Rule, scheme: ClassScheme): string[] {
  return rule.applicability === 'fixed'
    ? scheme.classes.map((c) => c.key)
    : classesOfClauses(scheme, rule.clauses);
}
