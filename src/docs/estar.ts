/**
 * The eSTAR attachment map (ESTAR): for each software and cybersecurity document type that FDA's
 * electronic submission template (eSTAR, mandatory for 510(k) and De Novo) asks to be attached, the
 * generated file(s) to attach, their readiness and what is still missing, so that a regulatory lead
 * can fill the template in one pass. Software types follow the FDA 2023 software guidance elements
 * A–J at the computed documentation level (the design specification is attached at Enhanced only);
 * cybersecurity types apply to a cyber device (FD&C 524B; premarket cybersecurity guidance).
 *
 * Readiness: ready (every document present, and none says anything is not recorded), with gaps
 * (present, but a document says what its records do not: listed), missing (a document Dossier
 * does not write, or whose records do not exist; technical screening holds a submission with an
 * empty attachment question). The list of types is data (data/estar-attachments.json).
 */
import type { ObligationResult } from '../gap/scan.js';
import type { TraceGraph } from '../graph/graph.js';
import { compareById, type DossierRecord } from '../model/record.js';
import { type DocumentContext, documentOf } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import {
  DOCUMENTATION_ELEMENTS,
  type DocumentRef,
  ESTAR,
  type EstarRow,
  type Level,
  type PackageDocument,
  type ResolvedRef,
  resolveRef,
} from './package-data.js';
import { planDocumentKeys } from './plans.js';

const KEY = 'ESTAR';
/** Not-recorded items listed per document type; the documents list them all. */
const LISTED = 20;

type Readiness = 'ready' | 'with gaps' | 'missing' | 'not attached';

interface RowResult {
  readonly row: EstarRow;
  readonly readiness: Readiness;
  readonly attach: readonly string[];
  /** What is still missing, one line each. */
  readonly missing: readonly Inline[][];
  readonly why?: string;
  /** How many not-recorded items the attached documents hold. */
  readonly gaps?: number;
}

export function estarAttachmentMap(context: DocumentContext, pkg: readonly PackageDocument[]): DocumentModel {
  const { analysis } = context;
  const level = analysis.safety.documentationLevel.level;
  const scan = context.gapScan();
  const planKeys = planDocumentKeys(context);
  const resolve = (ref: DocumentRef) => resolveRef(ref, context, pkg, planKeys);
  const included = new Set<string>();

  const software = ESTAR.software.map((row) => {
    const element = DOCUMENTATION_ELEMENTS.find((e) => e.key === row.element);
    const levels: readonly Level[] = element?.entry.submittedAt ?? ['Basic', 'Enhanced'];
    if (!levels.includes(level))
      return {
        row,
        readiness: 'not attached' as const,
        attach: [],
        missing: [],
        why: `not attached at ${level}: the guidance asks for it at ${levels.join(', ')} only (element ${row.element}); keep it in the design history file`,
      };
    return judgeRow(analysis.graph, row, resolve, undefined, included);
  });
  const cyber = scan.cybersecurity;
  const cybersecurity = cyber.applies
    ? ESTAR.cybersecurity.map((row) =>
        judgeRow(
          analysis.graph,
          row,
          resolve,
          row.gapItem ? cyber.items.find((i) => i.key === row.gapItem) : undefined,
          included,
        ),
      )
    : [];

  const all = [...software, ...cybersecurity];
  const count = (r: Readiness) => all.filter((x) => x.readiness === r).length;
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `For each document type the eSTAR template asks to be attached in its software and cybersecurity sections, the files of this package to attach, whether they are ready and what is still missing. ${analysis.project.config.device.name}, software version ${context.baseline}; FDA documentation level ${level}; ${cyber.because}.`,
        },
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `Attach documents/<KEY>.pdf, the PDF the build writes beside the Markdown of each document. Ready: every document is present and none says anything is not recorded. With gaps: present, but the documents say what their records do not (listed in section 4). Missing: a document Dossier does not write yet, or whose records do not exist; technical screening puts a submission with an empty attachment question on hold. ${count('ready')} ready, ${count('with gaps')} with gaps, ${count('missing')} missing, ${count('not attached')} not attached at ${level}.`,
        },
      ],
    },
    { kind: 'list', items: ESTAR.notes.map((n) => [{ text: n }]) },
    { kind: 'heading', level: 1, text: `2 Software (${level})` },
    attachTable(software),
    { kind: 'heading', level: 1, text: '3 Cybersecurity' },
  ];
  if (cyber.applies) blocks.push(attachTable(cybersecurity));
  else
    blocks.push({
      kind: 'paragraph',
      inlines: [
        { text: `Not applicable: ${cyber.because}; the cybersecurity section asks for no attachment.` },
      ],
    });
  blocks.push({ kind: 'heading', level: 1, text: '4 What is still missing' });
  const open = all.filter((r) => r.missing.length > 0);
  if (open.length === 0)
    blocks.push({ kind: 'paragraph', inlines: [{ text: 'Nothing: every attachment is ready.' }] });
  open.forEach((r, i) => {
    blocks.push(
      { kind: 'heading', level: 2, text: `4.${i + 1} ${r.row.type}` },
      { kind: 'list', items: r.missing },
    );
  });
  return documentOf(context, KEY, 'eSTAR Attachment Map', blocks, included);
}

function judgeRow(
  graph: TraceGraph,
  row: EstarRow,
  resolve: (ref: DocumentRef) => ResolvedRef,
  item: ObligationResult | undefined,
  included: Set<string>,
): RowResult {
  const files = row.files ?? [];
  if (row.documents.length === 0) {
    // Only an attestation names a document kept outside the dossier (its `reference`).
    const attestations = (item?.evidence ?? [])
      .flatMap((e) => (e.id !== undefined ? [graph.get(e.id)] : []))
      .filter((r): r is DossierRecord => r?.kind === 'attestation')
      .sort(compareById);
    for (const a of attestations) included.add(a.id);
    return {
      row,
      readiness: 'missing',
      attach: [],
      missing: [
        [
          {
            text: `Dossier writes no document for “${row.type}”: prepare it outside the dossier and attach it.`,
          },
        ],
        ...attestations.map((a) => [
          { ref: a.id },
          {
            text: ` says it is kept outside the dossier: ${typeof a.fields.reference === 'string' ? a.fields.reference : a.title}.`,
          },
        ]),
      ],
    };
  }
  let resolved = row.documents.map((ref) => ({ ref, r: resolve(ref) }));
  const absent = resolved.filter(({ r }) => r.state !== 'present');
  const note: Inline[][] = row.note ? [[{ text: row.note }]] : [];
  if (absent.length > 0 && row.alternative) {
    const alt = resolve(row.alternative);
    if (alt.state === 'present') resolved = [{ ref: row.alternative, r: alt }];
  }
  for (const { r } of resolved) for (const id of r.plans) included.add(id);
  const stillAbsent = resolved.filter(({ r }) => r.state !== 'present');
  const documents = [...new Map(resolved.flatMap(({ r }) => r.documents).map((d) => [d.key, d])).values()];
  const attach = [...documents.map((d) => `documents/${d.key}.pdf`), ...files];
  const gaps: Inline[][] = [];
  for (const d of documents) {
    const model = d.model();
    for (const id of model.records) included.add(id);
    for (const b of model.blocks)
      if (b.kind === 'not-recorded')
        gaps.push([{ code: d.key }, { text: `: ${b.what}${b.clause ? ` (${b.clause})` : ''}` }]);
  }
  const shown = gaps.slice(0, LISTED);
  if (gaps.length > LISTED)
    shown.push([
      { text: `… and ${gaps.length - LISTED} more: the documents list them all (“Not recorded”)` },
    ]);
  const absentLines = stillAbsent.map(({ ref, r }) => [
    {
      text:
        r.state === 'missing'
          ? `Missing: ${r.note}.`
          : `Missing: ${'document' in ref ? ref.document : ref.plan}, not written by Dossier yet: prepare it outside the dossier.`,
    },
  ]);
  const missing = [...absentLines, ...shown];
  return {
    row,
    readiness: stillAbsent.length > 0 ? 'missing' : gaps.length > 0 ? 'with gaps' : 'ready',
    attach,
    missing: missing.length > 0 ? [...missing, ...note] : [],
    gaps: gaps.length,
  };
}

function attachTable(rows: readonly RowResult[]): Block {
  return {
    kind: 'table',
    columns: [
      { title: 'eSTAR document type', width: 5 },
      { title: 'Attach', width: 4 },
      { title: 'Readiness', width: 4 },
    ],
    rows: rows.map((r) => [
      [{ text: r.row.type }],
      r.attach.length > 0
        ? r.attach.flatMap((f, i) => [...(i === 0 ? [] : [{ text: ', ' }]), { code: f }])
        : [{ text: 'nothing Dossier writes' }],
      readinessCell(r),
    ]),
  };
}

function readinessCell(r: RowResult): Inline[] {
  switch (r.readiness) {
    case 'ready':
      return [{ text: 'ready' }];
    case 'with gaps':
      return [{ strong: 'with gaps' }, { text: `: ${r.gaps} not recorded (section 4)` }];
    case 'missing':
      return [{ strong: 'missing' }, { text: ' (section 4)' }];
    case 'not attached':
      return [{ text: r.why ?? 'not attached' }];
  }
}
