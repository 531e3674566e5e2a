import type { TraceGraph } from '../graph/graph.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { RISK_CONTROL_OPTIONS } from '../model/vocabulary.js';
import { type CreditPolicy, type ExternalCredit, evaluateCredit } from './external-credit.js';
import type { ProbabilityLevel, RiskPolicy, SeverityLevel } from './risk-policy.js';

/** A risk estimate: severity and probability of harm, evaluated against the plan (ISO 14971 5.5, 6). */
export interface RiskEstimate {
  readonly severity: SeverityLevel;
  readonly probability: ProbabilityLevel;
  readonly acceptable: boolean;
  /** How the probability was obtained, in words for the rationale. */
  readonly basis: string;
}

/** A value that names a key missing from the configured scales. */
export interface InvalidLevel {
  readonly field: string;
  readonly value: string;
  readonly scale: 'severity' | 'probability';
}

export interface ControlVerification {
  readonly control: DossierRecord;
  /** Tests that verify the control is implemented (directly or through its requirements). */
  readonly implementation: readonly DossierRecord[];
  /** Tests that verify the control is effective (ISO 14971 7.2). */
  readonly effectiveness: readonly DossierRecord[];
}

export interface SituationRisk {
  readonly situation: DossierRecord;
  /** Before risk controls; undefined when severity or probability is missing or invalid. */
  readonly initial?: RiskEstimate;
  /** Fields needed for the initial estimate that are missing. */
  readonly missing: readonly string[];
  readonly invalid: readonly InvalidLevel[];
  /** Active risk controls mitigating the situation, in ISO 14971 7.1 priority order. */
  readonly controls: readonly ControlVerification[];
  /** After risk controls; undefined when not evaluated. */
  readonly residual?: RiskEstimate;
  /** Residual risk unacceptable: a benefit–risk analysis is needed (ISO 14971 7.4). */
  readonly benefitRiskNeeded: boolean;
  /**
   * The risk when the software fails (probability 1) and only controls external to the software
   * system act: the input of the IEC 62304 4.3 classification and of the FDA documentation level.
   */
  readonly softwareFailure?: RiskEstimate;
  /** Same, before any control: used for the FDA documentation level. */
  readonly softwareFailureUncontrolled?: RiskEstimate;
  /** External controls credited for `softwareFailure` (empty unless `credit.applied`). */
  readonly externalControls: readonly DossierRecord[];
  /** The `withExternalControls` credit as recorded and whether it can be taken (4.3 a). */
  readonly credit?: ExternalCredit;
  /** `withExternalControls` claims a higher risk than without any control (contradictory data). */
  readonly creditExceedsUncontrolled: boolean;
  /** Software items that can contribute (contributesTo or a recorded cause). */
  readonly contributors: readonly DossierRecord[];
}

const OPTION_ORDER = new Map<string, number>(RISK_CONTROL_OPTIONS.map((o, i) => [o, i]));

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Evaluates every active hazardous situation. Pure: graph and policy in, estimates out. */
export function evaluateRisks(
  graph: TraceGraph,
  policy: RiskPolicy | undefined,
  creditPolicy: CreditPolicy = {},
): SituationRisk[] {
  const contributorsOf = situationContributors(graph);
  return graph
    .ofKind('hazardous-situation')
    .filter(isActive)
    .map((situation) =>
      evaluateSituation(graph, policy, creditPolicy, situation, contributorsOf.get(situation) ?? []),
    );
}

/** Items that can contribute to each situation: `contributesTo` links and recorded causes. */
export function situationContributors(graph: TraceGraph): Map<DossierRecord, DossierRecord[]> {
  const result = new Map<DossierRecord, DossierRecord[]>();
  const add = (situation: DossierRecord | undefined, item: DossierRecord) => {
    if (situation?.kind !== 'hazardous-situation') return;
    const list = result.get(situation) ?? [];
    if (!list.includes(item)) list.push(item);
    result.set(situation, list);
  };
  for (const item of graph.ofKind('software-item').filter(isActive)) {
    for (const situation of graph.targets(item, 'contributesTo')) add(situation, item);
    for (const cause of causesOf(item)) add(graph.get(cause.situation), item);
  }
  for (const list of result.values()) list.sort(compareById);
  return result;
}

export interface SoftwareCause {
  readonly situation: string;
  readonly category: string;
  readonly description: string;
  readonly soup?: string;
  readonly controls?: readonly string[];
}

export function causesOf(item: DossierRecord): readonly SoftwareCause[] {
  const causes = item.fields.causes;
  return Array.isArray(causes) ? (causes as SoftwareCause[]) : [];
}

function evaluateSituation(
  graph: TraceGraph,
  policy: RiskPolicy | undefined,
  creditPolicy: CreditPolicy,
  situation: DossierRecord,
  contributors: DossierRecord[],
): SituationRisk {
  const f = situation.fields;
  const invalid: InvalidLevel[] = [];
  const severityOf = (field: string, value = text(f[field])): SeverityLevel | undefined => {
    if (!value || !policy) return undefined;
    const level = policy.severity(value);
    if (!level) invalid.push({ field, value, scale: 'severity' });
    return level;
  };
  const probabilityOf = (field: string, value = text(f[field])): ProbabilityLevel | undefined => {
    if (!value || !policy) return undefined;
    const level = policy.probability(value);
    if (!level) invalid.push({ field, value, scale: 'probability' });
    return level;
  };

  const controls = graph
    .sources(situation, 'mitigates', 'risk-control')
    .filter(isActive)
    .sort(
      (a, b) =>
        (OPTION_ORDER.get(String(a.fields.option)) ?? 9) - (OPTION_ORDER.get(String(b.fields.option)) ?? 9) ||
        compareById(a, b),
    )
    .map((control) => verificationOf(graph, control));

  const severity = severityOf('severity');
  const p1 = probabilityOf('p1');
  const p2 = probabilityOf('p2');
  const single = probabilityOf('probability');
  const missing: string[] = [];
  if (!text(f.severity)) missing.push('severity');
  if (!text(f.probability) && !(text(f.p1) && text(f.p2))) missing.push('probability (or p1 and p2)');

  const estimate = (s: SeverityLevel, p: ProbabilityLevel, basis: string): RiskEstimate => ({
    severity: s,
    probability: p,
    acceptable: policy!.acceptability(s, p) === 'acceptable',
    basis,
  });

  let initial: RiskEstimate | undefined;
  if (policy && severity) {
    if (p1 && p2) {
      const combined = policy.combine(p1, p2);
      if (combined) initial = estimate(severity, combined, `P1 ${p1.label} × P2 ${p2.label}`);
      else if (single) initial = estimate(severity, single, 'probability of harm as estimated');
    } else if (single) {
      initial = estimate(severity, single, 'probability of harm as estimated');
    }
  }

  const residualSeverity = severityOf('residualSeverity') ?? severity;
  const residualProbability = probabilityOf('residualProbability');
  const residual =
    policy && residualSeverity && residualProbability
      ? estimate(residualSeverity, residualProbability, 'after risk control measures')
      : undefined;

  // IEC 62304 4.3: the software failure is taken as certain (P1 = 1), so only P2 remains; only
  // the controls outside the software system that the estimate names may lower it further.
  const credit = evaluateCredit(
    graph,
    situation,
    controls.map((c) => c.control),
    creditPolicy,
  );
  const external = credit?.applied ? credit.credits.map((c) => c.control!) : [];
  const credited = f.withExternalControls as { probability?: string; severity?: string } | undefined;
  let softwareFailure: RiskEstimate | undefined;
  let softwareFailureUncontrolled: RiskEstimate | undefined;
  let creditExceedsUncontrolled = false;
  if (policy && severity) {
    const uncontrolled = p2
      ? estimate(severity, p2, `software failure taken as certain, P2 ${p2.label}`)
      : estimate(
          severity,
          policy.certain,
          'software failure taken as certain and no P2 given, so harm is taken as certain',
        );
    softwareFailureUncontrolled = uncontrolled;
    softwareFailure = uncontrolled;
    if (credited && external.length > 0) {
      const p = probabilityOf('withExternalControls.probability', credited.probability);
      const s =
        credited.severity !== undefined
          ? severityOf('withExternalControls.severity', credited.severity)
          : severity;
      if (p && s) {
        // External controls can only lower the risk: a credited estimate above the uncontrolled one
        // is contradictory (risk/external-credit reports it) and is not allowed to raise the class.
        const lower = <T extends { index: number }>(a: T, b: T) => (a.index <= b.index ? a : b);
        softwareFailure = estimate(
          lower(s, uncontrolled.severity),
          lower(p, uncontrolled.probability),
          `software failure taken as certain; external controls ${external.map((c) => c.id).join(', ')} credited`,
        );
        creditExceedsUncontrolled =
          p.index > uncontrolled.probability.index || s.index > uncontrolled.severity.index;
      }
    }
  }

  return {
    situation,
    ...(initial ? { initial } : {}),
    missing,
    invalid,
    controls,
    ...(residual ? { residual } : {}),
    benefitRiskNeeded: residual !== undefined && !residual.acceptable,
    ...(softwareFailure ? { softwareFailure } : {}),
    ...(softwareFailureUncontrolled ? { softwareFailureUncontrolled } : {}),
    externalControls: external,
    ...(credit ? { credit } : {}),
    creditExceedsUncontrolled,
    contributors,
  };
}

/**
 * The residual risk of a situation (ISO 14971 7.3): the estimate after its risk controls, or its
 * initial risk when no control was needed. Undefined when it is not evaluated: controls without a
 * residual estimate, a residual level the scales do not define, or no estimate at all.
 */
export function residualRiskOf(risk: SituationRisk): RiskEstimate | undefined {
  if (risk.invalid.some((i) => i.field === 'residualSeverity' || i.field === 'residualProbability')) {
    return undefined;
  }
  return risk.residual ?? (risk.controls.length === 0 ? risk.initial : undefined);
}

/** Why a situation's residual risk is not evaluated (see {@link residualRiskOf}). */
export function residualUnevaluatedBecause(risk: SituationRisk): string {
  const bad = risk.invalid.filter((i) => i.field.startsWith('residual'));
  if (bad.length > 0) {
    return bad.map((i) => `\`${i.field}\` is "${i.value}", not a ${i.scale} level`).join('; ');
  }
  if (risk.controls.length > 0) {
    return `it has ${risk.controls.length} risk control${risk.controls.length === 1 ? '' : 's'} but no \`residualProbability\``;
  }
  return risk.missing.length > 0
    ? `its risk is not estimated (no ${risk.missing.join(' and no ')})`
    : 'its risk is not estimated on the scales of dossier.yaml';
}

/** A benefit–risk conclusion is recorded for the situation (ISO 14971 7.4). */
export function hasBenefitRisk(situation: DossierRecord): boolean {
  return text(situation.fields.benefitRisk) !== undefined;
}

function verificationOf(graph: TraceGraph, control: DossierRecord): ControlVerification {
  const implementation = new Set(graph.testsVerifying(control).filter(isActive));
  for (const requirement of graph.requirementsImplementing(control).filter(isActive)) {
    for (const test of graph.testsVerifying(requirement).filter(isActive)) implementation.add(test);
  }
  const effectiveness = graph.sources(control, 'verifiesEffectiveness', 'test').filter(isActive);
  return {
    control,
    implementation: [...implementation].sort(compareById),
    effectiveness: effectiveness.sort(compareById),
  };
}
