/**
 * The Software Architecture Description (IEC 62304 5.3; FDA 2023 guidance element E, "System and
 * Software Architecture Diagram"): the software system and its items in their containment
 * hierarchy (5.3.1), each with its description and its software safety class with the reason from
 * the safety classification (4.3); the interfaces between items and to external hardware and
 * software (5.3.2); the SOUP items with their functional and performance requirements (5.3.3) and
 * the hardware and software they need (5.3.4); the segregation between items with its rationale and
 * mechanism (5.3.5, 4.3 d); the architecture verification reviews (5.3.6); and an architecture
 * diagram drawn from the same records (src/docs/architecture-diagram.ts).
 *
 * What an item or a SOUP record does not say is a not-recorded block with its clause, also where
 * the clause does not apply at the record's class (the block then says so). Units are named in the
 * hierarchy and the diagram; their detailed design is the Software Design Specification's (5.4).
 * Pure over the document context.
 */
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type CoverageOptions, reviewCoverage } from '../reviews/coverage.js';
import { outcomeOf, reviewDateOf, reviewTypeOf } from '../reviews/review.js';
import { clauseAppliesAt } from '../safety/class-scheme.js';
import { projectClass } from '../safety/subject-class.js';
import { architectureSvg, type DiagramNode } from './architecture-diagram.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import {
  aspectBlocks,
  aspectText,
  cappedRefs,
  classesInWords,
  classInline,
  classificationsById,
  idsNamed,
  itemTree,
  notRequiredAt,
} from './design.js';
import type { Block, DocumentModel, Inline } from './model.js';

export const SAD_KEY = 'SAD';
export const SAD_TITLE = 'Software Architecture Description';

export function softwareArchitectureDescription(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project, safety } = analysis;
  const config = project.config;
  const tree = itemTree(analysis);
  const classOf = classificationsById(safety);
  const unclassified = safety.scheme.unclassified;
  const clsOf = (item: DossierRecord) => classOf.get(item.id)?.computedClass ?? unclassified;
  const included = new Set<string>();
  const entries = tree.entries;
  const items = entries.filter((e) => e.item.fields.itemType !== 'unit');
  const units = entries.filter((e) => e.item.fields.itemType === 'unit');
  const soup = [...safety.soup].sort((a, b) => compareById(a.soup, b.soup));
  const notInUse = graph.ofKind('soup').length - soup.length;
  const withdrawn = graph.ofKind('software-item').filter((r) => !isActive(r)).length;
  const itemIds = new Set(entries.map((e) => e.item.id));
  const interfacesOf = (item: DossierRecord) => aspectText(item, 'interfaces', 'interfaces')?.text ?? '';
  const named = new Map(
    entries.map((e) => [e.item.id, idsNamed(interfacesOf(e.item), itemIds).filter((id) => id !== e.item.id)]),
  );

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This description states the software architecture of ${config.device.name}, software version ${baseline} (IEC 62304 clause 5.3; FDA 2023 guidance element E, system and software architecture diagram). It identifies the software system and its ${entries.length === 0 ? 'no' : items.length - (tree.system ? 1 : 0)} software item${items.length - (tree.system ? 1 : 0) === 1 ? '' : 's'} and ${units.length} software unit${units.length === 1 ? '' : 's'} in their hierarchy (5.3.1), each with its software safety class and the reason for it (4.3); the interfaces between the items and to external hardware and software (5.3.2); the ${soup.length} SOUP item${soup.length === 1 ? '' : 's'} in use with their functional and performance requirements and the hardware and software they need (5.3.3, 5.3.4); the segregation between items (5.3.5, 4.3 d); and the architecture verification (5.3.6). The detailed design of the units is in the Software Design Specification (5.4).${withdrawn > 0 ? ` ${withdrawn} obsolete software item record${withdrawn === 1 ? ' is' : 's are'} left out.` : ''}${notInUse > 0 ? ` ${notInUse} SOUP record${notInUse === 1 ? ' is' : 's are'} obsolete or no longer in the build and left out.` : ''}`,
        },
      ],
    },
  ];
  if (!tree.system)
    blocks.push({
      kind: 'not-recorded',
      what: `the software system: software.system in dossier.yaml (${config.software.system}) names no active software item record`,
      clause: '5.3.1, 4.3',
    });

  // 2 The diagram.
  const nodeOf = (item: DossierRecord): DiagramNode => ({
    id: item.id,
    title: item.title,
    type: String(item.fields.itemType ?? 'item'),
    cls: clsOf(item),
    ...(tree.system && item !== tree.system && entries.find((e) => e.item === item)?.depth === 0
      ? { note: `not part of the software system ${tree.system.id}` }
      : {}),
    children: tree.children(item).map(nodeOf),
  });
  blocks.push(
    { kind: 'heading', level: 1, text: '2 Architecture diagram' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'The diagram is drawn from the records: each software item is a box inside the item it is part of (partOf), with its software safety class; an arrow points from an item whose recorded interfaces name another item to that item (the interfaces of units are drawn at the item directly below the system that contains them); the SOUP items are below, with the items they are used in (uses). What each interface carries, and the interfaces to hardware and external software, are in the interface descriptions in section 3.',
        },
      ],
    },
  );
  if (entries.length === 0) blocks.push({ kind: 'not-recorded', what: 'no software item', clause: '5.3.1' });
  else
    blocks.push({
      kind: 'diagram',
      name: 'architecture',
      caption: `Software architecture of ${config.device.name}, software version ${baseline}`,
      svg: architectureSvg({
        title: `Software architecture: ${config.device.name} ${baseline}`,
        roots: tree.roots.map(nodeOf),
        interfaces: entries.flatMap((e) => named.get(e.item.id)!.map((to) => ({ from: e.item.id, to }))),
        soup: soup.map((s) => ({
          id: s.soup.id,
          title: s.soup.title,
          version: String(s.soup.fields.version ?? ''),
          cls: s.cls,
          usedBy: s.usedBy,
        })),
        classes: safety.scheme.classes.map((c) => c.key),
      }),
    });

  // 3 The items.
  blocks.push(
    { kind: 'heading', level: 1, text: '3 Software items (5.3.1, 4.3)' },
    { kind: 'heading', level: 2, text: '3.1 Hierarchy' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `Every active software item, depth first from the software system (a part follows the item it is part of). The class is the one the software safety classification computes (4.3): ${safety.scheme.classes.map((c) => `class ${c.key}: ${c.meaning}`).join('; ')}.`,
        },
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: 'Item', width: 2 },
        { title: 'Level', width: 1 },
        { title: 'Type', width: 1 },
        { title: 'Part of', width: 2 },
        { title: 'Class', width: 1 },
        { title: 'Title', width: 5 },
      ],
      rows: entries.map((e) => {
        const parent = graph.parentOf(e.item);
        return [
          [{ ref: e.item.id }],
          [{ text: String(e.depth) }],
          [{ text: String(e.item.fields.itemType ?? '') }],
          parent
            ? [{ ref: parent.id }]
            : [{ text: e.item === tree.system ? '(software system)' : 'not placed' }],
          [{ text: clsOf(e.item) }],
          [{ text: e.item.title }],
        ];
      }),
    },
  );
  let section = 1;
  for (const { item } of items) {
    section++;
    blocks.push(...itemBlocks(item, `3.${section}`));
  }

  function itemBlocks(item: DossierRecord, number: string): Block[] {
    included.add(item.id);
    const c = classOf.get(item.id);
    const parent = graph.parentOf(item);
    const parts = tree.children(item);
    const requirements = graph.targets(item, 'implements').filter(isActive);
    const uses = graph.targets(item, 'uses');
    // The hazardous situations it and its parts can contribute to (the first question of the flow, 4.3 a).
    const situations = (c?.path.find((step) => step.step === 'Q1')?.situations ?? [])
      .map((id) => graph.get(id))
      .filter((r): r is DossierRecord => r !== undefined);
    for (const r of [...parts, ...requirements, ...uses, ...situations]) included.add(r.id);
    const cls = clsOf(item);
    const rows: (readonly [string, readonly Inline[]])[] = [
      ['Type', [{ text: String(item.fields.itemType ?? 'not recorded') }]],
      [
        'Part of',
        parent
          ? [{ ref: parent.id }]
          : [
              {
                text:
                  item === tree.system
                    ? 'nothing: it is the software system'
                    : 'not placed in the software system (no partOf)',
              },
            ],
      ],
      ['Parts', parts.length > 0 ? refs(parts) : [{ text: 'none: no item names it in partOf' }]],
      ['Software safety class (4.3)', classInline(c, unclassified)],
      [
        'Segregation (4.3 d)',
        c?.segregated
          ? [{ text: 'segregated from its parent; see section 6' }]
          : parent
            ? [{ text: `not segregated: it takes at least the class of ${parent.id} (${clsOf(parent)})` }]
            : [{ text: 'not applicable: it has no parent' }],
      ],
      [
        'Implements',
        requirements.length > 0 ? refs(requirements) : [{ strong: 'no software requirement allocated' }],
      ],
      ['Uses SOUP', uses.length > 0 ? refs(uses) : [{ text: 'none named (uses)' }]],
    ];
    if (typeof item.fields.introducedIn === 'string')
      rows.push(['Introduced in', [{ text: item.fields.introducedIn }]]);
    const out: Block[] = [
      { kind: 'heading', level: 2, text: `${number} ${item.id} ${item.title}`, anchor: item.id },
      { kind: 'fields', rows },
      {
        kind: 'paragraph',
        inlines: c
          ? [
              { strong: `Why class ${cls}:` },
              { text: ` ${c.reasons.join(' ')}` },
              ...(situations.length > 0
                ? [
                    { text: ' Hazardous situations it or its parts can contribute to: ' },
                    ...refs(situations),
                    { text: '.' },
                  ]
                : []),
            ]
          : [{ strong: `Not classified: class ${unclassified} until classified (4.3 g).` }],
      },
      item.text.trim() === ''
        ? { kind: 'not-recorded', what: `the description of ${item.id}`, clause: '5.3.1' }
        : { kind: 'record-text', recordId: item.id, markdown: item.text },
      ...aspectBlocks(
        item,
        'interfaces',
        'interfaces',
        'Interfaces',
        '5.3.2',
        notRequiredAt(safety, '5.3.2', cls),
      ),
    ];
    return out;
  }

  // 4 Interfaces, as a table of what each item's interfaces name.
  const namedBy = new Map<string, string[]>();
  for (const [from, tos] of named) for (const to of tos) namedBy.set(to, [...(namedBy.get(to) ?? []), from]);
  blocks.push(
    { kind: 'heading', level: 1, text: '4 Interfaces between items (5.3.2)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'The interfaces of each item, to other items and to hardware and external software, are described in its section in 3 as its engineers wrote them (the interfaces of units in the Software Design Specification, 5.4.3). This table lists, for every item and unit, the other items its interface description names, the items whose interface descriptions name it, and the SOUP it uses: the connections drawn in the diagram. A description that names no item by its id is not counted here.',
        },
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: 'Item', width: 2 },
        { title: 'Its interfaces name', width: 4 },
        { title: 'Named by the interfaces of', width: 4 },
        { title: 'Uses SOUP', width: 4 },
      ],
      rows: entries.map((e) => [
        [{ ref: e.item.id }],
        aspectText(e.item, 'interfaces', 'interfaces')
          ? cappedRefs(named.get(e.item.id)!)
          : [{ strong: 'not recorded' }],
        cappedRefs([...(namedBy.get(e.item.id) ?? [])].sort()),
        cappedRefs(graph.targets(e.item, 'uses').map((s) => s.id)),
      ]),
    },
  );

  // 5 SOUP.
  blocks.push(
    { kind: 'heading', level: 1, text: '5 SOUP items (5.3.3, 5.3.4)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `Every SOUP item in use, with the class of the items it is used in (a SOUP item has no class of its own: it takes the highest class of the items that use it, directly or through the SOUP that depends on it; 4.3). 5.3.3 and 5.3.4 apply at ${classesInWords(safety, '5.3.3')}.`,
        },
      ],
    },
  );
  if (soup.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: 'no SOUP item in use (or that the software uses none)',
      clause: '5.3.3',
    });
  else
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'SOUP', width: 2 },
        { title: 'Title', width: 4 },
        { title: 'Version', width: 2 },
        { title: 'Class', width: 1 },
        { title: 'Used by', width: 4 },
      ],
      rows: soup.map((s) => [
        [{ ref: s.soup.id }],
        [{ text: s.soup.title }],
        [{ text: String(s.soup.fields.version ?? '') }],
        [{ text: s.cls }],
        s.directlyUsedBy.length > 0
          ? cappedRefs(s.directlyUsedBy)
          : s.usedBy.length > 0
            ? [{ text: `through other SOUP, in ${s.usedBy.join(', ')}` }]
            : [{ strong: 'no item' }],
      ]),
    });
  soup.forEach((s, i) => {
    const record = s.soup;
    included.add(record.id);
    const dependsOn = graph.targets(record, 'dependsOn');
    const direct = s.directlyUsedBy.map((id) => graph.get(id)!).filter(Boolean);
    for (const r of [...dependsOn, ...direct]) included.add(r.id);
    const through = s.usedBy.filter((id) => !s.directlyUsedBy.includes(id));
    const rows: (readonly [string, readonly Inline[]])[] = [
      ['Version (8.1.2 c)', [{ text: String(record.fields.version ?? '') }]],
      [
        'Manufacturer (8.1.2 b)',
        typeof record.fields.manufacturer === 'string'
          ? [{ text: record.fields.manufacturer }]
          : [{ strong: 'not recorded' }],
      ],
      ['Class', [{ text: s.cls }]],
      ['Used by', direct.length > 0 ? refs(direct) : [{ text: 'no item names it in uses' }]],
    ];
    if (through.length > 0) rows.push(['Also in, through other SOUP', cappedRefs(through)]);
    if (dependsOn.length > 0) rows.push(['Depends on', refs(dependsOn)]);
    if (s.usedBy.length === 0)
      rows.push(['Note', [{ text: `used by no item, so treated as class ${unclassified} (4.3 g)` }]]);
    blocks.push(
      { kind: 'heading', level: 2, text: `5.${i + 1} ${record.id} ${record.title}`, anchor: record.id },
      { kind: 'fields', rows },
      ...soupAspect(record, 'requirements', 'Functional and performance requirements', '5.3.3', s.cls),
      ...soupAspect(record, 'systemRequirements', 'System hardware and software it needs', '5.3.4', s.cls),
    );
    if (record.text.trim() !== '')
      blocks.push(
        { kind: 'paragraph', inlines: [{ strong: 'Notes' }] },
        { kind: 'record-text', recordId: record.id, markdown: record.text },
      );
  });

  function soupAspect(
    record: DossierRecord,
    field: string,
    label: string,
    clause: string,
    cls: string,
  ): Block[] {
    const value = record.fields[field];
    return [
      { kind: 'paragraph', inlines: [{ strong: `${label} (${clause})` }] },
      typeof value === 'string' && value.trim() !== ''
        ? { kind: 'record-text', recordId: record.id, markdown: value }
        : {
            kind: 'not-recorded',
            what: `${label.toLowerCase()} of ${record.id}${notRequiredAt(safety, clause, cls)}`,
            clause,
          },
    ];
  }

  // 6 Segregation.
  const segregated = items.filter((e) => e.item.fields.segregation !== undefined);
  const topClass = projectClass(safety);
  blocks.push(
    { kind: 'heading', level: 1, text: '6 Segregation (5.3.5, 4.3 d)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `An item may have a lower class than the item it is part of only with a rationale that says how it is segregated, so that it can be classified on its own (4.3 d); at ${classesInWords(safety, '5.3.5')} the architecture identifies the segregation essential to risk control and how it is made effective (5.3.5). The items below record a segregation; every other item takes at least the class of its parent.`,
        },
      ],
    },
  );
  if (segregated.length === 0) {
    if (clauseAppliesAt(safety.scheme, '5.3.5', topClass))
      blocks.push({
        kind: 'not-recorded',
        what: 'any segregation between software items, or that the risk control relies on none',
        clause: '5.3.5',
      });
    else
      blocks.push({
        kind: 'paragraph',
        inlines: [
          {
            text: `No item records a segregation; 5.3.5 applies at ${classesInWords(safety, '5.3.5')} only, and the highest class here is ${topClass}.`,
          },
        ],
      });
  }
  segregated.forEach(({ item }, i) => {
    const c = classOf.get(item.id);
    const parent = graph.parentOf(item);
    const segregation = item.fields.segregation as { rationale?: string; mechanism?: string };
    if (parent) included.add(parent.id);
    const parentClass = parent ? clsOf(parent) : undefined;
    blocks.push(
      { kind: 'heading', level: 2, text: `6.${i + 1} ${item.id} ${item.title}` },
      {
        kind: 'fields',
        rows: [
          ['Item', [{ ref: item.id }, { text: `, class ${clsOf(item)}` }]],
          [
            'Parent',
            parent
              ? [{ ref: parent.id }, { text: `, class ${parentClass}` }]
              : [{ text: 'none: it has no parent to be segregated from' }],
          ],
          [
            'Classified on its own',
            [
              {
                text: c?.segregated
                  ? 'yes (4.3 d)'
                  : 'no: it has no parent, so the rationale does not change its class',
              },
            ],
          ],
        ],
      },
      { kind: 'paragraph', inlines: [{ strong: 'Rationale (4.3 d)' }] },
      typeof segregation.rationale === 'string' && segregation.rationale.trim() !== ''
        ? { kind: 'record-text', recordId: item.id, markdown: segregation.rationale }
        : { kind: 'not-recorded', what: `why ${item.id} can be classified on its own`, clause: '4.3 d' },
      { kind: 'paragraph', inlines: [{ strong: 'Mechanism and how it is made effective (5.3.5)' }] },
      typeof segregation.mechanism === 'string' && segregation.mechanism.trim() !== ''
        ? { kind: 'record-text', recordId: item.id, markdown: segregation.mechanism }
        : {
            kind: 'not-recorded',
            what: `the segregation mechanism of ${item.id} and how it is made effective${parentClass !== undefined ? notRequiredAt(safety, '5.3.5', parentClass).replace('at class', 'under a parent of class') : ''}`,
            clause: '5.3.5',
          },
    );
  });

  // 7 Architecture verification.
  const reviews = graph
    .ofKind('review')
    .filter((r) => isActive(r) && reviewTypeOf(r) === 'architecture')
    .sort(compareById);
  const releaseDate =
    typeof context.release?.fields.date === 'string' ? context.release.fields.date : undefined;
  const coverageOptions: CoverageOptions = releaseDate
    ? { onOrBefore: releaseDate, dateName: `the release date ${releaseDate}` }
    : {};
  blocks.push(
    { kind: 'heading', level: 1, text: '7 Architecture verification (5.3.6)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `The architecture is verified to implement the system and software requirements including risk control, to support the interfaces between items and to external components, and to support the proper operation of the SOUP (5.3.6 a–c; at ${classesInWords(safety, '5.3.6')}). An item counts as verified when a passed architecture review names it and recorded its current content${releaseDate ? `, dated on or before the release date ${releaseDate}` : ''}.`,
        },
      ],
    },
  );
  if (reviews.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: 'an architecture verification (a review of type architecture)',
      clause: '5.3.6',
    });
  else {
    for (const r of reviews) included.add(r.id);
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Review', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'Date', width: 2 },
        { title: 'Outcome', width: 2 },
        { title: 'Items reviewed', width: 4 },
      ],
      rows: reviews.map((r) => [
        [{ ref: r.id }],
        [{ text: r.title }],
        [{ text: reviewDateOf(r) ?? 'not recorded' }],
        [outcomeOf(r) === undefined ? { strong: 'not recorded' } : { text: outcomeOf(r)! }],
        cappedRefs(graph.targets(r, 'reviewed').map((t) => t.id)),
      ]),
    });
  }
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Item', width: 2 },
      { title: 'Class', width: 1 },
      { title: 'Verified by', width: 7 },
    ],
    rows: items.map(({ item }) => {
      const coverage = reviewCoverage(graph, item, 'architecture', coverageOptions);
      const applies = clauseAppliesAt(safety.scheme, '5.3.6', clsOf(item));
      return [
        [{ ref: item.id }],
        [{ text: clsOf(item) }],
        coverage.covered
          ? [{ ref: coverage.by.id }]
          : [
              { strong: 'not verified' },
              { text: `: ${coverage.why}${applies ? '' : ` (not required at class ${clsOf(item)})`}` },
            ],
      ];
    }),
  });

  return documentOf(context, SAD_KEY, SAD_TITLE, blocks, included);
}
