/**
 * Software Verification Plan (IEC 62304 5.1.5, 5.1.6, 5.5, 5.6, 5.7; FDA 2023 guidance element H,
 * the test protocols): the verification strategy as the plan records state it (a verification plan,
 * an integration plan, and the development plan's integration (5.1.5) and verification (5.1.6)
 * sections, src/plans), then per level (unit 5.5, integration 5.6, system 5.7, and design validation)
 * what the level must cover and the test procedures: each test record with its method, what it
 * verifies, its procedure, expected results and acceptance criteria (5.5.3, 5.6.3, 5.7.1), and for
 * class C units the eight 5.5.4 acceptance criteria (`unitVerification`). FDA submits unit and
 * integration protocols at the Enhanced level only and the system protocol at both; the document
 * holds every level and says so at each. What the records do not say is a not-recorded block with
 * its clause.
 */
import { plural } from '../diagnostics/format.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { UNIT_ACCEPTANCE_CRITERIA } from '../model/vocabulary.js';
import { planCoverage } from '../plans/coverage.js';
import { sectionMarkdown } from '../plans/sections.js';
import { clauseAppliesAt } from '../safety/class-scheme.js';
import { subjectClasses } from '../safety/subject-class.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import {
  excerpt,
  inBaseline,
  LEVELS,
  type LevelSpec,
  labelledText,
  textField,
} from './verification-common.js';

/** The plan sections that state the verification strategy: plan type → section keys (all when undefined). */
const STRATEGY_SECTIONS: readonly { planType: string; keys?: readonly string[] }[] = [
  { planType: 'verification' },
  { planType: 'integration' },
  { planType: 'development', keys: ['integration', 'verification', 'controlBeforeVerification'] },
];

export function softwareVerificationPlan(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project } = analysis;
  const included = new Set<string>();
  const all = graph.ofKind('test');
  const tests = all.filter((t) => isActive(t) && inBaseline(t, baseline)).sort(compareById);
  const obsolete = all.filter((t) => !isActive(t)).length;
  const later = all.filter((t) => isActive(t) && !inBaseline(t, baseline)).length;
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This plan states how the software of ${project.config.device.name}, version ${baseline}, is verified: the verification strategy of the plan records (IEC 62304 5.1.5, 5.1.6), and per level (unit verification 5.5, integration testing 5.6, system testing 5.7, and design validation) what the level must cover and the test procedures with their acceptance criteria and what each verifies. It holds ${plural(tests.length, 'test procedure')}.${obsolete > 0 ? ` ${plural(obsolete, 'obsolete test')} ${obsolete === 1 ? 'is' : 'are'} left out.` : ''}${later > 0 ? ` ${plural(later, 'test')} introduced after ${baseline} ${later === 1 ? 'is' : 'are'} left out.` : ''} The results are in the Software Verification Report.`,
        },
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'FDA 2023 guidance element H: the system-level test protocol is submitted at both documentation levels; the unit and integration test protocols only at the Enhanced level. This document holds every level; each level says which applies.',
        },
      ],
    },
    { kind: 'heading', level: 1, text: '2 Verification strategy (5.1.5, 5.1.6)' },
    ...strategyBlocks(context, included),
  ];
  LEVELS.forEach((level, i) => {
    blocks.push(...levelBlocks(context, level, i + 3, tests, included));
  });
  const unlevelled = tests.filter((t) => !LEVELS.some((l) => l.level === t.fields.level));
  if (unlevelled.length > 0) {
    blocks.push(
      { kind: 'heading', level: 1, text: `${LEVELS.length + 3} Tests without a known level` },
      {
        kind: 'not-recorded',
        what: 'the level (unit, integration, system or validation) of these tests',
        clause: '5.5, 5.6, 5.7',
      },
    );
    for (const test of unlevelled) blocks.push(...testBlocks(context, test, undefined, included));
  }
  return documentOf(context, 'VVP', 'Software Verification Plan', blocks, included);
}

function strategyBlocks(context: DocumentContext, included: Set<string>): Block[] {
  const coverage = planCoverage(context.analysis);
  const byPlan = new Map<string, { plan: DossierRecord; blocks: Block[] }>();
  for (const wanted of STRATEGY_SECTIONS) {
    const type = coverage.types.find((t) => t.planType === wanted.planType);
    for (const holder of type?.holders ?? []) {
      const sections = holder.sections.filter((s) => !wanted.keys || wanted.keys.includes(s.key));
      for (const section of sections) {
        if (section.state === 'missing' && !section.applies) continue;
        let entry = byPlan.get(holder.plan.id);
        if (!entry) {
          entry = { plan: holder.plan, blocks: [] };
          byPlan.set(holder.plan.id, entry);
        }
        entry.blocks.push({
          kind: 'paragraph',
          inlines: [{ strong: `${section.title} (${section.clause})` }],
        });
        const text = section.state === 'found' ? sectionMarkdown(holder.plan, section) : undefined;
        entry.blocks.push(
          text !== undefined
            ? { kind: 'record-text', recordId: holder.plan.id, markdown: text }
            : {
                kind: 'not-recorded',
                what: `${section.mustSay} (${holder.plan.id} ${section.state === 'empty' ? 'leaves the section empty' : 'has no such section'})`,
                clause: section.clause,
              },
        );
      }
    }
  }
  const blocks: Block[] = [];
  const plans = [...byPlan.values()].sort((a, b) => compareById(a.plan, b.plan));
  if (plans.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: 'a verification plan, or the verification section of the development plan: which deliverables are verified, the tasks, the milestones and the acceptance criteria',
      clause: '5.1.6',
    });
  }
  plans.forEach(({ plan, blocks: sections }, i) => {
    included.add(plan.id);
    blocks.push(
      { kind: 'heading', level: 2, text: `2.${i + 1} ${plan.id} ${plan.title}`, anchor: plan.id },
      {
        kind: 'fields',
        rows: [
          ['Plan type', [{ text: String(plan.fields.planType) }]],
          [
            'Document number and revision',
            textField(plan, 'documentNumber')
              ? [
                  {
                    text: `${plan.fields.documentNumber}${textField(plan, 'revision') ? ` rev ${plan.fields.revision}` : ''}`,
                  },
                ]
              : [{ strong: 'not recorded' }],
          ],
          [
            'Approved',
            typeof plan.fields.approvedBy === 'string'
              ? [
                  {
                    text: `${plan.fields.approvedBy}${typeof plan.fields.approvedOn === 'string' ? `, ${plan.fields.approvedOn}` : ''}`,
                  },
                ]
              : [{ strong: `not recorded (status ${plan.status})` }],
          ],
        ],
      },
      ...sections,
    );
  });
  return blocks;
}

/** What each level must cover, and the records that must have a test at that level. */
function subjectsOf(
  context: DocumentContext,
  level: LevelSpec,
): { what: string; clause: string; records: DossierRecord[] } | undefined {
  const { analysis, baseline } = context;
  const { graph, safety } = analysis;
  const classOf = subjectClasses(graph, safety);
  const active = (kind: 'software-item' | 'software-requirement' | 'user-need') =>
    graph
      .ofKind(kind)
      .filter((r) => isActive(r) && inBaseline(r, baseline))
      .sort(compareById);
  switch (level.level) {
    case 'unit':
      return {
        what: 'Software units where unit verification applies at their class (5.5.2, 5.5.5)',
        clause: '5.5.5',
        records: active('software-item').filter(
          (u) => u.fields.itemType === 'unit' && clauseAppliesAt(safety.scheme, '5.5.5', classOf(u.id)),
        ),
      };
    case 'integration':
      return {
        what: 'Software items where integration testing applies at their class (5.6.3)',
        clause: '5.6.3',
        records: active('software-item').filter(
          (u) => u.fields.itemType === 'item' && clauseAppliesAt(safety.scheme, '5.6.3', classOf(u.id)),
        ),
      };
    case 'system':
      return {
        what: 'Every software requirement is tested at system level (5.7.1)',
        clause: '5.7.1',
        records: active('software-requirement'),
      };
    case 'validation':
      return {
        what: 'User needs validated (ISO 13485 7.3.7)',
        clause: 'ISO 13485 7.3.7',
        records: active('user-need'),
      };
  }
}

function levelBlocks(
  context: DocumentContext,
  level: LevelSpec,
  number: number,
  all: readonly DossierRecord[],
  included: Set<string>,
): Block[] {
  const { graph, safety } = context.analysis;
  const classOf = subjectClasses(graph, safety);
  const tests = all.filter((t) => t.fields.level === level.level);
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: `${number} ${level.title} (${level.clause})` },
    { kind: 'paragraph', inlines: [{ text: level.fda }] },
  ];
  let sub = 0;
  const subjects = subjectsOf(context, level);
  if (subjects) {
    blocks.push({ kind: 'heading', level: 2, text: `${number}.${++sub} Coverage: ${subjects.what}` });
    if (subjects.records.length === 0) {
      blocks.push({ kind: 'paragraph', inlines: [{ text: 'None in the records.' }] });
    } else {
      const untested: string[] = [];
      blocks.push({
        kind: 'table',
        columns: [
          { title: 'Record', width: 2 },
          { title: 'Title', width: 5 },
          { title: 'Class', width: 1 },
          { title: `${level.level} tests`, width: 4 },
        ],
        rows: subjects.records.map((r) => {
          included.add(r.id);
          const verifying = graph
            .sources(r, 'verifies', 'test')
            .filter((t) => isActive(t) && t.fields.level === level.level && inBaseline(t, context.baseline));
          if (verifying.length === 0) untested.push(r.id);
          return [
            [{ ref: r.id }],
            [{ text: r.title }],
            [{ text: r.kind === 'user-need' ? '–' : classOf(r.id) }],
            verifying.length > 0 ? refs(verifying) : [{ strong: `no ${level.level} test recorded` }],
          ];
        }),
      });
      if (untested.length > 0)
        blocks.push({
          kind: 'not-recorded',
          what: `${level.level === 'integration' ? 'an' : 'a'} ${level.level} test procedure for ${untested.join(', ')}`,
          clause: subjects.clause,
        });
    }
  }
  if (level.level === 'unit') blocks.push(...unitCriteriaBlocks(context, number, ++sub, included));
  blocks.push({ kind: 'heading', level: 2, text: `${number}.${++sub} Test procedures` });
  if (tests.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: `no ${level.level} test procedure`,
      clause: level.procedureClause,
    });
    return blocks;
  }
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Test', width: 2 },
      { title: 'Title', width: 4 },
      { title: 'Method', width: 2 },
      { title: 'Verifies', width: 3 },
      { title: 'Acceptance criteria', width: 5 },
    ],
    rows: tests.map((t) => {
      const criteria = textField(t, 'acceptanceCriteria');
      return [
        [{ ref: t.id }],
        [{ text: t.title }],
        [{ text: String(t.fields.method ?? 'test') }],
        verifiedCell(context, t),
        criteria === undefined ? [{ strong: 'not recorded' }] : [{ text: excerpt(criteria) }],
      ];
    }),
  });
  for (const test of tests) blocks.push(...testBlocks(context, test, level, included));
  return blocks;
}

function verifiedCell(context: DocumentContext, test: DossierRecord): Inline[] {
  const { graph } = context.analysis;
  const verifies = graph.targets(test, 'verifies');
  const effectiveness = graph.targets(test, 'verifiesEffectiveness');
  const cell: Inline[] = [...refs(verifies)];
  if (effectiveness.length > 0)
    cell.push(
      { text: verifies.length > 0 ? '; effectiveness of ' : 'effectiveness of ' },
      ...refs(effectiveness),
    );
  return cell.length > 0 ? cell : [{ strong: 'nothing recorded' }];
}

/** The class C units and the eight 5.5.4 acceptance criteria of each (`unitVerification`). */
function unitCriteriaBlocks(
  context: DocumentContext,
  number: number,
  sub: number,
  included: Set<string>,
): Block[] {
  const { analysis, baseline } = context;
  const { graph, safety } = analysis;
  const classOf = subjectClasses(graph, safety);
  const units = graph
    .ofKind('software-item')
    .filter(
      (u) =>
        isActive(u) &&
        inBaseline(u, baseline) &&
        u.fields.itemType === 'unit' &&
        clauseAppliesAt(safety.scheme, '5.5.4', classOf(u.id)),
    )
    .sort(compareById);
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 2,
      text: `${number}.${sub} Additional acceptance criteria of class C units (5.5.4)`,
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: "For each unit where 5.5.4 applies, the eight additional acceptance criteria, each with the tests or other evidence that show it is met, or the reason it does not apply to the unit's design.",
        },
      ],
    },
  ];
  if (units.length === 0) {
    blocks.push({
      kind: 'paragraph',
      inlines: [{ text: 'No software unit is held to 5.5.4 (no class C unit).' }],
    });
    return blocks;
  }
  for (const unit of units) {
    included.add(unit.id);
    const criteria = (unit.fields.unitVerification ?? {}) as Record<
      string,
      { tests?: string[]; evidence?: string; notApplicable?: string }
    >;
    const missing: string[] = [];
    const rows = UNIT_ACCEPTANCE_CRITERIA.map(({ key, label }): readonly [string, readonly Inline[]] => {
      const entry = criteria[key];
      const value: Inline[] = [];
      if (entry?.tests && entry.tests.length > 0) {
        value.push({ text: 'tests ' });
        entry.tests.forEach((id, i) => {
          value.push(...(i > 0 ? [{ text: ', ' }] : []), { ref: id });
          included.add(id);
        });
      }
      if (entry?.evidence) value.push({ text: `${value.length > 0 ? '; ' : ''}${excerpt(entry.evidence)}` });
      if (entry?.notApplicable)
        value.push({
          text: `${value.length > 0 ? '; ' : ''}not applicable: ${excerpt(entry.notApplicable)}`,
        });
      if (value.length === 0) {
        missing.push(label);
        value.push({ strong: 'not recorded' });
      }
      return [label, value];
    });
    blocks.push(
      {
        kind: 'heading',
        level: 3,
        text: `${unit.id} ${unit.title} (class ${classOf(unit.id)})`,
        anchor: unit.id,
      },
      { kind: 'fields', rows },
    );
    if (missing.length > 0)
      blocks.push({
        kind: 'not-recorded',
        what: `the evidence or a reasoned "not applicable" of ${unit.id} for: ${missing.join('; ')} (unitVerification)`,
        clause: '5.5.4',
      });
  }
  return blocks;
}

function testBlocks(
  context: DocumentContext,
  test: DossierRecord,
  level: LevelSpec | undefined,
  included: Set<string>,
): Block[] {
  const { graph } = context.analysis;
  included.add(test.id);
  for (const r of [...graph.targets(test, 'verifies'), ...graph.targets(test, 'verifiesEffectiveness')])
    included.add(r.id);
  const procedureClause = level?.procedureClause ?? '5.5.2, 5.6.3, 5.7.1';
  const criteriaClause = level?.criteriaClause ?? '5.5.3, 5.6.3, 5.7.1';
  const rows: (readonly [string, readonly Inline[]])[] = [
    ['Level', [{ text: level ? `${level.level} (${level.clause})` : 'not recorded' }]],
    ['Method', [{ text: String(test.fields.method ?? 'test') }]],
    ['Verifies', verifiedCell(context, test)],
    ['Status', [{ text: test.status }]],
  ];
  if (typeof test.fields.introducedIn === 'string')
    rows.push(['Introduced in', [{ text: test.fields.introducedIn }]]);
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: `${test.id} ${test.title}`, anchor: test.id },
    { kind: 'fields', rows },
  ];
  if (test.text.trim() !== '') blocks.push({ kind: 'record-text', recordId: test.id, markdown: test.text });
  if (
    graph.targets(test, 'verifies').length === 0 &&
    graph.targets(test, 'verifiesEffectiveness').length === 0
  )
    blocks.push({
      kind: 'not-recorded',
      what: `the requirement, risk control or item ${test.id} verifies`,
      clause: '5.1.1 c, 5.7.4',
    });
  blocks.push(
    ...labelledText(test, 'procedure', 'Procedure (inputs and actions)', {
      what: `the procedure of ${test.id}`,
      clause: procedureClause,
    }),
    ...labelledText(test, 'expectedResults', 'Expected results', {
      what: `the expected results of ${test.id}`,
      clause: criteriaClause,
    }),
    ...labelledText(test, 'acceptanceCriteria', 'Acceptance (pass/fail) criteria', {
      what: `the acceptance criteria of ${test.id}`,
      clause: criteriaClause,
    }),
  );
  return blocks;
}
