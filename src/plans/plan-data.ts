/**
 * The life-cycle plans and the sections each must have, as data (data/plan-sections.json): which
 * plan types are required, which plan may hold another (`coveredBy`, 5.1 lets the development plan
 * hold configuration management and problem resolution), and per section its clause, classes, what
 * it must say and the headings that find it. The rules and the gap scan read it through this module.
 */

import { PLAN_TYPES, type PlanType } from '../model/vocabulary.js';
import { packageJson } from '../util/package-files.js';

export interface PlanSectionSpec {
  /** Key of the section, as written in a plan's `sections` field. */
  readonly key: string;
  /** The clause the section answers to, e.g. "5.1.1 c", "ISO 14971 4.4 d". */
  readonly clause: string;
  readonly title: string;
  /** What the section must say, in our words (hints and docs). */
  readonly mustSay: string;
  /** Classes at which the section is required, compared with the highest class in the project. */
  readonly classes: readonly string[];
  /** Heading texts (lower-case, without numbering) that find the section. */
  readonly headings: readonly string[];
}

export interface PlanTypeSpec {
  readonly planType: PlanType;
  readonly clause: string;
  readonly title: string;
  /** The key of its document in the package (`SDP`), unique across plan types (src/docs/plans.ts). */
  readonly documentKey: string;
  /** The title of its document (`Software Development Plan`). */
  readonly documentTitle: string;
  /** A project needs this plan (of its own, or covered by another plan). */
  readonly required: boolean;
  /** The plan type that may hold this one as sections through `covers`. */
  readonly coveredBy?: PlanType;
  readonly classes: readonly string[];
  /** Headings under which a plan that `covers` this type holds its sections. */
  readonly headings: readonly string[];
  readonly sections: readonly PlanSectionSpec[];
}

interface PlanSectionsFile {
  readonly planTypes: Readonly<Record<string, Omit<PlanTypeSpec, 'planType'>>>;
}

const DATA = packageJson<PlanSectionsFile>('data/plan-sections.json');

/** Every plan type with its sections, in the order of PLAN_TYPES. */
export const PLAN_TYPE_SPECS: readonly PlanTypeSpec[] = PLAN_TYPES.map((planType) => {
  const spec = DATA.planTypes[planType];
  // A plan type the model knows but the data does not describe would have no required sections:
  // refuse to start rather than check nothing.
  if (!spec) throw new Error(`data/plan-sections.json does not describe the plan type ${planType}`);
  return { planType, ...spec };
});

// Plan documents are keyed by their type's documentKey: two types with one key would overwrite each other.
if (new Set(PLAN_TYPE_SPECS.map((s) => s.documentKey)).size !== PLAN_TYPE_SPECS.length)
  throw new Error('data/plan-sections.json gives two plan types the same documentKey');

const BY_TYPE = new Map(PLAN_TYPE_SPECS.map((s) => [s.planType, s]));

export function planTypeSpec(planType: PlanType): PlanTypeSpec {
  return BY_TYPE.get(planType)!;
}

/** The key of a covered plan type's section in the covering plan's `sections` field. */
export function coveredSectionKey(planType: PlanType, key: string): string {
  return `${planType}.${key}`;
}
