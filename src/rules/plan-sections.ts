/**
 * The life-cycle plans (5.1, 6.1, 5.1.9, 9, ISO 14971 4.4): each required plan exists, of its own or
 * inside another plan (`covers`), and has every section its type requires at the project's class,
 * with text in it. Which plans and sections are required is data (data/plan-sections.json); the
 * sections are found by src/plans/. Plans apply to the whole software, so they are judged at the
 * highest class in the project (src/safety/subject-class.ts).
 */
import type { Anchor, Finding } from '../diagnostics/diagnostic.js';
import { CONFIG_FILE_NAME } from '../model/config.js';
import { type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import { type PlanHolder, planCoverage } from '../plans/coverage.js';
import { planTypeSpec } from '../plans/plan-data.js';
import { knownSectionKeys, planTypeOf, type SectionCoverage, sectionFields } from '../plans/sections.js';
import { closest } from '../util/suggest.js';
import type { Rule } from './rule.js';

const PLAN_DOCS = 'docs/plans.md';

/** "the configuration management plan": a plan type's title inside a sentence. */
const planName = (title: string) => `the ${title[0]!.toLowerCase()}${title.slice(1)}`;

export const planMissing: Rule = {
  code: 'plan/missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.1.1', '5.1.9', '6.1', '9', 'ISO 14971 4.4'],
  // planCoverage reads the plans' planType, covers, sections and text.
  reads: { kinds: ['plan'] },
  summary:
    'Every required plan exists: development (5.1.1), maintenance (6.1), configuration management (5.1.9) and problem resolution (9), of their own or held by the development plan (`covers`), and risk management (ISO 14971 4.4).',
  hint: `add a plan record for it (${PLAN_DOCS} lists its sections; \`dossier init\` writes starter plans to tailor)`,
  *check(context) {
    for (const type of planCoverage(context).types) {
      if (type.status !== 'missing') continue;
      const coveredBy = type.coveredBy ? planTypeSpec(type.coveredBy) : undefined;
      yield {
        code: 'plan/missing',
        clauses: [type.clause],
        message: coveredBy
          ? `no ${type.title.toLowerCase()} (${type.clause}): no active plan has \`planType: ${type.planType}\` and none lists it in \`covers\``
          : `no ${type.title.toLowerCase()} (${type.clause}): no active plan has \`planType: ${type.planType}\``,
        hint: coveredBy
          ? `add a plan record with \`planType: ${type.planType}\`, or hold it in ${planName(coveredBy.title)}: \`covers: [${type.planType}]\` and its sections under a "${headingTitle(type.planType)}" heading (${PLAN_DOCS})`
          : `add a plan record with \`planType: ${type.planType}\` and the sections ${PLAN_DOCS} lists (\`dossier init\` writes a starter plan to tailor)`,
        at: { file: CONFIG_FILE_NAME, path: ['records'] },
      };
    }
  },
};

/** The heading a covered plan type's sections go under, as the hints suggest it. */
function headingTitle(planType: Parameters<typeof planTypeSpec>[0]): string {
  const spec = planTypeSpec(planType);
  const [shortest] = spec.headings
    .filter((h) => !/ (?:plan|procedure|process)$/.test(h))
    .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const text = shortest ?? spec.title;
  return text[0]!.toUpperCase() + text.slice(1);
}

/** Sections that apply at the project's class, with the plan holding them. */
function* applyingSections(
  context: Parameters<Rule['check']>[0],
): Generator<{ holder: PlanHolder; section: SectionCoverage }> {
  for (const type of planCoverage(context).types) {
    for (const holder of type.holders) {
      for (const section of holder.sections) if (section.applies) yield { holder, section };
    }
  }
}

/** Where a missing section's finding points: the plan's `planType`, or the `covers` entry. */
function holdingAnchor(holder: PlanHolder): Anchor {
  if (holder.holding === 'own') return fieldAnchor(holder.plan, 'planType');
  const covers = (holder.plan.fields.covers as string[] | undefined) ?? [];
  return fieldAnchor(holder.plan, 'covers', Math.max(0, covers.indexOf(holder.planType)));
}

const describePlan = (plan: DossierRecord) => `${plan.id}${plan.title ? ` (${plan.title})` : ''}`;

export const planSectionMissing: Rule = {
  code: 'plan/section-missing',
  severity: 'error',
  applicability: 'table',
  clauses: [
    '5.1.1',
    '5.1.3',
    '5.1.4',
    '5.1.5',
    '5.1.6',
    '5.1.7',
    '5.1.8',
    '5.1.9',
    '6.1',
    '9',
    'ISO 14971 4.4',
  ],
  // planCoverage reads the plans' planType, covers, sections and text.
  reads: { kinds: ['plan'] },
  summary:
    'A plan has every section its type requires at the highest class in the project, as a Markdown heading or a `sections` field (data/plan-sections.json).',
  hint: `add the section as a Markdown heading or in \`sections:\` (${PLAN_DOCS})`,
  *check(context) {
    for (const { holder, section } of applyingSections(context)) {
      if (section.state !== 'missing') continue;
      const title = `"${section.title}" (${section.clause})`;
      const coveredTitle = planTypeSpec(holder.planType).title.toLowerCase();
      const under = headingTitle(holder.planType);
      yield {
        code: 'plan/section-missing',
        clauses: [section.clause],
        message:
          holder.holding === 'own'
            ? `${describePlan(holder.plan)} has no section ${title}`
            : holder.coveredUnder.length === 0
              ? `${describePlan(holder.plan)} covers the ${coveredTitle} but has no section ${title}: it has no "${under}" heading to hold the covered sections`
              : `${describePlan(holder.plan)} covers the ${coveredTitle} but has no section ${title} under "${holder.coveredUnder[0]}"`,
        hint:
          holder.holding === 'own'
            ? `add a heading "## ${section.title}" that says ${section.mustSay}; or \`sections: { ${section.fieldKey}: … }\` (${PLAN_DOCS})`
            : `add "### ${section.title}" under a "## ${under}" heading, saying ${section.mustSay}; or \`sections: { ${section.fieldKey}: … }\` (${PLAN_DOCS})`,
        recordId: holder.plan.id,
        at: holdingAnchor(holder),
      };
    }
  },
};

export const planSectionEmpty: Rule = {
  code: 'plan/section-empty',
  severity: 'error',
  applicability: 'table',
  clauses: planSectionMissing.clauses,
  // planCoverage reads the plans' planType, covers, sections and text.
  reads: { kinds: ['plan'] },
  summary:
    'A required plan section has text: not only placeholders such as TBD, TODO or N/A without a reason.',
  hint: 'write what the section must say, or "N/A: <the reason>" where it does not apply to this project',
  *check(context) {
    for (const { holder, section } of applyingSections(context)) {
      if (section.state !== 'empty' || !section.place) continue;
      const where =
        section.place.source === 'field' ? `\`sections.${section.place.name}\`` : `"${section.place.name}"`;
      yield {
        code: 'plan/section-empty',
        clauses: [section.clause],
        message: `${describePlan(holder.plan)}: section ${where} (${section.title}, ${section.clause}) has no text but placeholders`,
        hint: `write ${section.mustSay}; where it does not apply, say why ("N/A: <the reason>")`,
        recordId: holder.plan.id,
        at: section.place.at,
      };
    }
  },
};

/** A `sections` key that names no section would leave the intended section missing: say so. */
export const planSectionUnknown: Rule = {
  code: 'plan/section-unknown',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['5.1.1'],
  reads: { kinds: ['plan'] },
  summary: "A key of a plan's `sections` field names no section of its plan type or of a type it covers.",
  hint: `use a section key of the plan type (${PLAN_DOCS}); for a covered type, \`<type>.<key>\``,
  *check({ graph }) {
    for (const plan of graph.ofKind('plan')) {
      if (!isActive(plan) || planTypeOf(plan) === undefined) continue;
      const known = knownSectionKeys(plan);
      for (const key of Object.keys(sectionFields(plan)).sort()) {
        if (known.has(key)) continue;
        const suggestion = closest(key, known);
        const finding: Finding = {
          code: 'plan/section-unknown',
          message: `${plan.id}: \`sections.${key}\` names no section of a ${String(plan.fields.planType)} plan or of a plan type it covers${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
          recordId: plan.id,
          at: { ...fieldAnchor(plan, 'sections'), path: [...plan.origin.path, 'sections', key], atKey: true },
        };
        yield finding;
      }
    }
  },
};
