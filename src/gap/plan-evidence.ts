/**
 * The plan sections the gap scan reads, through ONE function: {@link planSectionsForClause}.
 *
 * INTERIM ADAPTER. The plans work (src/plans/, `planCoverage` and its `planSectionsForClause`) owns
 * section detection; until it is merged, this file reads plan records' Markdown headings and
 * `sections` fields per data/plan-sections.json with the rule written at the top of that file. At
 * the merge, replace the body of {@link planSectionsForClause} with
 * `planSectionsForClause(planCoverage(analysis), clause)` from src/plans/coverage.ts: the result
 * shape below is the same (a subset of it), and nothing else in src/gap/ reads plans.
 */
import { createRequire } from 'node:module';
import type { Analysis } from '../analyze.js';
import { isApproved } from '../model/approval.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { PLAN_TYPES, type PlanType } from '../model/vocabulary.js';

export type SectionState = 'found' | 'empty' | 'missing';

export interface SectionCoverage {
  readonly key: string;
  readonly clause: string;
  readonly title: string;
  readonly mustSay: string;
  readonly classes: readonly string[];
  /** Its classes include the highest class in the project (plans apply to the whole software). */
  readonly applies: boolean;
  readonly state: SectionState;
}

/** A section of a plan type whose clause falls under the clause asked for, with the plan holding it. */
export interface PlanSectionEvidence {
  readonly planType: PlanType;
  /** Undefined when no plan holds the type (a required type: its sections are all missing). */
  readonly plan?: DossierRecord;
  readonly approved: boolean;
  readonly section: SectionCoverage;
}

interface SectionSpec {
  readonly key: string;
  readonly clause: string;
  readonly title: string;
  readonly mustSay: string;
  readonly classes: readonly string[];
  readonly headings: readonly string[];
}

interface PlanTypeSpec {
  readonly clause: string;
  readonly title: string;
  readonly required: boolean;
  readonly coveredBy?: PlanType;
  readonly classes: readonly string[];
  readonly sections: readonly SectionSpec[];
}

const require = createRequire(import.meta.url);
const DATA = require('../../data/plan-sections.json') as {
  planTypes: Readonly<Record<string, PlanTypeSpec>>;
};

/** The title of a plan type (data/plan-sections.json), for messages. */
export function planTypeTitle(planType: PlanType): string {
  return DATA.planTypes[planType]?.title ?? planType;
}

/** The plan type that may hold this one through `covers` (5.1 lets the development plan hold CM). */
export function planTypeCoveredBy(planType: PlanType): PlanType | undefined {
  return DATA.planTypes[planType]?.coveredBy;
}

const HEADING = /^(#{1,6})[ \t]+(.*?)[ \t#]*$/;
/** Numbering in front of a heading: "3.2", "4.", "A.1", "b)", "(c)". */
const NUMBERING = /^(?:\(?[0-9a-z]{1,3}\)|(?:[0-9]+|[A-Z])(?:\.[0-9]+)*\.?)\s+/i;
const PLACEHOLDER =
  /\b(?:tbd|tbc|todo|fixme|xxx|to be (?:defined|determined|completed|written))\b|\bn\/a\b|<!--[\s\S]*?-->/gi;

interface Section {
  readonly heading: string;
  readonly text: string;
}

/** The plan's Markdown sections: each heading (normalised) with its text up to the next heading of the same or a higher level. */
function sectionsOf(markdown: string): Section[] {
  const lines = markdown.split(/\r?\n/);
  const headings: { level: number; text: string; line: number }[] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : HEADING.exec(line);
    if (m) headings.push({ level: m[1]!.length, text: normaliseHeading(m[2]!), line: index });
  });
  return headings.map((h, i) => {
    const next = headings.slice(i + 1).find((o) => o.level <= h.level);
    const body = lines
      .slice(h.line + 1, next ? next.line : lines.length)
      .filter((l) => !HEADING.test(l))
      .join('\n');
    return { heading: h.text, text: body };
  });
}

function normaliseHeading(text: string): string {
  return text.replace(/[*_`]/g, '').trim().replace(NUMBERING, '').replace(/:$/, '').trim().toLowerCase();
}

/** True when text says something once placeholders (TBD, TODO, N/A without a reason) are removed. */
export function hasContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.replace(PLACEHOLDER, ' '));
}

function sectionState(plan: DossierRecord, spec: SectionSpec, outline: readonly Section[]): SectionState {
  const field = (plan.fields.sections as Record<string, unknown> | undefined)?.[spec.key];
  if (typeof field === 'string') return hasContent(field) ? 'found' : 'empty';
  const matching = outline.filter((s) =>
    spec.headings.some((h) => s.heading === h || s.heading.startsWith(h)),
  );
  if (matching.length === 0) return 'missing';
  return matching.some((s) => hasContent(s.text)) ? 'found' : 'empty';
}

const planTypeOf = (plan: DossierRecord) => plan.fields.planType as PlanType | undefined;
const coveredTypes = (plan: DossierRecord) => (plan.fields.covers as PlanType[] | undefined) ?? [];

/** True when a section clause ("5.1.1 c", "ISO 14971 4.4 d") falls under `clause` ("5.1.1", "ISO 14971 4.4"). */
function under(reference: string, clause: string): boolean {
  return (
    reference === clause ||
    reference.startsWith(`${clause} `) ||
    reference.startsWith(`${clause}.`) ||
    reference.startsWith(`${clause}(`)
  );
}

/**
 * Every section whose clause falls under `clause`, in each plan that holds its plan type (a plan of
 * that type, or one that `covers` it). A required plan type no plan holds gives its sections as
 * missing without a plan, so a missing plan never reads as "nothing asked"; an optional type no plan
 * holds gives nothing. `projectClass` is the highest class in the project.
 */
export function planSectionsForClause(
  analysis: Pick<Analysis, 'graph'>,
  clause: string,
  projectClass: string,
): PlanSectionEvidence[] {
  const plans = analysis.graph
    .ofKind('plan')
    .filter((p) => isActive(p) && planTypeOf(p) !== undefined)
    .sort(compareById);
  const outlines = new Map(plans.map((p) => [p, sectionsOf(p.text)]));
  return PLAN_TYPES.flatMap((planType): PlanSectionEvidence[] => {
    const spec = DATA.planTypes[planType];
    if (!spec) return [];
    const specs = spec.sections.filter((s) => under(s.clause, clause));
    if (specs.length === 0) return [];
    const holders = [
      ...plans.filter((p) => planTypeOf(p) === planType),
      ...plans.filter((p) => coveredTypes(p).includes(planType)),
    ];
    const coverage = (s: SectionSpec, state: SectionState): SectionCoverage => ({
      key: s.key,
      clause: s.clause,
      title: s.title,
      mustSay: s.mustSay,
      classes: s.classes,
      applies: s.classes.includes(projectClass),
      state,
    });
    if (holders.length === 0) {
      if (!spec.required || !spec.classes.includes(projectClass)) return [];
      return specs.map((s) => ({ planType, approved: false, section: coverage(s, 'missing') }));
    }
    return holders.flatMap((plan) =>
      specs.map((s) => ({
        planType,
        plan,
        approved: isApproved(plan),
        section: coverage(s, sectionState(plan, s, outlines.get(plan)!)),
      })),
    );
  });
}
