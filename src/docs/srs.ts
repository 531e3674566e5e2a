/**
 * The Software Requirements Specification (IEC 62304 5.2; FDA 2023 guidance element D): every
 * active software requirement with its full text, its 5.2.2 category, where it comes from (the
 * system requirements it derives from, or its other source), whether it is a risk control measure
 * (5.2.3) and which tests verify it, grouped by category. What a requirement does not record is
 * said at the requirement, not left out. Pure over an analysis.
 */
import type { Analysis } from '../analyze.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { REQUIREMENT_CATEGORIES } from '../model/vocabulary.js';
import { subjectClasses } from '../safety/subject-class.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';

export function softwareRequirementsSpecification(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project, safety } = analysis;
  const config = project.config;
  const classOf = subjectClasses(graph, safety);
  const requirements = graph.ofKind('software-requirement').filter(isActive).sort(compareById);
  const withdrawn = graph.ofKind('software-requirement').filter((r) => !isActive(r)).length;
  const included = new Set<string>();
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This specification states the software requirements of ${config.device.name}, software version ${baseline} (IEC 62304 clause 5.2). It lists ${requirements.length} software requirement${requirements.length === 1 ? '' : 's'}, grouped by the content categories of 5.2.2, each with its full text, where it comes from, whether it implements a risk control measure (5.2.3) and the tests that verify it.${withdrawn > 0 ? ` ${withdrawn} obsolete requirement${withdrawn === 1 ? ' is' : 's are'} left out.` : ''}`,
        },
      ],
    },
    { kind: 'heading', level: 1, text: '2 Requirements' },
  ];
  if (requirements.length === 0)
    blocks.push({ kind: 'not-recorded', what: 'no software requirement', clause: '5.2.1' });
  let section = 0;
  const empty: string[] = [];
  for (const category of REQUIREMENT_CATEGORIES) {
    const inCategory = requirements.filter((r) => r.fields.category === category.key);
    if (inCategory.length === 0) {
      empty.push(`${category.label} (${category.clause})`);
      continue;
    }
    section++;
    blocks.push({ kind: 'heading', level: 2, text: `2.${section} ${category.label} (${category.clause})` });
    for (const requirement of inCategory)
      blocks.push(...requirementBlocks(analysis, requirement, classOf(requirement.id), included));
  }
  // A requirement whose category is missing or unknown is the schema's error, and still listed.
  const uncategorised = requirements.filter(
    (r) => !REQUIREMENT_CATEGORIES.some((c) => c.key === r.fields.category),
  );
  if (uncategorised.length > 0) {
    section++;
    blocks.push({ kind: 'heading', level: 2, text: `2.${section} Without a category` });
    blocks.push({
      kind: 'not-recorded',
      what: 'the 5.2.2 content category of these requirements',
      clause: '5.2.2',
    });
    for (const requirement of uncategorised)
      blocks.push(...requirementBlocks(analysis, requirement, classOf(requirement.id), included));
  }
  if (empty.length > 0) {
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `No requirement is recorded in these 5.2.2 categories (include them as appropriate): ${empty.join('; ')}.`,
        },
      ],
    });
  }
  blocks.push(
    { kind: 'heading', level: 1, text: '3 Traceability summary' },
    {
      kind: 'table',
      columns: [
        { title: 'Requirement', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'Derives from', width: 2 },
        { title: 'Risk control', width: 2 },
        { title: 'Verified by', width: 3 },
      ],
      rows: requirements.map((r) => [
        [{ ref: r.id }],
        [{ text: r.title }],
        refs(graph.targets(r, 'derivesFrom')),
        refs(graph.targets(r, 'implements')),
        refs(graph.testsVerifying(r).filter(isActive)),
      ]),
    },
  );
  return documentOf(context, 'SRS', 'Software Requirements Specification', blocks, included);
}

function requirementBlocks(
  analysis: Analysis,
  requirement: DossierRecord,
  safetyClass: string,
  included: Set<string>,
): Block[] {
  const { graph } = analysis;
  included.add(requirement.id);
  const parents = graph.targets(requirement, 'derivesFrom');
  const controls = graph.targets(requirement, 'implements');
  const tests = graph.testsVerifying(requirement).filter(isActive);
  for (const r of [...parents, ...controls, ...tests]) included.add(r.id);
  const source = typeof requirement.fields.source === 'string' ? requirement.fields.source : undefined;
  const riskControl = requirement.fields.riskControl === true || controls.length > 0;
  const rows: (readonly [string, readonly Inline[]])[] = [
    ['Status', [{ text: requirement.status }]],
    ['Software safety class', [{ text: safetyClass }]],
    [
      'Derives from',
      parents.length > 0
        ? refs(parents)
        : source !== undefined
          ? [{ text: source }]
          : [{ strong: 'not recorded' }],
    ],
    [
      'Risk control measure (5.2.3)',
      riskControl
        ? [{ text: 'yes' }, ...(controls.length > 0 ? [{ text: ': ' }, ...refs(controls)] : [])]
        : [{ text: 'no' }],
    ],
    ['Verified by', tests.length > 0 ? refs(tests) : [{ strong: 'no test recorded' }]],
  ];
  if (parents.length > 0 && source !== undefined) rows.splice(3, 0, ['Other source', [{ text: source }]]);
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: `${requirement.id} ${requirement.title}`, anchor: requirement.id },
    { kind: 'fields', rows },
  ];
  if (parents.length === 0 && source === undefined) {
    blocks.push({
      kind: 'not-recorded',
      what: `what ${requirement.id} derives from (a system requirement or another source)`,
      clause: '5.2.1, 5.2.6 f',
    });
  }
  blocks.push(
    requirement.text.trim() === ''
      ? { kind: 'not-recorded', what: `the text of ${requirement.id}`, clause: '5.2.1' }
      : { kind: 'record-text', recordId: requirement.id, markdown: requirement.text },
  );
  return blocks;
}
