/**
 * The SOUP list (IEC 62304 5.3.3, 5.3.4, 7.1.2 c, 7.1.3, 8.1.2; FDA "Off-the-shelf software use in
 * medical devices" and premarket cybersecurity guidance for support level and end of support):
 * every SOUP item of the baseline's software version with its title, manufacturer and version
 * (8.1.2 a–c), where it is used and the class it takes from those items (4.3, 5.3.1), the functional
 * and performance requirements it must meet for our use (5.3.3), the hardware and software it needs
 * (5.3.4), the evaluation of its published anomaly list (7.1.3), where the risk analysis names its
 * failure as a cause (7.1.2 c), its version changes (7.4.1, 6.1 f) and its level of support and end
 * of support. The SOUP are the SBOM's (src/soup/sbom/from-project.ts), so this list and the SBOM
 * files always describe the same components. What a record does not say is written as not recorded,
 * with its clause (the clauses and wording of src/rules/soup-content.ts). Pure over the context.
 */

import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { SOUP_CONTENT } from '../rules/soup-content.js';
import { causesOf } from '../safety/risk-evaluation.js';
import { cvssScoreText } from '../soup/cvss/ratings.js';
import { kevLabel } from '../soup/kev/catalog.js';
import { epssLabel } from '../soup/kev/epss.js';
import { fdaLevelOfSupport, supportLevelLabel } from '../soup/sbom/support.js';
import type { SbomComponent, VexStatement } from '../soup/sbom/types.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import { baselineDate, sbomOfBaseline, supportCell } from './soup-baseline.js';

const NOT_RECORDED: Inline[] = [{ strong: 'not recorded' }];
const DEPENDENCY: Record<SbomComponent['dependency'], string> = {
  direct: 'direct (the software names it)',
  transitive: 'transitive (another component pulls it in)',
  unknown: 'not recorded',
};
const VEX_LABEL: Record<VexStatement['status'], string> = {
  affected: 'affected',
  under_investigation: 'under investigation',
  fixed: 'fixed',
  not_affected: 'not affected',
};

export function soupList(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project, safety } = analysis;
  const sbom = sbomOfBaseline(context);
  const components = [...sbom.components].sort(compareById);
  const directUsers = new Map(safety.soup.map((s) => [s.soup.id, s.directlyUsedBy]));
  const causesNaming = soupCauses(analysis.graph.ofKind('software-item').filter(isActive));
  const included = new Set<string>();
  const referenceDate = baselineDate(context) ?? context.date;
  const count = (d: SbomComponent['dependency']) => components.filter((c) => c.dependency === d).length;
  const notInVersion = graph.ofKind('soup').filter((s) => !components.some((c) => c.id === s.id)).length;

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This list identifies the software of unknown provenance (SOUP) in the software of ${project.config.device.name}, version ${baseline}: for each item its title, manufacturer and version (IEC 62304 8.1.2), the software items that use it and the safety class it takes from them (4.3, 5.3.1), the functional and performance requirements it must meet for its use in the device (5.3.3), the system hardware and software it needs (5.3.4), the evaluation of its published anomaly list (7.1.3), where the risk analysis names its failure as a cause (7.1.2 c), and its level of support and end of support (FDA premarket cybersecurity guidance). The vulnerability assessment is in the SBOM and vulnerability assessment summary (SBOM).`,
        },
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `${components.length} SOUP item${components.length === 1 ? '' : 's'}: ${count('direct')} direct, ${count('transitive')} transitive, ${count('unknown')} whose dependency relation is not recorded.${notInVersion > 0 ? ` ${notInVersion} other SOUP record${notInVersion === 1 ? ' is' : 's are'} not part of this version (obsolete, removed from the build, or used only by items of a later version) and ${notInVersion === 1 ? 'is' : 'are'} left out.` : ''}`,
        },
      ],
    },
  ];
  if (components.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: `any SOUP item in software version ${baseline} (software that uses no SOUP should say so in its architecture)`,
      clause: '5.3.3, 8.1.2',
    });
    return documentOf(context, 'SOUP', 'SOUP List', blocks, included);
  }

  blocks.push(
    { kind: 'heading', level: 1, text: '2 Summary' },
    {
      kind: 'table',
      columns: [
        { title: 'SOUP', width: 2 },
        { title: 'Title', width: 4 },
        { title: 'Version', width: 2 },
        { title: 'Manufacturer (8.1.2 b)', width: 4 },
        { title: 'Class', width: 1 },
        { title: 'Support (FDA)', width: 3 },
      ],
      rows: components.map((c) => [
        [{ ref: c.id }],
        [{ text: c.name }],
        [{ text: c.version }],
        c.supplier ? [{ text: c.supplier }] : NOT_RECORDED,
        [{ text: c.safetyClass ?? 'not classified' }],
        supportCell(c, referenceDate),
      ]),
    },
    { kind: 'heading', level: 1, text: '3 SOUP items' },
  );
  const vexOf = new Map<string, VexStatement[]>();
  for (const s of sbom.vex) vexOf.set(s.componentId, [...(vexOf.get(s.componentId) ?? []), s]);
  components.forEach((c, i) => {
    const record = graph.get(c.id)!;
    included.add(c.id);
    blocks.push(
      ...componentBlocks(
        c,
        record,
        `3.${i + 1}`,
        directUsers.get(c.id) ?? [],
        causesNaming.get(c.id) ?? [],
        vexOf.get(c.id) ?? [],
        analysis.graph,
        included,
      ),
    );
  });
  return documentOf(context, 'SOUP', 'SOUP List', blocks, included);
}

/** SOUP id → the hazardous situations whose recorded causes name its failure (7.1.2 c), by id. */
function soupCauses(items: readonly DossierRecord[]): Map<string, string[]> {
  const bySoup = new Map<string, Set<string>>();
  for (const item of items)
    for (const cause of causesOf(item))
      if (cause.category === 'soup' && cause.soup)
        bySoup.set(cause.soup, (bySoup.get(cause.soup) ?? new Set()).add(cause.situation));
  return new Map([...bySoup].map(([soup, situations]) => [soup, [...situations].sort()]));
}

function componentBlocks(
  c: SbomComponent,
  record: DossierRecord,
  number: string,
  directlyUsedBy: readonly string[],
  situations: readonly string[],
  statements: readonly VexStatement[],
  graph: DocumentContext['analysis']['graph'],
  included: Set<string>,
): Block[] {
  const idsToRefs = (ids: readonly string[]): Inline[] => {
    const records = ids.flatMap((id) => graph.get(id) ?? []);
    for (const r of records) included.add(r.id);
    return refs(records);
  };
  const review = c.anomalyReview;
  const recordedReview = record.fields.anomalyReview as { date?: string } | undefined;
  const changes = (record.fields.versionChanges ?? []) as {
    from: string;
    to: string;
    date: string;
    changeRequest?: string;
  }[];
  const indirect = c.usedBy.filter((id) => !directlyUsedBy.includes(id));
  const rows: (readonly [string, readonly Inline[]])[] = [
    ['Manufacturer (8.1.2 b)', c.supplier ? [{ text: c.supplier }] : NOT_RECORDED],
    ['Version (8.1.2 c)', [{ text: c.version }]],
    ['Package URL', c.purl ? [{ code: c.purl }] : NOT_RECORDED],
    ['Licence', c.license ? [{ text: c.license }] : NOT_RECORDED],
    ['Dependency', c.dependency === 'unknown' ? NOT_RECORDED : [{ text: DEPENDENCY[c.dependency] }]],
    ['Depends on', c.dependsOn.length > 0 ? idsToRefs(c.dependsOn) : [{ text: 'no SOUP recorded' }]],
    [
      'Used by (5.3.1)',
      c.usedBy.length === 0
        ? [
            {
              strong:
                'no software item uses it, so its class is not known and it is treated as class C (4.3 g)',
            },
          ]
        : [
            ...(directlyUsedBy.length > 0 ? idsToRefs(directlyUsedBy) : []),
            ...(directlyUsedBy.length > 0 && indirect.length > 0 ? [{ text: '; ' }] : []),
            ...(indirect.length > 0
              ? [{ text: 'through the SOUP that depends on it: ' }, ...idsToRefs(indirect)]
              : []),
          ],
    ],
    ['Software safety class (4.3)', [{ text: c.safetyClass ?? 'not classified' }]],
    [
      'Named as a cause in the risk analysis (7.1.2 c)',
      situations.length > 0 ? idsToRefs(situations) : [{ text: 'no recorded cause names its failure' }],
    ],
    [
      'Level of support (FDA)',
      fdaLevelOfSupport(c) ? [{ text: fdaLevelOfSupport(c)! }] : [{ strong: supportLevelLabel(c) }],
    ],
    ['End of support (FDA)', c.endOfSupport ? [{ text: c.endOfSupport }] : NOT_RECORDED],
    ...(c.supportJustification
      ? [['Support justification', [{ text: c.supportJustification }]] as const]
      : []),
    [
      'Anomaly list review (7.1.3)',
      review
        ? [
            {
              text: `${review.date}${review.reviewer ? `, ${review.reviewer}` : ''}; ${review.coversVulnerabilities ? 'vulnerabilities included' : 'does not say it covered vulnerabilities'}${review.sources?.length ? `; sources: ${review.sources.join('; ')}` : ''}`,
            },
          ]
        : NOT_RECORDED,
    ],
    [
      'Version changes (7.4.1, 6.1 f)',
      changes.length > 0
        ? changes.flatMap((ch, i) => [
            ...(i > 0 ? [{ text: '; ' }] : []),
            { text: `${ch.from} to ${ch.to} on ${ch.date}` },
            ...(ch.changeRequest ? [{ text: ' (' }, ...idsToRefs([ch.changeRequest]), { text: ')' }] : []),
          ])
        : [{ text: 'none recorded' }],
    ],
    [
      'Vulnerability evaluations',
      statements.length > 0
        ? statements.flatMap((s, i) => [
            ...(i > 0 ? [{ text: '; ' }] : []),
            ...idsToRefs([s.id]),
            {
              text: ` ${s.vulnerability}: ${VEX_LABEL[s.status]} (${[
                ...(s.cvss ?? []).map(cvssScoreText),
                `CISA KEV ${kevLabel(s.kev)}`,
                epssLabel(s.epss),
              ].join('; ')})`,
            },
          ])
        : [{ text: 'none recorded (see the SBOM and vulnerability assessment summary)' }],
    ],
  ];
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: `${number} ${c.id} ${c.name}`, anchor: c.id },
    { kind: 'fields', rows },
  ];
  for (const required of SOUP_CONTENT) {
    if (['requirements', 'systemRequirements', 'anomalyReview'].includes(required.field)) continue;
    if (record.fields[required.field] === undefined)
      blocks.push({ kind: 'not-recorded', what: `the ${required.what} of ${c.id}`, clause: required.clause });
  }
  const recordText = (label: string, text: string | undefined, missing: Block): Block[] => [
    { kind: 'paragraph', inlines: [{ strong: label }] },
    text?.trim() ? { kind: 'record-text', recordId: c.id, markdown: text } : missing,
  ];
  blocks.push(
    ...recordText('Description', c.description, {
      kind: 'paragraph',
      inlines: [
        { strong: 'not recorded' },
        {
          text: ': the record has no text; its use in the device shows in the items that use it and in its requirements below.',
        },
      ],
    }),
    ...recordText(
      'Functional and performance requirements for its use in the device (5.3.3)',
      c.requirements,
      {
        kind: 'not-recorded',
        what: `the functional and performance requirements ${c.id} must meet for its use in the device`,
        clause: '5.3.3',
      },
    ),
    ...recordText('System hardware and software required (5.3.4)', c.systemRequirements, {
      kind: 'not-recorded',
      what: `the system hardware and software ${c.id} needs to work properly`,
      clause: '5.3.4',
    }),
    ...recordText('Evaluation of the published anomaly list (7.1.3)', review?.conclusion, {
      kind: 'not-recorded',
      what:
        recordedReview && !review
          ? `a review of the published anomaly list of ${c.id} ${c.version}: the recorded review (${recordedReview.date ?? 'undated'}) is of a later version`
          : `a review of the published anomaly list of ${c.id} ${c.version}`,
      clause: '7.1.3',
    }),
  );
  return blocks;
}
