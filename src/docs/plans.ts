/**
 * The plans of the package: one document per active plan record (IEC 62304 5.1 development plan,
 * 6.1 maintenance plan, 5.1.9 / clause 8 configuration management, clause 9 problem resolution,
 * ISO 14971 4.4 risk management plan, 5.1.5 / 5.1.6 integration and verification plans, and the
 * cybersecurity management plan of FD&C 524B(b)(1)); FDA 2023 guidance element G (development,
 * configuration management and maintenance practices). Each document holds the plan's fields, its
 * text as written, and the required sections of its plan type (data/plan-sections.json, read
 * through src/plans/coverage.ts as the plan rules and the gap scan read it) at the project's class:
 * found, only placeholders, or not recorded. A plan that `covers` other plan types (the development
 * plan holding configuration management and problem resolution) shows their sections too.
 *
 * Keys come from the plan type (`documentKey` in data/plan-sections.json: SDP, SMP, CMP, PRP, RMP,
 * SVP, SIP, CSMP); when several active plans share a type, each is keyed `<documentKey>-<id>`
 * (SDP-PLAN-001, SDP-PLAN-007), so no key depends on another plan's existence order. A plan type
 * the project needs but has no record for gets no document: the submission index reports it.
 */
import { isApproved } from '../model/approval.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { REVIEW_TYPES } from '../model/vocabulary.js';
import { type PlanHolder, planCoverage } from '../plans/coverage.js';
import { PLAN_TYPE_SPECS, planTypeSpec } from '../plans/plan-data.js';
import { type PlanSections, planTypeOf, type SectionCoverage, sectionFields } from '../plans/sections.js';
import { type DocumentContext, documentOf } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';

/** One plan document of the package: its key, title and the plan record it is written from. */
export interface PlanDocument {
  readonly key: string;
  readonly title: string;
  readonly plan: DossierRecord;
}

/** The plan documents of a project, in plan-type order (data/plan-sections.json), then by id. */
export function planDocuments(context: DocumentContext): PlanDocument[] {
  const plans = context.analysis.graph
    .ofKind('plan')
    .filter((p) => isActive(p) && planTypeOf(p) !== undefined)
    .sort(compareById);
  return PLAN_TYPE_SPECS.flatMap((spec) => {
    const ofType = plans.filter((p) => planTypeOf(p) === spec.planType);
    return ofType.map((plan) =>
      ofType.length === 1
        ? { key: spec.documentKey, title: spec.documentTitle, plan }
        : {
            key: `${spec.documentKey}-${plan.id}`,
            title: `${spec.documentTitle} (${plan.id})`,
            plan,
          },
    );
  });
}

/** The keys of the plan documents that hold a plan record (by the record's id). */
export function planDocumentKeys(context: DocumentContext): ReadonlyMap<string, string> {
  return new Map(planDocuments(context).map((d) => [d.plan.id, d.key]));
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
const notRecorded: Inline[] = [{ strong: 'not recorded' }];

export function planDocument(context: DocumentContext, document: PlanDocument): DocumentModel {
  const { analysis } = context;
  const { plan } = document;
  const type = planTypeOf(plan)!;
  const spec = planTypeSpec(type);
  const coverage = planCoverage(analysis);
  const cls = coverage.projectClass;
  // The holders of this plan: its own type first, then the types it covers (coverage order).
  const holdings: PlanHolder[] = coverage.types.flatMap((t) => t.holders.filter((h) => h.plan === plan));
  const covered = holdings.filter((h) => h.holding === 'covers').map((h) => planTypeSpec(h.planType));
  const approved = isApproved(plan);
  const independent = (plan.fields.independentReview as readonly string[] | undefined) ?? [];
  const number = text(plan.fields.documentNumber);

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This document is the ${spec.title.toLowerCase()} of ${analysis.project.config.device.name} (${clauseName(spec.clause)}) as recorded in the plan record `,
        },
        { ref: plan.id },
        {
          text: `${covered.length > 0 ? `, which also holds the ${covered.map((c) => `${c.title.toLowerCase()} (${clauseName(c.clause)})`).join(' and ')}` : ''}. Section 2 is the plan as written; section 3 lists the sections its plan type requires at software safety class ${cls}, the highest class in the project, and says which the plan does not hold (data/plan-sections.json; docs/plans.md says how sections are found).`,
        },
      ],
    },
    { kind: 'heading', level: 2, text: `1.1 ${plan.id} ${plan.title}`, anchor: plan.id },
    {
      kind: 'fields',
      rows: [
        ['Plan type', [{ text: `${spec.title} (${clauseName(spec.clause)})` }]],
        ['Status', [{ text: plan.status }]],
        ['Document number', number ? [{ text: number }] : notRecorded],
        [
          'Plan revision',
          text(plan.fields.revision) ? [{ text: String(plan.fields.revision) }] : notRecorded,
        ],
        [
          'Also holds',
          covered.length > 0
            ? [{ text: covered.map((c) => `${c.title} (${clauseName(c.clause)})`).join('; ') }]
            : [{ text: 'no other plan type (no `covers`)' }],
        ],
        [
          'Independent review required for',
          independent.length > 0
            ? [
                {
                  text: independent
                    .map((k) => {
                      const r = REVIEW_TYPES.find((t) => t.key === k);
                      return r ? `${r.label} (${r.clause})` : k;
                    })
                    .join('; '),
                },
              ]
            : [{ text: 'none named' }],
        ],
        [
          'Approved by',
          text(plan.fields.approvedBy) ? [{ text: String(plan.fields.approvedBy) }] : notRecorded,
        ],
        [
          'Approved on',
          text(plan.fields.approvedOn) ? [{ text: String(plan.fields.approvedOn) }] : notRecorded,
        ],
      ],
    },
  ];
  // 5.1.2 asks the development plan to be kept up to date; every plan is approved before use.
  const approvalClause = type === 'development' ? '5.1.2' : clauseName(spec.clause);
  if (!approved)
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `The plan is not approved (status: ${plan.status}): it is a draft until it is reviewed and its status is set to approved.`,
        },
      ],
    });
  if (!approved || !text(plan.fields.approvedBy) || !text(plan.fields.approvedOn))
    blocks.push({
      kind: 'not-recorded',
      what: `the approval of ${plan.id} (status: approved, approvedBy, approvedOn)`,
      clause: approvalClause,
    });

  blocks.push({ kind: 'heading', level: 1, text: '2 The plan' });
  blocks.push(
    plan.text.trim() === ''
      ? { kind: 'not-recorded', what: `the text of ${plan.id}`, clause: clauseName(spec.clause) }
      : { kind: 'record-text', recordId: plan.id, markdown: plan.text },
  );
  const fields = Object.entries(sectionFields(plan)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (fields.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: '2.1 Sections given as fields' });
    for (const [key, value] of fields)
      blocks.push(
        { kind: 'heading', level: 3, text: `sections.${key}` },
        value.trim() === ''
          ? { kind: 'not-recorded', what: `the text of sections.${key} of ${plan.id}` }
          : { kind: 'record-text', recordId: plan.id, markdown: value },
      );
  }

  blocks.push({ kind: 'heading', level: 1, text: '3 Required sections' });
  blocks.push({
    kind: 'paragraph',
    inlines: [
      { text: 'A section is found when a heading of the plan names it (or a ' },
      { code: 'sections.<key>' },
      {
        text: ' field holds it) and its text says more than a placeholder (TBD, N/A without a reason). Whether what a section says is adequate and true is for its reviewers to judge; Dossier only finds it.',
      },
    ],
  });
  holdings.forEach((holding, i) => {
    blocks.push(...sectionBlocks(plan, holding, i + 1, cls));
  });
  return withPlanNumber(
    documentOf(context, document.key, document.title, blocks, [plan.id]),
    context,
    document.key,
    number,
  );
}

function sectionBlocks(plan: DossierRecord, holding: PlanSections, n: number, cls: string): Block[] {
  const spec = planTypeSpec(holding.planType);
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 2,
      text: `3.${n} ${spec.title} (${clauseName(spec.clause)})${holding.holding === 'covers' ? ', held by this plan' : ''}`,
    },
  ];
  if (holding.holding === 'covers') {
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text:
            holding.coveredUnder.length > 0
              ? `Its sections are read below the heading${holding.coveredUnder.length === 1 ? '' : 's'} ${holding.coveredUnder.map((h) => `“${h}”`).join(', ')}, or from sections.${holding.planType}.<key> fields.`
              : `The plan lists it in covers but has no heading that introduces it (one of: ${spec.headings.map((h) => `“${h}”`).join(', ')}), so its sections are read only from sections.${holding.planType}.<key> fields.`,
        },
      ],
    });
  }
  if (!spec.classes.includes(cls))
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `The ${spec.title.toLowerCase()} is not required at class ${cls} (it applies at class ${spec.classes.join(', ')}): its sections are listed for information.`,
        },
      ],
    });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Clause', width: 2 },
      { title: 'Section', width: 4 },
      { title: `Required at class ${cls}`, width: 2 },
      { title: 'In the plan', width: 4 },
    ],
    rows: holding.sections.map((s) => [
      [{ text: s.clause }],
      [{ text: s.title }],
      [{ text: s.applies ? 'yes' : `no (class ${s.classes.join(', ')})` }],
      stateCell(s),
    ]),
  });
  for (const s of holding.sections.filter((x) => x.applies && x.state !== 'found'))
    blocks.push({
      kind: 'not-recorded',
      what: `${s.state === 'empty' ? `section “${s.title}” of ${plan.id} holds only placeholders` : `section “${s.title}” in ${plan.id}`}: ${s.mustSay}`,
      clause: s.clause,
    });
  return blocks;
}

function stateCell(s: SectionCoverage): Inline[] {
  const where = s.place
    ? s.place.source === 'heading'
      ? `heading “${s.place.name}”`
      : `field sections.${s.place.name}`
    : '';
  if (s.state === 'found') return [{ text: `found: ${where}` }];
  if (s.state === 'empty') return [{ strong: 'only placeholders' }, { text: `: ${where}` }];
  return s.applies ? [{ strong: 'not recorded' }] : [{ text: 'not in the plan' }];
}

/** "5.1.1" → "IEC 62304 5.1.1"; "ISO 14971 4.4" and other references as written. */
function clauseName(clause: string): string {
  return /^\d/.test(clause) ? `IEC 62304 ${clause}` : clause;
}

/** The plan's own document number when dossier.yaml names none for its key (dossier.yaml wins). */
function withPlanNumber(
  doc: DocumentModel,
  context: DocumentContext,
  key: string,
  number: string | undefined,
): DocumentModel {
  if (number === undefined || context.analysis.project.config.documents?.[key]?.number !== undefined)
    return doc;
  return { ...doc, control: { ...doc.control, number } };
}
