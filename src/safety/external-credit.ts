/**
 * Credit for risk control external to the software system (IEC 62304 4.3 a, AMD1 Figure 3 Q2).
 *
 * A hazardous situation may give, under `withExternalControls`, the risk that remains when the
 * software fails and only controls outside the software system act. That estimate lowers the class
 * only when it names the controls it relies on (`credits`), each of them mitigates the situation and
 * is implemented outside the software, and the credit has a rationale. Information for safety
 * (labeling, training) counts only when dossier.yaml allows it. Anything else leaves the risk as if
 * no control acted: a credit Dossier cannot follow is never taken.
 */
import type { TraceGraph } from '../graph/graph.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import type { SafetyAnalysis } from './safety-analysis.js';

/** Why a named credit cannot be taken. */
export type CreditProblem =
  /** `withExternalControls` does not name the controls it relies on. */
  | 'no-credits'
  /** The credit has no rationale. */
  | 'no-rationale'
  /** A credited id is not an active risk control. */
  | 'not-a-control'
  /** A credited control does not mitigate the situation. */
  | 'not-mitigating'
  /** A credited control is implemented in the software, which cannot lower its own class. */
  | 'inside-software'
  /** A credited control is information for safety and dossier.yaml does not allow crediting it. */
  | 'information-for-safety';

export interface CreditedId {
  readonly id: string;
  readonly control?: DossierRecord;
  /** Undefined when this control may be credited. */
  readonly problem?: Exclude<CreditProblem, 'no-credits' | 'no-rationale'>;
}

export interface ExternalCredit {
  /** Every id under `withExternalControls.credits`, in record order. */
  readonly credits: readonly CreditedId[];
  readonly rationale?: string;
  /** Problems of the credit as a whole. */
  readonly problems: readonly Extract<CreditProblem, 'no-credits' | 'no-rationale'>[];
  /** True when the estimate lowers the risk used for classification. */
  readonly applied: boolean;
  /** Credited controls that are information for safety (only ever applied when allowed). */
  readonly informationForSafety: readonly DossierRecord[];
}

export interface CreditPolicy {
  /** dossier.yaml `classification.creditInformationForSafety.rationale`, when crediting is allowed. */
  readonly informationForSafetyRationale?: string;
}

export function isInformationForSafety(control: DossierRecord): boolean {
  return control.fields.option === 'information-for-safety' || control.fields.implementedIn === 'labeling';
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Evaluates the `withExternalControls` credit of one situation; undefined when it gives none. */
export function evaluateCredit(
  graph: TraceGraph,
  situation: DossierRecord,
  mitigating: readonly DossierRecord[],
  policy: CreditPolicy,
): ExternalCredit | undefined {
  const given = situation.fields.withExternalControls as
    | { credits?: unknown; rationale?: unknown }
    | undefined;
  if (given === undefined || given === null || typeof given !== 'object') return undefined;
  const ids = Array.isArray(given.credits)
    ? given.credits.filter((x): x is string => typeof x === 'string')
    : [];
  // Kept in record order, duplicates included, so that diagnostics point at the right entry.
  const credits = ids.map((id): CreditedId => {
    const control = graph.get(id);
    if (control?.kind !== 'risk-control' || !isActive(control)) return { id, problem: 'not-a-control' };
    if (!mitigating.includes(control)) return { id, control, problem: 'not-mitigating' };
    if (control.fields.implementedIn === 'software') return { id, control, problem: 'inside-software' };
    if (isInformationForSafety(control) && policy.informationForSafetyRationale === undefined)
      return { id, control, problem: 'information-for-safety' };
    return { id, control };
  });
  const rationale = text(given.rationale);
  const problems: ExternalCredit['problems'][number][] = [];
  if (credits.length === 0) problems.push('no-credits');
  if (!rationale) problems.push('no-rationale');
  return {
    credits,
    ...(rationale ? { rationale } : {}),
    problems,
    applied: problems.length === 0 && credits.every((c) => c.problem === undefined),
    informationForSafety: credits.flatMap((c) =>
      c.control && isInformationForSafety(c.control) ? [c.control] : [],
    ),
  };
}

/** One control that a classification estimate credits, with what shows it works. */
export interface CreditedControl {
  readonly controlId: string;
  readonly control?: DossierRecord;
  /** Situations whose `withExternalControls` credits it. */
  readonly situations: readonly string[];
  /** True when at least one of those credits lowers the class (only those matter to a release). */
  readonly applied: boolean;
  readonly implementedIn?: string;
  readonly informationForSafety: boolean;
  /** Tests that verify the control is implemented (7.3.1). */
  readonly implementationTests: readonly string[];
  /** Tests that verify it is effective (ISO 14971 7.2). */
  readonly effectivenessTests: readonly string[];
  /**
   * `verified`: tests are recorded for both implementation and effectiveness; `unverified`: one or
   * both are missing; `invalid`: it cannot be credited at all (see `problems`).
   */
  readonly status: 'verified' | 'unverified' | 'invalid';
  readonly problems: readonly CreditProblem[];
}

/**
 * Every risk control external to the software that a classification estimate names in `credits`,
 * with whether the credit is applied and how the control is verified. The release gate blocks on an
 * applied credit whose control is not verified (its tests have no passing result on the version).
 */
export function creditedExternalControls(safety: Pick<SafetyAnalysis, 'risks'>): CreditedControl[] {
  const byId = new Map<
    string,
    { control?: DossierRecord; situations: string[]; applied: boolean; problems: Set<CreditProblem> }
  >();
  for (const risk of safety.risks) {
    for (const credited of risk.credit?.credits ?? []) {
      const entry = byId.get(credited.id) ?? { situations: [], applied: false, problems: new Set() };
      if (credited.control) entry.control = credited.control;
      entry.situations.push(risk.situation.id);
      entry.applied ||= risk.credit!.applied;
      if (credited.problem) entry.problems.add(credited.problem);
      byId.set(credited.id, entry);
    }
  }
  const verification = new Map(safety.risks.flatMap((r) => r.controls.map((c) => [c.control, c] as const)));
  return [...byId.entries()]
    .map(([id, entry]) => ({ id, ...entry }))
    .sort(compareById)
    .map(({ id: controlId, ...entry }) => {
      const verified = entry.control ? verification.get(entry.control) : undefined;
      const implementationTests = (verified?.implementation ?? []).map((t) => t.id);
      const effectivenessTests = (verified?.effectiveness ?? []).map((t) => t.id);
      const problems = [...entry.problems].sort();
      return {
        controlId,
        ...(entry.control ? { control: entry.control } : {}),
        situations: [...new Set(entry.situations)].sort(),
        applied: entry.applied,
        ...(typeof entry.control?.fields.implementedIn === 'string'
          ? { implementedIn: entry.control.fields.implementedIn }
          : {}),
        informationForSafety: entry.control ? isInformationForSafety(entry.control) : false,
        implementationTests,
        effectivenessTests,
        status:
          problems.some((p) => p !== 'information-for-safety') || !entry.control
            ? 'invalid'
            : implementationTests.length > 0 && effectivenessTests.length > 0
              ? 'verified'
              : 'unverified',
        problems,
      };
    });
}
