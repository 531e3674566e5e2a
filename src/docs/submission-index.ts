/**
 * The submission index (INDEX): the documentation package arranged in the order of the
 * documentation elements of FDA's "Content of Premarket Submissions for Device Software Functions"
 * (June 2023, section VI.A–J) at the documentation level Dossier computed (section V; src/safety/
 * documentation-level.ts): for each element, the documents of the package that answer it, whether
 * each is present, and whether it is submitted at this level. At Basic, what only Enhanced asks
 * (the design specification, the unit and integration test protocols and reports) is left out of
 * the submission and says why; the design and development file (IEC 62304 by class; ISO 13485
 * 7.3.10) still lists every document the project's classes require: Basic changes what is
 * submitted, not what is kept. For a cyber device, the cybersecurity documents FDA asks for
 * (premarket cybersecurity guidance, FD&C 524B) follow, with the ones Dossier does not keep said
 * as not recorded.
 *
 * What answers an element is data (data/fda-2023-documentation-elements.json); whether a document
 * is present is decided from the registry when the index is built, never from a list in code.
 */
import type { ObligationResult } from '../gap/scan.js';
import type { TraceGraph } from '../graph/graph.js';
import { planCoverage } from '../plans/coverage.js';
import { planTypeSpec } from '../plans/plan-data.js';
import { effectiveClasses, IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { type DocumentContext, documentOf } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import {
  DESIGN_FILE_DOCUMENTS,
  DOCUMENTATION_ELEMENTS,
  type DocumentationElement,
  type ElementPart,
  ESTAR,
  type Level,
  type PackageDocument,
  type ResolvedRef,
  resolveRef,
} from './package-data.js';
import { planDocumentKeys } from './plans.js';

const KEY = 'INDEX';
const BOTH: readonly Level[] = ['Basic', 'Enhanced'];

export function submissionIndex(context: DocumentContext, pkg: readonly PackageDocument[]): DocumentModel {
  const { analysis } = context;
  const config = analysis.project.config;
  const level = analysis.safety.documentationLevel;
  const scan = context.gapScan();
  const planKeys = planDocumentKeys(context);
  const resolve = (ref: { readonly document?: string; readonly plan?: ElementPart['plan'] }) =>
    resolveRef(ref, context, pkg, planKeys);
  const included = new Set<string>(level.situations);

  const leftOut = DOCUMENTATION_ELEMENTS.flatMap((e) =>
    e.parts.filter((p) => !submittedAt(e, p).includes(level.level)).map((p) => ({ element: e, part: p })),
  );
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This index arranges the documentation package of ${config.device.name}, software version ${context.baseline}, in the order of the documentation elements of the FDA guidance "Content of Premarket Submissions for Device Software Functions" (June 2023, section VI.A–J), at the documentation level Dossier computed: ${level.level}.`,
        },
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        { text: level.rationale },
        ...(level.situations.length > 0
          ? [
              { text: ' Hazardous situations that call for Enhanced: ' },
              ...refList(level.situations),
              { text: '.' },
            ]
          : []),
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text:
            leftOut.length > 0
              ? `At ${level.level}, the submission leaves out what only ${otherLevel(level.level)} asks for: ${leftOut.map((l) => `${l.part.what.toLowerCase()} (element ${l.element.key})`).join('; ')}. Section 4 lists the design and development file, which keeps them whatever the level: the level changes what is submitted, not what is kept.`
              : `At ${level.level}, every element of the guidance is submitted in full. Section 4 lists the design and development file the project keeps.`,
        },
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'Present: Dossier writes the document for this project (what its records do not say, it says as not recorded; the eSTAR attachment map, ESTAR, tells how ready each attachment is). Missing: the records the document is written from do not exist. Not written by Dossier yet: a document of the package Dossier does not write in this version; prepare it outside the dossier.',
        },
      ],
    },
    { kind: 'heading', level: 1, text: `2 Submission: FDA 2023 documentation elements (${level.level})` },
  ];

  DOCUMENTATION_ELEMENTS.forEach((element, i) => {
    const e = element.entry;
    blocks.push(
      { kind: 'heading', level: 2, text: `2.${i + 1} ${e.key} ${e.title} (${e.reference})` },
      {
        kind: 'paragraph',
        inlines: [
          { strong: `Asked at ${level.level}:` },
          {
            text: ` ${level.level === 'Enhanced' && element.enhanced !== undefined ? element.enhanced : element.basic}`,
          },
        ],
      },
    );
    const rows: Inline[][][] = [];
    const notRecorded: Block[] = [];
    for (const part of element.parts) {
      const r = resolve(part);
      const submitted = submittedAt(element, part).includes(level.level);
      rows.push([
        [{ text: part.what }],
        documentCell(r, part),
        statusCell(r),
        submitted
          ? [{ text: part.alternative ? 'submitted instead of the plans, if chosen' : 'submitted' }]
          : [{ strong: `not submitted at ${level.level}` }, { text: `: ${part.whyNotSubmitted ?? ''}` }],
      ]);
      for (const id of r.plans) included.add(id);
      if (r.state === 'missing' && submitted && part.plan)
        notRecorded.push({
          kind: 'not-recorded',
          what: `a plan record for element ${e.key}: ${r.note}`,
          clause: planTypeSpec(part.plan).clause,
        });
    }
    blocks.push(
      {
        kind: 'table',
        columns: [
          { title: 'Part', width: 4 },
          { title: 'Document', width: 4 },
          { title: 'Status', width: 3 },
          { title: 'In the submission', width: 4 },
        ],
        rows,
      },
      ...notRecorded,
    );
  });

  const coverage = planCoverage(analysis);
  const missingPlans = coverage.types.filter((t) => t.status === 'missing');
  blocks.push({
    kind: 'heading',
    level: 2,
    text: `2.${DOCUMENTATION_ELEMENTS.length + 1} Plans required at class ${coverage.projectClass} without a plan record`,
  });
  if (missingPlans.length === 0)
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `Every plan type required at class ${coverage.projectClass} (data/plan-sections.json) is held by a plan record, of its own type or through covers.`,
        },
      ],
    });
  for (const t of missingPlans)
    blocks.push({
      kind: 'not-recorded',
      what: `the ${t.title.toLowerCase()} (planType: ${t.planType}): required at class ${coverage.projectClass}, held by no plan record, so the package has no ${planTypeSpec(t.planType).documentKey}`,
      clause: t.clause,
    });

  blocks.push(...cybersecurityBlocks(analysis.graph, scan.cybersecurity, resolve, included));
  blocks.push(...designFileBlocks(context, scan.classes, resolve, included));

  // Section 5: every document of the package with its revision (built once per context).
  const others = pkg.filter((d) => d.key !== KEY);
  const models = others.map((d) => d.model());
  for (const m of models) for (const id of m.records) included.add(id);
  blocks.push(
    { kind: 'heading', level: 1, text: '5 Documents of the package' },
    {
      kind: 'table',
      columns: [
        { title: 'Key', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'Document number', width: 3 },
        { title: 'Revision', width: 3 },
      ],
      rows: [
        ...models.map((m) => [
          [{ text: m.key }],
          [{ text: m.title }],
          m.control.number !== undefined ? [{ text: m.control.number }] : [{ strong: 'not assigned' }],
          [{ text: m.control.revision }],
        ]),
        [
          [{ text: KEY }],
          [{ text: 'Submission Index' }],
          [{ text: 'this document' }],
          [{ text: 'this document' }],
        ],
      ],
    },
  );
  return documentOf(context, KEY, 'Submission Index', blocks, included);
}

function submittedAt(element: DocumentationElement, part: ElementPart): readonly Level[] {
  return part.submittedAt ?? element.entry.submittedAt ?? BOTH;
}

const otherLevel = (level: Level): Level => (level === 'Basic' ? 'Enhanced' : 'Basic');

function refList(ids: readonly string[]): Inline[] {
  return [...ids].sort().flatMap((id, i) => (i === 0 ? [{ ref: id }] : [{ text: ', ' }, { ref: id }]));
}

function documentCell(r: ResolvedRef, ref: { readonly document?: string; readonly plan?: string }): Inline[] {
  if (r.documents.length > 0)
    return r.documents.flatMap((d, i) => [
      ...(i === 0 ? [] : [{ text: '; ' }]),
      { code: d.key },
      { text: ` ${d.title}` },
    ]);
  if (ref.plan !== undefined)
    return [{ text: `${planTypeSpec(ref.plan as Parameters<typeof planTypeSpec>[0]).documentTitle}` }];
  return [{ code: ref.document ?? '' }];
}

function statusCell(r: ResolvedRef): Inline[] {
  if (r.state === 'present') return [{ text: r.note ? `present, ${r.note}` : 'present' }];
  if (r.state === 'missing') return [{ strong: 'missing' }, { text: `: ${r.note}` }];
  return [{ strong: 'not written by Dossier yet' }];
}

/** The status of several documents, each distinct status once. */
function dedupedStatus(rs: readonly ResolvedRef[]): Inline[] {
  const cells = new Map(rs.map((r) => [JSON.stringify(statusCell(r)), statusCell(r)]));
  return [...cells.values()].flatMap((c, i) => [...(i === 0 ? [] : [{ text: '; ' }]), ...c]);
}

function cybersecurityBlocks(
  graph: TraceGraph,
  cyber: { readonly applies: boolean; readonly because: string; readonly items: readonly ObligationResult[] },
  resolve: (ref: { readonly document?: string; readonly plan?: ElementPart['plan'] }) => ResolvedRef,
  included: Set<string>,
): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '3 Cybersecurity (FD&C 524B, FDA premarket cybersecurity guidance)' },
    { kind: 'paragraph', inlines: [{ text: `Cyber device: ${cyber.because}.` }] },
  ];
  if (!cyber.applies) {
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: 'Not applicable: the cybersecurity documents of a cyber device are not part of this submission.',
        },
      ],
    });
    return blocks;
  }
  blocks.push({
    kind: 'paragraph',
    inlines: [
      {
        text: 'The document types of the eSTAR cybersecurity section (data/estar-attachments.json). Dossier writes no document yet for the threat model, the security risk assessment, the security architecture views, the testing or the labeling: where the records are kept in the dossier (threat-model, security-test, security-labeling) they are named, and so is the evidence the gap scan found for a document kept elsewhere (an attestation).',
      },
    ],
  });
  const rows: Inline[][][] = [];
  for (const row of ESTAR.cybersecurity) {
    const item = row.gapItem ? cyber.items.find((i) => i.key === row.gapItem) : undefined;
    // Only an attestation names a document kept outside the dossier.
    const evidence = (item?.evidence ?? []).flatMap((e) =>
      e.id !== undefined && graph.get(e.id)?.kind === 'attestation' ? [e.id] : [],
    );
    // Records of the dossier that the gap scan took as the evidence (a threat model, a security test).
    const records = (item?.evidence ?? []).flatMap((e) =>
      e.id !== undefined && graph.get(e.id) !== undefined && graph.get(e.id)?.kind !== 'attestation'
        ? [e.id]
        : [],
    );
    for (const id of evidence) included.add(id);
    const seen: Inline[] =
      evidence.length > 0 ? [{ text: '; kept outside the dossier according to ' }, ...refList(evidence)] : [];
    if (row.documents.length === 0) {
      const securityKinds = new Set(['threat-model', 'security-test', 'security-labeling']);
      const kept = records.filter((id) => securityKinds.has(graph.get(id)!.kind));
      for (const id of kept) included.add(id);
      rows.push([
        [{ text: row.type }],
        kept.length > 0
          ? [{ text: 'none written by Dossier; the records: ' }, ...refList(kept)]
          : [{ text: 'none: Dossier keeps no such records' }],
        [{ strong: kept.length > 0 ? 'no document written' : 'not recorded' }, ...seen],
      ]);
      continue;
    }
    const resolved = row.documents.map((d) => ({ ref: d, r: resolve(d) }));
    for (const { r } of resolved) for (const id of r.plans) included.add(id);
    rows.push([
      [{ text: row.type }],
      resolved.flatMap(({ ref, r }, i) => [...(i === 0 ? [] : [{ text: '; ' }]), ...documentCell(r, ref)]),
      dedupedStatus(resolved.map(({ r }) => r)),
    ]);
  }
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Document type', width: 5 },
      { title: 'Document', width: 4 },
      { title: 'Status', width: 5 },
    ],
    rows,
  });
  return blocks;
}

function designFileBlocks(
  context: DocumentContext,
  classes: readonly string[],
  resolve: (ref: { readonly document?: string; readonly plan?: ElementPart['plan'] }) => ResolvedRef,
  included: Set<string>,
): Block[] {
  const scheme = context.analysis.safety.scheme;
  const rows: Inline[][][] = [];
  for (const d of DESIGN_FILE_DOCUMENTS) {
    const at = d.clauses.map((c) => ({
      clause: c,
      classes: effectiveClasses(scheme, IEC_62304_ED1_1.applicability.find((r) => r.clause === c)!),
    }));
    const requiring = at.filter((a) => a.classes.some((c) => classes.includes(c)));
    const r = resolve(d);
    for (const id of r.plans) included.add(id);
    const required = requiring.length > 0;
    rows.push([
      [{ text: d.what }],
      documentCell(r, d),
      required
        ? [{ text: `yes (${requiring.map((a) => a.clause).join(', ')})` }]
        : [
            {
              text: `no: ${at.map((a) => `${a.clause} applies at class ${a.classes.join(', ') || 'none'}`).join('; ')}`,
            },
          ],
      required || r.state === 'present' ? statusCell(r) : [{ text: 'not required' }],
    ]);
  }
  return [
    { kind: 'heading', level: 1, text: '4 Design and development file (kept whatever the level)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `The documents IEC 62304 asks to be kept for software of class ${classes.join(', ')} (the classes present in the project), in the design and development file (the design history file; ISO 13485 7.3.10 under the QMSR), whether or not the submission includes them. The documentation level changes what is submitted, not what is kept.`,
        },
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: 'Document', width: 4 },
        { title: 'In the package', width: 3 },
        { title: `Required at class ${classes.join(', ')}`, width: 4 },
        { title: 'Status', width: 4 },
      ],
      rows,
    },
  ];
}
