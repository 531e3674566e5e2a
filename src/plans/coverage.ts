/**
 * Plan coverage: for each plan type, the plans that hold it (of their own type, or through
 * `covers`), and per plan the state of each section with its clause. The plan rules report from it;
 * the gap scan reads it for the planning clauses (5.1.x, 6.1, 8, 9, ISO 14971 4.4).
 */
import type { TraceGraph } from '../graph/graph.js';
import { isApproved } from '../model/approval.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import type { PlanType } from '../model/vocabulary.js';
import type { SafetyAnalysis } from '../safety/safety-analysis.js';
import { projectClass } from '../safety/subject-class.js';
import { PLAN_TYPE_SPECS, type PlanTypeSpec, planTypeSpec } from './plan-data.js';
import {
  coveredTypes,
  type PlanSections,
  planSections,
  planTypeOf,
  type SectionCoverage,
} from './sections.js';

/** One plan record holding the sections of one plan type. */
export interface PlanHolder extends PlanSections {
  readonly plan: DossierRecord;
  /** {@link isApproved}: a plan found but not approved is a draft, not missing. */
  readonly approved: boolean;
}

/**
 * - `own`: at least one active plan of this type;
 * - `covered`: none of its own, but a plan lists it in `covers`;
 * - `missing`: neither, and the type is required at the project's class (`plan/missing`);
 * - `absent`: neither, and not required (optional plan types, or not at this class).
 */
export type PlanTypeStatus = 'own' | 'covered' | 'missing' | 'absent';

export interface PlanTypeCoverage {
  readonly planType: PlanType;
  readonly title: string;
  readonly clause: string;
  /** The data says a project needs it (of its own or covered). */
  readonly required: boolean;
  /** Its classes include the project's class. */
  readonly applies: boolean;
  readonly coveredBy?: PlanType;
  readonly status: PlanTypeStatus;
  /** Plans of this type first, then the plans that cover it; each by id. */
  readonly holders: readonly PlanHolder[];
}

export interface PlanCoverage {
  /** The highest class in the project, at which plans and their sections are judged (4.3 f). */
  readonly projectClass: string;
  /** Every plan type, in the order of PLAN_TYPES. */
  readonly types: readonly PlanTypeCoverage[];
}

export interface PlanCoverageInput {
  readonly graph: TraceGraph;
  readonly safety: SafetyAnalysis;
}

const computed = new WeakMap<SafetyAnalysis, WeakMap<TraceGraph, PlanCoverage>>();

/**
 * Plan coverage of a project. Pure over the graph and the safety analysis (an `Analysis` or a rule
 * context will do); computed once per analysis. Obsolete plans and plans without a valid
 * `planType` hold nothing.
 */
export function planCoverage(input: PlanCoverageInput): PlanCoverage {
  let byGraph = computed.get(input.safety);
  if (!byGraph) {
    byGraph = new WeakMap();
    computed.set(input.safety, byGraph);
  }
  let coverage = byGraph.get(input.graph);
  if (!coverage) {
    coverage = computeCoverage(input);
    byGraph.set(input.graph, coverage);
  }
  return coverage;
}

function computeCoverage({ graph, safety }: PlanCoverageInput): PlanCoverage {
  const cls = projectClass(safety);
  const plans = graph
    .ofKind('plan')
    .filter((p) => isActive(p) && planTypeOf(p) !== undefined)
    .sort(compareById);
  return { projectClass: cls, types: PLAN_TYPE_SPECS.map((spec) => typeCoverage(spec, plans, cls)) };
}

function typeCoverage(spec: PlanTypeSpec, plans: readonly DossierRecord[], cls: string): PlanTypeCoverage {
  const holder = (plan: DossierRecord, holding: 'own' | 'covers'): PlanHolder => ({
    plan,
    approved: isApproved(plan),
    ...planSections(plan, spec.planType, holding, cls),
  });
  const own = plans.filter((p) => planTypeOf(p) === spec.planType).map((p) => holder(p, 'own'));
  const covering = plans
    .filter((p) => coveredTypes(p).includes(spec.planType))
    .map((p) => holder(p, 'covers'));
  const applies = spec.classes.includes(cls);
  const status: PlanTypeStatus =
    own.length > 0
      ? 'own'
      : covering.length > 0
        ? 'covered'
        : spec.required && applies
          ? 'missing'
          : 'absent';
  return {
    planType: spec.planType,
    title: spec.title,
    clause: spec.clause,
    required: spec.required,
    applies,
    ...(spec.coveredBy ? { coveredBy: spec.coveredBy } : {}),
    status,
    holders: [...own, ...covering],
  };
}

/** A section of a plan, with the plan and plan type it belongs to (for clause look-ups). */
export interface PlanSectionEvidence {
  readonly planType: PlanType;
  /** Undefined when no plan holds the type: the section is missing with its plan. */
  readonly plan?: DossierRecord;
  readonly approved: boolean;
  readonly section: SectionCoverage;
}

/**
 * Every section whose clause falls under `clause`: "5.1.9" gives the six 5.1.9 a–f sections of the
 * configuration management plan, "9" every clause 9 section, "5.1.1" the development plan's 5.1.1
 * sections, "ISO 14971 4.4" the risk management plan's. A required plan type that no plan holds
 * yields its sections as missing (without a plan), so that a missing plan never reads as "nothing
 * asked"; an optional plan type that no plan holds (a verification plan, when the development plan
 * plans verification) yields nothing.
 */
export function planSectionsForClause(coverage: PlanCoverage, clause: string): PlanSectionEvidence[] {
  const under = (reference: string) =>
    reference === clause ||
    reference.startsWith(`${clause} `) ||
    reference.startsWith(`${clause}.`) ||
    reference.startsWith(`${clause}(`);
  return coverage.types.flatMap((type): PlanSectionEvidence[] => {
    if (type.holders.length > 0) {
      return type.holders.flatMap((h) =>
        h.sections
          .filter((s) => under(s.clause))
          .map((section) => ({ planType: type.planType, plan: h.plan, approved: h.approved, section })),
      );
    }
    if (type.status !== 'missing') return [];
    return planTypeSpec(type.planType)
      .sections.filter((s) => under(s.clause))
      .map((s) => ({
        planType: type.planType,
        approved: false,
        section: {
          key: s.key,
          fieldKey: s.key,
          clause: s.clause,
          title: s.title,
          mustSay: s.mustSay,
          classes: s.classes,
          applies: s.classes.includes(coverage.projectClass),
          state: 'missing',
        },
      }));
  });
}
