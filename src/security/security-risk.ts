/**
 * Security risk evaluation (ANSI/AAMI SW96; FDA premarket cybersecurity guidance V.A.2): each
 * security risk estimated by exploitability (never probability) and impact, before and after its
 * security controls, against the configured matrix. Pure: graph and policy in, evaluations out.
 * The rules (src/rules/security-*.ts) and the `dossier security` report both read these, so the
 * two can never disagree about what is acceptable.
 */
import type { TraceGraph } from '../graph/graph.js';
import type { DossierConfig } from '../model/config.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import type { Acceptability } from '../model/vocabulary.js';

export interface SecurityLevel {
  readonly key: string;
  readonly label: string;
  /** Position in its scale, 0 = least severe / least exploitable. */
  readonly rank: number;
}

/** The security risk policy of dossier.yaml `securityRisk`, indexed for look-ups. */
export interface SecurityRiskPolicy {
  readonly impact: readonly SecurityLevel[];
  readonly exploitability: readonly SecurityLevel[];
  /** acceptability[impact rank][exploitability rank]. */
  readonly matrix: readonly (readonly Acceptability[])[];
}

export function securityRiskPolicy(config: DossierConfig): SecurityRiskPolicy | undefined {
  const policy = config.securityRisk;
  if (!policy) return undefined;
  const levels = (list: readonly { key: string; label: string }[]) =>
    list.map((l, rank) => ({ key: l.key, label: l.label, rank }));
  return {
    impact: levels(policy.impact),
    exploitability: levels(policy.exploitability),
    matrix: policy.impact.map((i) => policy.acceptability[i.key] ?? []),
  };
}

export interface SecurityEstimate {
  readonly impact: SecurityLevel;
  readonly exploitability: SecurityLevel;
  readonly acceptable: boolean;
}

/** A value of the record that names no level of its scale. */
export interface InvalidSecurityLevel {
  readonly field: string;
  readonly value: string;
  readonly scale: 'impact' | 'exploitability';
}

export interface SecurityRiskEvaluation {
  readonly risk: DossierRecord;
  /** Before control; undefined when a value is missing or invalid, or there is no policy. */
  readonly initial?: SecurityEstimate;
  /** After control; undefined when not estimated (then the initial estimate stands). */
  readonly residual?: SecurityEstimate;
  readonly missing: readonly string[];
  readonly invalid: readonly InvalidSecurityLevel[];
  /** Active security controls mitigating the risk, by id. */
  readonly controls: readonly DossierRecord[];
  /** The risk as it stands: the residual estimate, else the initial one. */
  readonly current?: SecurityEstimate;
  /** The current risk is unacceptable and no `acceptance` rationale is written. */
  readonly unacceptableWithoutRationale: boolean;
  /** Hazardous situations the risk can lead to (where it meets the safety risk file). */
  readonly hazardousSituations: readonly DossierRecord[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function estimate(
  policy: SecurityRiskPolicy,
  record: DossierRecord,
  impactField: string,
  exploitabilityField: string,
  missing: string[],
  invalid: InvalidSecurityLevel[],
): SecurityEstimate | undefined {
  const impactKey = text(record.fields[impactField]);
  const exploitabilityKey = text(record.fields[exploitabilityField]);
  if (impactKey === undefined) missing.push(impactField);
  if (exploitabilityKey === undefined) missing.push(exploitabilityField);
  const impact = impactKey === undefined ? undefined : policy.impact.find((l) => l.key === impactKey);
  const exploitability =
    exploitabilityKey === undefined
      ? undefined
      : policy.exploitability.find((l) => l.key === exploitabilityKey);
  if (impactKey !== undefined && !impact)
    invalid.push({ field: impactField, value: impactKey, scale: 'impact' });
  if (exploitabilityKey !== undefined && !exploitability)
    invalid.push({ field: exploitabilityField, value: exploitabilityKey, scale: 'exploitability' });
  if (!impact || !exploitability) return undefined;
  const cell = policy.matrix[impact.rank]?.[exploitability.rank];
  // A cell the matrix does not have is not acceptable: the config check reports the gap.
  return { impact, exploitability, acceptable: cell === 'acceptable' };
}

/** Evaluates one security risk. */
export function evaluateSecurityRisk(
  graph: TraceGraph,
  policy: SecurityRiskPolicy | undefined,
  risk: DossierRecord,
): SecurityRiskEvaluation {
  const missing: string[] = [];
  const invalid: InvalidSecurityLevel[] = [];
  const initial = policy ? estimate(policy, risk, 'impact', 'exploitability', missing, invalid) : undefined;
  const hasResidual =
    text(risk.fields.residualImpact) !== undefined || text(risk.fields.residualExploitability) !== undefined;
  const residualMissing: string[] = [];
  const residual =
    policy && hasResidual
      ? estimate(policy, risk, 'residualImpact', 'residualExploitability', residualMissing, invalid)
      : undefined;
  // Half a residual estimate is missing data; no residual at all means the initial risk stands.
  if (hasResidual) missing.push(...residualMissing);
  const current = hasResidual ? residual : initial;
  const controls = graph.sources(risk, 'mitigates', 'security-control').filter(isActive).sort(compareById);
  return {
    risk,
    ...(initial ? { initial } : {}),
    ...(residual ? { residual } : {}),
    missing,
    invalid,
    controls,
    ...(current ? { current } : {}),
    unacceptableWithoutRationale:
      current !== undefined && !current.acceptable && text(risk.fields.acceptance) === undefined,
    hazardousSituations: graph.targets(risk, 'leadsTo').sort(compareById),
  };
}

/** Every active security risk, by id. */
export function evaluateSecurityRisks(
  graph: TraceGraph,
  policy: SecurityRiskPolicy | undefined,
): SecurityRiskEvaluation[] {
  return [...graph.ofKind('security-risk')]
    .filter(isActive)
    .sort(compareById)
    .map((risk) => evaluateSecurityRisk(graph, policy, risk));
}

/** A threat model's interface, asset or boundary, by key. */
export interface ModelEntry {
  readonly key: string;
  readonly name: string;
  readonly [field: string]: unknown;
}

/** The keyed lists of a threat model (`assets`, `trustBoundaries`, `interfaces`). */
export function modelEntries(
  model: DossierRecord,
  list: 'assets' | 'trustBoundaries' | 'interfaces',
): readonly ModelEntry[] {
  const value = model.fields[list];
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is ModelEntry => typeof e === 'object' && e !== null && typeof (e as ModelEntry).key === 'string',
  );
}

/** The keys a threat names in one of its lists (`entryPoints`, `assets`). */
export function threatKeys(threat: DossierRecord, list: 'entryPoints' | 'assets'): readonly string[] {
  const value = threat.fields[list];
  return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
}
