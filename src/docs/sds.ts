/**
 * The Software Design Specification (IEC 62304 5.4; FDA 2023 guidance element F, "Software Design
 * Specification", submitted at the Enhanced documentation level and kept in the design history file
 * at Basic): the software units of each item (5.4.1); for the units whose class 5.4.2 and 5.4.3
 * apply at (Annex A, Table A.1: class C), the detailed design of each unit and of its interfaces;
 * for the others, the unit with its description and what 5.4 asks at its class; and the detailed
 * design verification (5.4.4) by the reviews of type detailed-design.
 *
 * What a unit does not record is a not-recorded block with its clause (a class C unit without a
 * design: "Not recorded: the detailed design of SI-011 (5.4.2)"); an item of a class 5.4.1 applies
 * at without units is said too. The applicability comes from the data table
 * (data/iec62304-ed1.1-applicability.json) through the class scheme, not from this file. Pure over
 * the document context.
 */
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type CoverageOptions, reviewCoverage } from '../reviews/coverage.js';
import { outcomeOf, reviewDateOf, reviewTypeOf } from '../reviews/review.js';
import { classesOfClause, clauseAppliesAt } from '../safety/class-scheme.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import {
  aspectBlocks,
  aspectText,
  cappedRefs,
  classesInWords,
  classInline,
  classificationsById,
  itemTree,
} from './design.js';
import type { Block, DocumentModel, Inline } from './model.js';

export const SDS_KEY = 'SDS';
export const SDS_TITLE = 'Software Design Specification';

const DESIGN_CLAUSES = ['5.4.1', '5.4.2', '5.4.3', '5.4.4'] as const;

export function softwareDesignSpecification(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project, safety } = analysis;
  const config = project.config;
  const scheme = safety.scheme;
  const tree = itemTree(analysis);
  const classOf = classificationsById(safety);
  const clsOf = (item: DossierRecord) => classOf.get(item.id)?.computedClass ?? scheme.unclassified;
  const included = new Set<string>();
  const isUnit = (item: DossierRecord) => item.fields.itemType === 'unit';
  const units = tree.entries.filter((e) => isUnit(e.item)).map((e) => e.item);
  const level = safety.documentationLevel.level;
  const applies = (clause: string, item: DossierRecord) => clauseAppliesAt(scheme, clause, clsOf(item));

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This specification states the detailed design of ${config.device.name}, software version ${baseline} (IEC 62304 clause 5.4; FDA 2023 guidance element F, software design specification). It lists the ${units.length} software unit${units.length === 1 ? '' : 's'} of the software items (5.4.1); for each unit of a class that requires it, the detailed design of the unit (5.4.2) and of its interfaces (5.4.3); and the verification of the detailed design (5.4.4). The architecture, the items and their interfaces are in the Software Architecture Description (5.3).`,
        },
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text:
            level === 'Enhanced'
              ? 'The FDA documentation level of the device is Enhanced, so this specification is part of the premarket submission (element F). '
              : 'The FDA documentation level of the device is Basic, so this specification is kept in the design history file and not submitted (FDA may ask for it). ',
        },
        { text: safety.documentationLevel.rationale },
      ],
    },
    { kind: 'heading', level: 1, text: '2 What 5.4 requires at each class' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `From the class applicability of ${scheme.standard} (Annex A, Table A.1). A unit's class is its class in the software safety classification (4.3); a unit without a class of its own takes its item's.`,
        },
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: 'Clause', width: 1 },
        { title: 'Activity', width: 6 },
        { title: 'Applies at', width: 2 },
      ],
      rows: DESIGN_CLAUSES.map((clause) => {
        const row = classesOfClause(scheme, clause).rows[0];
        return [
          [{ text: clause }],
          [{ text: row?.title ?? 'not in the applicability table' }],
          [{ text: classesInWords(safety, clause) }],
        ];
      }),
    },
  ];

  // 3 The units, one table.
  const itemsWithoutUnits = tree.entries
    .map((e) => e.item)
    .filter((item) => !isUnit(item) && tree.children(item).length === 0);
  blocks.push(
    { kind: 'heading', level: 1, text: '3 Software units (5.4.1)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'Every active software unit, by the item it is part of. "Design" says whether the unit records its detailed design: in its design field, or under a "Design" heading in its text.',
        },
      ],
    },
  );
  if (units.length === 0) blocks.push({ kind: 'not-recorded', what: 'no software unit', clause: '5.4.1' });
  else
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Unit', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'Part of', width: 2 },
        { title: 'Class', width: 1 },
        { title: 'Design (5.4.2)', width: 3 },
      ],
      rows: units.map((unit) => {
        const parent = graph.parentOf(unit);
        const design = aspectText(unit, 'design', 'design');
        const cls = clsOf(unit);
        return [
          [{ ref: unit.id }],
          [{ text: unit.title }],
          parent ? [{ ref: parent.id }] : [{ strong: 'not recorded' }],
          [{ text: cls }],
          design
            ? [{ text: design.where === 'field' ? 'recorded' : 'in its text' }]
            : applies('5.4.2', unit)
              ? [{ strong: 'not recorded' }]
              : [{ text: `not required at class ${cls}` }],
        ];
      }),
    });
  for (const item of itemsWithoutUnits) {
    const cls = clsOf(item);
    if (clauseAppliesAt(scheme, '5.4.1', cls))
      blocks.push({
        kind: 'not-recorded',
        what: `the software units of ${item.id} ${item.title} (class ${cls}): no unit is part of it`,
        clause: '5.4.1',
      });
    else
      blocks.push({
        kind: 'paragraph',
        inlines: [
          { ref: item.id },
          {
            text: ` ${item.title} has no units; 5.4.1 applies at ${classesInWords(safety, '5.4.1')}, not at its class ${cls}.`,
          },
        ],
      });
  }

  // 4 The design, per item.
  blocks.push({ kind: 'heading', level: 1, text: '4 Detailed design of the units (5.4.2, 5.4.3)' });
  const groups = new Map<string, { parent: DossierRecord | undefined; units: DossierRecord[] }>();
  for (const unit of units) {
    const parent = graph.parentOf(unit);
    const key = parent?.id ?? '';
    const group = groups.get(key) ?? { parent, units: [] };
    group.units.push(unit);
    groups.set(key, group);
  }
  // Groups in the order of the items in the tree; units without a parent last.
  const order = new Map(tree.entries.map((e, i) => [e.item.id, i]));
  const sortedGroups = [...groups.values()].sort(
    (a, b) =>
      (a.parent ? (order.get(a.parent.id) ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER) -
      (b.parent ? (order.get(b.parent.id) ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER),
  );
  if (units.length === 0) blocks.push({ kind: 'not-recorded', what: 'no software unit', clause: '5.4.1' });
  sortedGroups.forEach((group, g) => {
    const number = `4.${g + 1}`;
    if (group.parent) {
      included.add(group.parent.id);
      blocks.push(
        {
          kind: 'heading',
          level: 2,
          text: `${number} ${group.parent.id} ${group.parent.title}`,
          anchor: group.parent.id,
        },
        {
          kind: 'paragraph',
          inlines: [
            { text: 'Units of ' },
            { ref: group.parent.id },
            { text: ` (${String(group.parent.fields.itemType ?? 'item')}, class ${clsOf(group.parent)}): ` },
            ...refs(group.units),
            { text: '.' },
          ],
        },
      );
    } else
      blocks.push(
        { kind: 'heading', level: 2, text: `${number} Units not part of an item` },
        {
          kind: 'not-recorded',
          what: `the item each of these units is part of (partOf): ${group.units.map((u) => u.id).join(', ')}`,
          clause: '5.4.1',
        },
      );
    for (const unit of [...group.units].sort(compareById)) blocks.push(...unitBlocks(unit));
  });

  function unitBlocks(unit: DossierRecord): Block[] {
    included.add(unit.id);
    const c = classOf.get(unit.id);
    const cls = clsOf(unit);
    const requirements = graph.targets(unit, 'implements').filter(isActive);
    const uses = graph.targets(unit, 'uses');
    for (const r of [...requirements, ...uses]) included.add(r.id);
    const rows: (readonly [string, readonly Inline[]])[] = [
      ['Part of', graph.parentOf(unit) ? [{ ref: graph.parentOf(unit)!.id }] : [{ strong: 'not recorded' }]],
      ['Software safety class (4.3)', classInline(c, scheme.unclassified)],
      [
        'Implements',
        requirements.length > 0
          ? refs(requirements)
          : [{ text: 'no software requirement allocated to the unit itself' }],
      ],
      ['Uses SOUP', uses.length > 0 ? refs(uses) : [{ text: 'none named (uses)' }]],
    ];
    if (typeof unit.fields.introducedIn === 'string')
      rows.push(['Introduced in', [{ text: unit.fields.introducedIn }]]);
    const out: Block[] = [
      { kind: 'heading', level: 3, text: `${unit.id} ${unit.title}`, anchor: unit.id },
      { kind: 'fields', rows },
      unit.text.trim() === ''
        ? { kind: 'not-recorded', what: `the description of ${unit.id}`, clause: '5.4.1' }
        : { kind: 'record-text', recordId: unit.id, markdown: unit.text },
    ];
    if (applies('5.4.2', unit) || applies('5.4.3', unit)) {
      out.push(
        ...aspectBlocks(unit, 'design', 'design', 'Detailed design', '5.4.2', ''),
        ...aspectBlocks(unit, 'interfaces', 'interfaces', 'Interface design', '5.4.3', ''),
      );
      return out;
    }
    out.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `Class ${cls}: ${clauseAppliesAt(scheme, '5.4.1', cls) ? 'the unit is identified here (5.4.1); ' : `5.4.1 applies at ${classesInWords(safety, '5.4.1')}, not at class ${cls}; `}its detailed design (5.4.2), the design of its interfaces (5.4.3) and their verification (5.4.4) apply at ${classesInWords(safety, '5.4.2')} and are not required at class ${cls}.`,
        },
      ],
    });
    // What it records anyway is shown, said to be beyond what its class asks.
    for (const [field, heading, label, clause] of [
      ['design', 'design', 'Detailed design', '5.4.2'],
      ['interfaces', 'interfaces', 'Interface design', '5.4.3'],
    ] as const) {
      const found = aspectText(unit, field, heading);
      if (found?.where === 'field')
        out.push(
          {
            kind: 'paragraph',
            inlines: [{ strong: `${label} (${clause}; recorded, not required at class ${cls})` }],
          },
          { kind: 'record-text', recordId: unit.id, markdown: found.text },
        );
    }
    return out;
  }

  // 5 Verification of the detailed design.
  const reviews = graph
    .ofKind('review')
    .filter((r) => isActive(r) && reviewTypeOf(r) === 'detailed-design')
    .sort(compareById);
  const verified = units.filter((u) => applies('5.4.4', u));
  const releaseDate =
    typeof context.release?.fields.date === 'string' ? context.release.fields.date : undefined;
  const coverageOptions: CoverageOptions = releaseDate
    ? { onOrBefore: releaseDate, dateName: `the release date ${releaseDate}` }
    : {};
  blocks.push(
    { kind: 'heading', level: 1, text: '5 Verification of the detailed design (5.4.4)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `The detailed design is verified to implement the software architecture and not to contradict it (5.4.4; at ${classesInWords(safety, '5.4.4')}). A unit counts as verified when a passed detailed design review names it and recorded its current content${releaseDate ? `, dated on or before the release date ${releaseDate}` : ''}.`,
        },
      ],
    },
  );
  if (reviews.length > 0) {
    for (const r of reviews) included.add(r.id);
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Review', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'Date', width: 2 },
        { title: 'Outcome', width: 2 },
        { title: 'Units reviewed', width: 4 },
      ],
      rows: reviews.map((r) => [
        [{ ref: r.id }],
        [{ text: r.title }],
        [{ text: reviewDateOf(r) ?? 'not recorded' }],
        [outcomeOf(r) === undefined ? { strong: 'not recorded' } : { text: outcomeOf(r)! }],
        cappedRefs(
          graph.targets(r, 'reviewed').map((t) => t.id),
          10,
        ),
      ]),
    });
  } else if (verified.length > 0)
    blocks.push({
      kind: 'not-recorded',
      what: 'a detailed design verification (a review of type detailed-design)',
      clause: '5.4.4',
    });
  if (verified.length === 0)
    blocks.push({
      kind: 'paragraph',
      inlines: [{ text: `No unit is of a class 5.4.4 applies at (${classesInWords(safety, '5.4.4')}).` }],
    });
  else
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Unit', width: 2 },
        { title: 'Class', width: 1 },
        { title: 'Verified by', width: 7 },
      ],
      rows: verified.map((unit) => {
        const coverage = reviewCoverage(graph, unit, 'detailed-design', coverageOptions);
        return [
          [{ ref: unit.id }],
          [{ text: clsOf(unit) }],
          coverage.covered
            ? [{ ref: coverage.by.id }]
            : [{ strong: 'not verified' }, { text: `: ${coverage.why}` }],
        ];
      }),
    });

  return documentOf(context, SDS_KEY, SDS_TITLE, blocks, included);
}
