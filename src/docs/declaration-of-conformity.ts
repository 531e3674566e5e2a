/**
 * A draft Declaration of Conformity to IEC 62304 (IEC 62304:2006 + AMD1:2015; the FDA 2023 software
 * guidance, element VI.G, accepts such a declaration in place of the summary of development,
 * configuration management and maintenance practices). A draft for the manufacturer to complete:
 * the device, the software version, its safety classes, the clauses that apply at those classes
 * with what the gap scan found for each (src/gap/scan.ts: evidence found, partial, no evidence; code
 * finds evidence, people judge its adequacy), the clauses that do not apply and why, and a
 * declaration whose signature, name, function, place and date are left as explicit blanks.
 * Dossier never declares conformity: the document says so at its top and at the declaration.
 * Pure over the context.
 */

import { groupTitle } from '../gap/catalog.js';
import type { ClauseResult } from '../gap/scan.js';
import { type DocumentContext, documentOf } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';

const BLANK = '____________________________________';
const toComplete = (what: string): Inline[] => [{ text: `${BLANK} ` }, { strong: `(${what})` }];

export function declarationOfConformity(context: DocumentContext): DocumentModel {
  const { analysis, baseline, release } = context;
  const { graph, project, safety } = analysis;
  const config = project.config;
  const scan = context.gapScan();
  const system = safety.system;
  const applicable = scan.clauses.filter((c) => c.applies);
  const notApplicable = scan.clauses.filter((c) => !c.applies);
  const count = (status: ClauseResult['status']) => applicable.filter((c) => c.status === status).length;
  const open = applicable.filter((c) => c.status !== 'evidence-found');

  const blocks: Block[] = [
    {
      kind: 'paragraph',
      inlines: [
        { strong: 'DRAFT for the manufacturer to complete.' },
        {
          text: ` Conformity to IEC 62304 is declared by the manufacturer, under its sole responsibility, by signing a completed declaration. Dossier prepares this draft from the records; it neither declares nor certifies conformity. The gap scan shows where the records hold evidence for a clause, not that the clause is met: the adequacy of that evidence is for the manufacturer to judge.`,
        },
      ],
    },
    { kind: 'heading', level: 1, text: '1 Manufacturer and device' },
    {
      kind: 'fields',
      rows: [
        ['Manufacturer', [{ text: config.device.manufacturer }]],
        ['Manufacturer address', toComplete('to complete')],
        ['Device', [{ text: config.device.name }]],
        [
          'Model',
          config.device.model ? [{ text: config.device.model }] : toComplete('not recorded: to complete'),
        ],
        [
          'Software system',
          system
            ? [{ ref: system.id }, { text: ` ${system.title}` }]
            : [{ strong: `not recorded (${config.software.system} is not an active software item)` }],
        ],
        ['Software version', [{ text: baseline }]],
        [
          'Release record',
          release
            ? [
                { ref: release.id },
                {
                  text:
                    typeof release.fields.date === 'string' ? `, dated ${release.fields.date}` : ', undated',
                },
              ]
            : [{ text: `none names version ${baseline} yet` }],
        ],
      ],
    },
    { kind: 'heading', level: 1, text: '2 Standard' },
    {
      kind: 'fields',
      rows: [
        [
          'Standard',
          [
            {
              text: 'IEC 62304:2006 + AMD1:2015 (Edition 1.1), Medical device software — Software life cycle processes',
            },
          ],
        ],
        ['As recognised by FDA', [{ text: 'ANSI/AAMI/IEC 62304:2006/A1:2016' }]],
        [
          'FDA recognition number',
          toComplete('to complete from the FDA Recognized Consensus Standards database'),
        ],
      ],
    },
    { kind: 'heading', level: 1, text: '3 Software safety classification (4.3)' },
    {
      kind: 'fields',
      rows: [
        [
          'Software system',
          system
            ? [
                {
                  text: `class ${system.computedClass}${system.declaredClass ? ` (declared ${system.declaredClass})` : ' (none declared)'}`,
                },
              ]
            : [{ strong: 'not classified' }],
        ],
        ['Classes of the software items', [{ text: scan.classes.join(', ') || 'none' }]],
        [
          'Clauses judged at',
          [{ text: `class ${scan.highestClass} for the obligations of the whole software` }],
        ],
      ],
    },
  ];
  if (!system)
    blocks.push({
      kind: 'not-recorded',
      what: `the software system (${config.software.system}, software.system in dossier.yaml), so the system's class is not known`,
      clause: 'IEC 62304 4.3',
    });

  blocks.push(
    { kind: 'heading', level: 1, text: '4 Clauses that apply, and the evidence the records hold' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `${applicable.length} clauses apply at the classes of this software (Annex A, Table A.1${scan.version ? `; version judged: ${scan.version.version}, ${scan.version.because}` : ''}). The gap scan found evidence for ${count('evidence-found')}, partial evidence for ${count('partial')} and no evidence for ${count('no-evidence')}.`,
        },
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: 'Clause', width: 1 },
        { title: 'Title', width: 6 },
        { title: 'Process', width: 3 },
        { title: 'Evidence in the records', width: 3 },
      ],
      rows: applicable.map((c) => [
        [{ text: c.clause }],
        [{ text: c.title }],
        [{ text: groupTitle(c.process) }],
        statusCell(c),
      ]),
    },
  );
  if (scan.version?.version !== baseline)
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          strong: `The gap scan judged ${scan.version ? `version ${scan.version.version}` : 'no version'}, not ${baseline}.`,
        },
        {
          text: ` The statuses above are those of ${scan.version ? `${scan.version.version} (${scan.version.because})` : 'no version'}. Before declaring conformity of ${baseline}, judge it with `,
        },
        { code: `dossier gap-scan --version ${baseline}` },
        { text: ', or build this draft again once its release record exists.' },
      ],
    });
  if (open.length > 0)
    blocks.push(
      {
        kind: 'paragraph',
        inlines: [
          { strong: 'Before signing:' },
          {
            text: ` ${open.length} applicable clause${open.length === 1 ? ' has' : 's have'} partial or no evidence in the records. Resolve each, or state it below as an exception with its justification.`,
          },
        ],
      },
      {
        kind: 'list',
        items: open.map((c) => [
          { strong: c.clause },
          {
            text: ` ${c.title}: ${c.missing[0] ?? c.hint}${c.missingTotal > 1 ? ` (and ${c.missingTotal - 1} more)` : ''}`,
          },
        ]),
      },
    );
  if (notApplicable.length > 0)
    blocks.push(
      { kind: 'heading', level: 2, text: '4.1 Clauses that do not apply' },
      {
        kind: 'table',
        columns: [
          { title: 'Clause', width: 1 },
          { title: 'Title', width: 5 },
          { title: 'Why not', width: 6 },
        ],
        rows: notApplicable.map((c) => [
          [{ text: c.clause }],
          [{ text: c.title }],
          [{ text: c.notApplicableBecause ?? 'not applicable' }],
        ]),
      },
    );

  blocks.push(
    { kind: 'heading', level: 1, text: '5 Declaration' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `We, ${config.device.manufacturer}, declare under our sole responsibility that the software of ${config.device.name}, version ${baseline}, software safety class ${system?.computedClass ?? BLANK}, has been developed and is maintained in conformity with IEC 62304:2006 + AMD1:2015 for the clauses that apply at its software safety classes, with the exceptions stated below.`,
        },
      ],
    },
    {
      kind: 'fields',
      rows: [
        ['Exceptions and their justification', toComplete('to complete: "none", or each exception')],
        ['Place', toComplete('to complete')],
        ['Date', toComplete('to complete')],
        ['Name', toComplete('to complete')],
        ['Function', toComplete('to complete')],
        ['Signature', toComplete('to sign')],
      ],
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'This declaration has no effect until the manufacturer has completed, reviewed and signed it under its own document control.',
        },
      ],
    },
  );
  // The statuses shown depend on every record the gap scan reads: the revision follows all of them.
  return documentOf(
    context,
    'DOC',
    'Declaration of Conformity to IEC 62304 (draft)',
    blocks,
    graph.byId.keys(),
  );
}

function statusCell(c: ClauseResult): Inline[] {
  const status: Inline =
    c.status === 'evidence-found'
      ? { text: 'evidence found' }
      : c.status === 'partial'
        ? { strong: 'partial' }
        : { strong: 'no evidence' };
  return [
    status,
    ...(c.needsHumanAssessment ? [{ text: '; adequacy to be judged' }] : []),
    ...(c.allowed ? [{ text: `; gap accepted: ${c.allowed}` }] : []),
  ];
}
