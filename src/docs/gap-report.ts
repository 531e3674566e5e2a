/**
 * The gap report (GAP): the gap scan of the project (src/gap/scan.ts, the same result as
 * `dossier gap-scan` and the build's gap-scan stage, computed once per build by the document
 * context) as a document: the counts by process, the clause-by-process heat map, the gaps in the
 * order they block a submission with what is missing and what to do, every IEC 62304 Ed. 1.1 clause
 * from 4.1 to 9.8 with its status and evidence, and the obligations beyond IEC 62304 (FDA 2023
 * software documentation elements at the computed level, premarket cybersecurity / FD&C 524B,
 * QMSR / ISO 13485 7.3 design controls). A status says whether evidence was found, never that a
 * clause is met: people judge the adequacy of what was found.
 *
 * The scan reads every record of the project, so the document includes every record: its revision
 * changes when any record's content changes.
 */

import { PROCESS_GROUPS } from '../gap/catalog.js';
import { heatMapSvg } from '../gap/heat-map.js';
import { evidenceText } from '../gap/render-markdown.js';
import {
  type ClauseResult,
  failingClauses,
  type Judged,
  type ObligationResult,
  orderedGaps,
} from '../gap/scan.js';
import { countsOf, PERCENT_NOTE, processCounts, STATUS_LABEL } from '../gap/summary.js';
import type { Evidence } from '../gap/types.js';
import { IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { type DocumentContext, documentOf } from './context.js';
import type { Block, Column, DocumentModel, Inline } from './model.js';

/** Entries shown in a table cell; the gap scan's JSON report has them all. */
const SHOWN = 3;
/** Longest text in a table cell before it is cut with "…". */
const EXCERPT = 160;

export function gapReport(context: DocumentContext): DocumentModel {
  const scan = context.gapScan();
  const { analysis } = context;
  const counts = countsOf(scan.clauses);
  const failing = failingClauses(scan);
  const gaps = orderedGaps(scan);
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: scan.csa
            ? `This report states where the validation of the production or quality system software used for ${scan.device} stands against the validation record of the FDA Computer Software Assurance guidance (profile production-software). Scanned as of ${scan.date}. ${scan.version ? `Version judged: ${scan.version.version}.` : ''}`
            : `This report states where ${scan.device} stands against ${IEC_62304_ED1_1.standard}, clause by clause from 4.1 to 9.8, at the software safety classes of the project (${scan.classes.join(', ')}; whole-software obligations judged at class ${scan.highestClass}), and against the FDA 2023 software documentation elements, premarket cybersecurity (FD&C 524B) and the QMSR / ISO 13485 7.3 design controls. Scanned as of ${scan.date}. ${scan.version ? `Version judged: ${scan.version.version}, ${scan.version.because}.` : 'Version judged: none (no software.version in dossier.yaml and no release record).'}`,
        },
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'A status says whether evidence was found in the records (evidence found, partial, no evidence, not applicable), not whether a clause is met: people judge the adequacy of what was found, and clauses marked for human assessment always need that judgement.',
        },
      ],
    },
    ...(scan.csa
      ? ([
          {
            kind: 'heading',
            level: 1,
            text: 'Validation of production software (FDA CSA; ISO 13485 4.1.6, 7.5.6)',
          },
          {
            kind: 'paragraph',
            inlines: [
              {
                text: 'The project is production or quality system software (profile production-software): it is judged against the validation record of the FDA Computer Software Assurance guidance below. The IEC 62304 clauses and the device obligations in the rest of this report do not apply to it; each says so.',
              },
            ],
          },
          obligationTable(scan.csa.items),
        ] satisfies Block[])
      : []),
    { kind: 'heading', level: 1, text: '2 Summary' },
    {
      kind: 'table',
      columns: [
        { title: 'Process', width: 5 },
        { title: 'Applicable', width: 2 },
        { title: 'Evidence found', width: 2 },
        { title: 'Partial', width: 2 },
        { title: 'No evidence', width: 2 },
        { title: 'Not applicable', width: 2 },
      ],
      rows: [
        ...processCounts(scan).map((p) => [
          [{ text: p.title }],
          [{ text: String(p.applicable) }],
          [{ text: String(p.evidenceFound) }],
          [{ text: String(p.partial) }],
          [{ text: String(p.noEvidence) }],
          [{ text: String(p.notApplicable) }],
        ]),
        [
          [{ strong: 'All clauses' }],
          [{ strong: String(counts.applicable) }],
          [{ strong: String(counts.evidenceFound) }],
          [{ strong: String(counts.partial) }],
          [{ strong: String(counts.noEvidence) }],
          [{ strong: String(counts.notApplicable) }],
        ],
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `Evidence was found for ${counts.evidenceFoundPercent} % of the applicable clauses. ${PERCENT_NOTE} ${failing.length > 0 ? `${failing.length} applicable clause${failing.length === 1 ? ' is' : 's are'} without evidence and not accepted: ${failing.map((c) => c.clause).join(', ')}.` : 'No applicable clause is without evidence, or each such gap is accepted.'}`,
        },
      ],
    },
    { kind: 'heading', level: 1, text: '3 Heat map' },
    {
      kind: 'diagram',
      name: 'heat-map',
      svg: heatMapSvg(scan),
      caption:
        'IEC 62304 clauses by process, coloured by status: green evidence found, amber partial, red no evidence, grey not applicable; a dashed blue frame marks an accepted gap',
    },
    { kind: 'heading', level: 1, text: '4 Gaps, what blocks a submission first' },
  ];
  if (gaps.length === 0)
    blocks.push({
      kind: 'paragraph',
      inlines: [{ text: 'No gaps: every applicable clause has evidence.' }],
    });
  else
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `${gaps.length} applicable clause${gaps.length === 1 ? ' has' : 's have'} no or partial evidence, ordered as they block a submission: not accepted before accepted, no evidence before partial, then by process.`,
        },
      ],
    });
  gaps.forEach((c, i) => {
    blocks.push(...gapBlocks(c, `4.${i + 1}`));
  });

  blocks.push({ kind: 'heading', level: 1, text: '5 Every clause' });
  PROCESS_GROUPS.forEach((g, i) => {
    blocks.push(
      { kind: 'heading', level: 2, text: `5.${i + 1} ${g.title}` },
      {
        kind: 'table',
        columns: CLAUSE_COLUMNS,
        rows: scan.clauses.filter((c) => c.process === g.key).map(clauseRow),
      },
    );
  });

  blocks.push(
    { kind: 'heading', level: 1, text: '6 Obligations beyond IEC 62304' },
    {
      kind: 'heading',
      level: 2,
      text: `6.1 FDA premarket software documentation (2023 guidance, ${scan.fda.documentationLevel} level)`,
    },
    { kind: 'paragraph', inlines: [{ text: scan.fda.rationale }] },
    obligationTable(scan.fda.elements),
    {
      kind: 'heading',
      level: 2,
      text: '6.2 Cybersecurity (FD&C 524B, FDA premarket cybersecurity guidance)',
    },
    { kind: 'paragraph', inlines: [{ text: `Cyber device: ${scan.cybersecurity.because}.` }] },
    obligationTable(scan.cybersecurity.items),
    { kind: 'heading', level: 2, text: '6.3 Design controls (QMSR, ISO 13485 7.3)' },
    obligationTable(scan.designControls.items),
  );
  if (scan.allowed.length > 0)
    blocks.push(
      { kind: 'heading', level: 1, text: '7 Accepted gaps' },
      {
        kind: 'paragraph',
        inlines: [{ text: 'Gaps accepted with --allow CLAUSE=reason: they no longer fail the scan.' }],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Clause', width: 1 },
          { title: 'Reason', width: 6 },
        ],
        rows: scan.allowed.map((a) => [[{ text: a.clause }], [{ text: a.reason }]]),
      },
    );
  return documentOf(context, 'GAP', 'Gap Report', blocks, analysis.graph.byId.keys());
}

const CLAUSE_COLUMNS: readonly Column[] = [
  { title: 'Clause', width: 2 },
  { title: 'Title', width: 5 },
  { title: 'Status', width: 3 },
  { title: 'Evidence', width: 4 },
  { title: 'Missing', width: 5 },
];

function gapBlocks(c: ClauseResult, number: string): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: `${number} ${c.clause} ${c.title}` },
    {
      kind: 'fields',
      rows: [
        ['Status', statusCell(c)],
        ['Applies at class', [{ text: c.appliesAt.join(', ') }]],
        ['Evidence found', evidenceCell(c.evidence, c.evidenceTotal, 10)],
        ['What to do', [{ text: c.hint }]],
        ...(c.needsHumanAssessment
          ? [['Human assessment', [{ text: 'needed: people judge the adequacy of what is found' }]] as const]
          : []),
        ...(c.allowed !== undefined ? [['Accepted (--allow)', [{ text: c.allowed }]] as const] : []),
      ],
    },
  ];
  if (c.missing.length > 0)
    blocks.push({
      kind: 'list',
      items: [
        ...c.missing.map((m) => [{ text: m }]),
        ...(c.missingTotal > c.missing.length
          ? [
              [
                {
                  text: `… and ${c.missingTotal - c.missing.length} more (dossier gap-scan --format json lists them)`,
                },
              ],
            ]
          : []),
      ],
    });
  return blocks;
}

function clauseRow(c: ClauseResult): Inline[][] {
  return [
    [{ text: c.clause }],
    [{ text: c.title }],
    statusCell(c),
    evidenceCell(c.evidence, c.evidenceTotal, SHOWN),
    missingCell(c),
  ];
}

function obligationTable(items: readonly ObligationResult[]): Block {
  return {
    kind: 'table',
    columns: [
      { title: '', width: 1 },
      { title: 'Obligation', width: 4 },
      { title: 'Status', width: 3 },
      { title: 'Evidence', width: 4 },
      { title: 'Missing', width: 5 },
    ],
    rows: items.map((o) => [
      [{ text: o.key }],
      [{ text: `${o.title} (${o.reference})` }],
      statusCell(o),
      evidenceCell(o.evidence, o.evidenceTotal, SHOWN),
      missingCell(o),
    ]),
  };
}

function statusCell(j: Judged & { readonly allowed?: string }): Inline[] {
  const label = STATUS_LABEL[j.status];
  const strong = j.applies && (j.status === 'no-evidence' || j.status === 'partial');
  return [
    strong ? { strong: label } : { text: label },
    ...(!j.applies && j.notApplicableBecause ? [{ text: `: ${excerpt(j.notApplicableBecause)}` }] : []),
    ...(j.applies && j.allowed !== undefined && j.status !== 'evidence-found'
      ? [{ text: ' (accepted)' }]
      : []),
    ...(j.applies && j.needsHumanAssessment ? [{ text: '; needs human assessment' }] : []),
  ];
}

function evidenceCell(evidence: readonly Evidence[], total: number, shown: number): Inline[] {
  if (evidence.length === 0) return [{ text: '' }];
  const parts: Inline[] = evidence.slice(0, shown).flatMap((e, i) => {
    const sep: Inline[] = i === 0 ? [] : [{ text: '; ' }];
    if (e.id === undefined) return [...sep, { text: excerpt(evidenceText(e)) }];
    return [...sep, { ref: e.id }, ...(e.note ? [{ text: ` (${excerpt(e.note)})` }] : [])];
  });
  if (total > shown) parts.push({ text: ` … and ${total - shown} more` });
  return parts;
}

function missingCell(j: Judged): Inline[] {
  if (j.missingTotal === 0) return [{ text: '' }];
  const first = excerpt(j.missing[0] ?? '');
  return [{ text: j.missingTotal > 1 ? `${first} (and ${j.missingTotal - 1} more)` : first }];
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT ? `${line.slice(0, EXCERPT - 1).trimEnd()}…` : line;
}
