/**
 * Unresolved Software Anomalies (FDA 2023 software guidance, element J; IEC 62304 5.8.2, 5.8.3):
 * the known residual anomalies the baseline's release record lists (`knownAnomalies`, the same list
 * as the release report's table, src/evidence/release-report.ts), each with what the guidance asks:
 * description, how it was found, root cause if known (the investigation, 9.2 a), impact on safety and
 * effectiveness (criticality 9.1, safety relevance 9.2 b, hazardous situations, the residual-risk
 * evaluation 5.8.3), impact on operator use and human factors (`userImpact`), workarounds
 * (`workaround`), the rationale for leaving it open (`rationaleNoAction` 9.2 d, or the change request
 * that will correct it) and a security assessment (`securityAssessment`). What a report does not
 * record is said at the report. Open problem reports that affect the version but are missing from
 * the list are named from the release gate's `release/anomaly-unlisted` (5.8.2). Without a release
 * record for the baseline there is no list: the document says so and shows the open problem reports
 * as candidates, not as evaluated anomalies.
 */
import { knownAnomaliesOf } from '../evidence/release-report.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import { excerpt, labelledText, textField } from './verification-common.js';

const ORIGINS: Readonly<Record<string, string>> = {
  'internal-test': 'internal testing',
  field: 'field feedback',
  complaint: 'a complaint',
  vulnerability: 'a vulnerability notice',
  review: 'a review',
};

const UNRESOLVED = (p: DossierRecord) => !['resolved', 'closed'].includes(String(p.fields.state ?? 'open'));

export function unresolvedSoftwareAnomalies(context: DocumentContext): DocumentModel {
  const { analysis, baseline, release } = context;
  const { graph, project } = analysis;
  const device = project.config.device.name;
  const included = new Set<string>();
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This document lists the unresolved software anomalies of ${device}, software version ${baseline}: the known residual anomalies of the release (IEC 62304 5.8.2), each evaluated as not contributing to unacceptable risk (5.8.3), with the information the FDA 2023 guidance on device software functions asks for each (element "Unresolved Software Anomalies"): description, how it was found, root cause if known, impact on safety and effectiveness including operator use and human factors, workarounds, the rationale for leaving it open, and a security assessment.`,
        },
      ],
    },
  ];
  if (!release) {
    blocks.push({
      kind: 'not-recorded',
      what: `a release record for version ${baseline}: without one there is no list of known residual anomalies`,
      clause: '5.8.2, 5.8.4',
    });
    const open = graph.ofKind('problem-report').filter(isActive).filter(UNRESOLVED).sort(compareById);
    blocks.push({
      kind: 'heading',
      level: 1,
      text: '2 Open problem reports (not yet evaluated for a release)',
    });
    if (open.length === 0) {
      blocks.push({
        kind: 'paragraph',
        inlines: [{ text: 'No active problem report is open, investigating or without a resolution.' }],
      });
    } else {
      blocks.push(
        {
          kind: 'paragraph',
          inlines: [
            {
              text: `These problem reports are not resolved. Until a release record of ${baseline} lists them as known anomalies with their evaluation, they are candidates, not evaluated residual anomalies.`,
            },
          ],
        },
        summaryTable(open),
        { kind: 'heading', level: 1, text: '3 Open problem reports in detail' },
      );
      open.forEach((p, i) => {
        blocks.push(...anomalyBlocks(context, p, `3.${i + 1}`, included));
      });
    }
    return documentOf(context, 'ANOMALIES', 'Unresolved Software Anomalies', blocks, included);
  }

  included.add(release.id);
  const anomalies = knownAnomaliesOf(graph, release);
  const listed = release.links.knownAnomalies;
  blocks.push({
    kind: 'paragraph',
    inlines: [
      { text: 'Release record: ' },
      { ref: release.id },
      {
        text: ` (version ${String(release.fields.version)}${typeof release.fields.date === 'string' ? `, ${release.fields.date}` : ''}).`,
      },
    ],
  });
  blocks.push({ kind: 'heading', level: 1, text: '2 Summary' });
  if (listed === undefined) {
    blocks.push({
      kind: 'not-recorded',
      what: `the known residual anomalies of ${release.id} (knownAnomalies)`,
      clause: '5.8.2',
    });
  } else if (anomalies.length === 0) {
    blocks.push({
      kind: 'paragraph',
      inlines: [{ ref: release.id }, { text: ' records no known residual anomalies (recorded as none).' }],
    });
  } else {
    blocks.push(summaryTable(anomalies));
  }
  const unlisted = (context.gate()?.blockers ?? []).filter((b) => b.code === 'release/anomaly-unlisted');
  for (const b of unlisted) {
    blocks.push({ kind: 'not-recorded', what: `as a known anomaly: ${b.message}`, clause: '5.8.2' });
    if (b.recordId) included.add(b.recordId);
  }
  if (anomalies.length > 0) {
    blocks.push({ kind: 'heading', level: 1, text: '3 Anomalies' });
    anomalies.forEach((p, i) => {
      blocks.push(...anomalyBlocks(context, p, `3.${i + 1}`, included));
    });
  }
  return documentOf(context, 'ANOMALIES', 'Unresolved Software Anomalies', blocks, included);
}

function summaryTable(problems: readonly DossierRecord[]): Block {
  const value = (p: DossierRecord, field: string): Inline[] =>
    p.fields[field] === undefined ? [{ strong: 'not recorded' }] : [{ text: String(p.fields[field]) }];
  return {
    kind: 'table',
    columns: [
      { title: 'Problem report', width: 2 },
      { title: 'Title', width: 5 },
      { title: 'Criticality (9.1)', width: 2 },
      { title: 'State', width: 2 },
      { title: 'Safety relevant (9.2 b)', width: 2 },
      { title: 'Residual risk (5.8.3)', width: 5 },
    ],
    rows: problems.map((p) => [
      [{ ref: p.id }],
      [{ text: p.title }],
      value(p, 'criticality'),
      [{ text: String(p.fields.state ?? 'open') }],
      p.fields.safetyRelevant === undefined
        ? [{ strong: 'not evaluated' }]
        : [{ text: p.fields.safetyRelevant === true ? 'yes' : 'no' }],
      textField(p, 'residualRisk') === undefined
        ? [{ strong: 'not evaluated' }]
        : [{ text: excerpt(textField(p, 'residualRisk')!) }],
    ]),
  };
}

function anomalyBlocks(
  context: DocumentContext,
  p: DossierRecord,
  number: string,
  included: Set<string>,
): Block[] {
  const { graph } = context.analysis;
  included.add(p.id);
  const situations = graph.targets(p, 'hazardousSituations');
  const affects = graph.targets(p, 'affects');
  const foundBy = graph.targets(p, 'foundBy');
  const runs = graph.sources(p, 'anomalies', 'test-run').filter(isActive);
  const changes = graph.sources(p, 'addresses', 'change-request').filter(isActive);
  for (const r of [...situations, ...affects, ...foundBy, ...runs, ...changes]) included.add(r.id);
  const state = String(p.fields.state ?? 'open');
  const versions = p.fields.affectedVersions as string[] | undefined;
  const rows: (readonly [string, readonly Inline[]])[] = [
    ['State', [{ text: state }]],
    [
      'Affected versions',
      versions === undefined ? [{ strong: 'not recorded' }] : [{ text: versions.join(', ') }],
    ],
    ['Affects', affects.length > 0 ? refs(affects) : [{ strong: 'not recorded' }]],
    [
      'Category (9.6; AAMI SW91 if used)',
      textField(p, 'category') ? [{ text: textField(p, 'category')! }] : [{ strong: 'not recorded' }],
    ],
  ];
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: `${number} ${p.id} ${p.title}`, anchor: p.id },
    { kind: 'fields', rows },
    { kind: 'paragraph', inlines: [{ strong: 'Description' }] },
    p.text.trim() === ''
      ? { kind: 'not-recorded', what: `the description of ${p.id}`, clause: '9.1' }
      : { kind: 'record-text', recordId: p.id, markdown: p.text },
    { kind: 'paragraph', inlines: [{ strong: 'How it was found' }] },
  ];
  const origin = typeof p.fields.origin === 'string' ? p.fields.origin : undefined;
  const reporter = textField(p, 'reporter');
  const reported = typeof p.fields.reported === 'string' ? p.fields.reported : undefined;
  if (origin === undefined && foundBy.length === 0 && runs.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: `how ${p.id} was found (origin, foundBy, or a test run naming it in anomalies)`,
      clause: '9.1; FDA element J',
    });
  } else {
    const found: Inline[] = [
      {
        text: `${origin !== undefined ? `Found in ${ORIGINS[origin] ?? origin}` : 'How it was found (`origin`) is not recorded'}${reported ? `, reported ${reported}` : ''}${reporter ? ` by ${reporter}` : ''}.`,
      },
    ];
    if (foundBy.length > 0) found.push({ text: ' Revealed by ' }, ...refs(foundBy), { text: '.' });
    if (runs.length > 0) found.push({ text: ' Raised from test run ' }, ...refs(runs), { text: '.' });
    blocks.push({ kind: 'paragraph', inlines: found });
  }
  blocks.push(
    ...labelledText(p, 'investigation', 'Root cause (investigation, 9.2 a)', {
      what: `the investigation of ${p.id}: its cause, if identifiable`,
      clause: '9.2 a; FDA element J',
    }),
    { kind: 'paragraph', inlines: [{ strong: 'Impact on safety and effectiveness' }] },
    {
      kind: 'fields',
      rows: [
        [
          'Criticality (9.1)',
          p.fields.criticality === undefined
            ? [{ strong: 'not recorded' }]
            : [{ text: String(p.fields.criticality) }],
        ],
        [
          'Safety relevant (9.2 b)',
          p.fields.safetyRelevant === undefined
            ? [{ strong: 'not evaluated' }]
            : [{ text: p.fields.safetyRelevant === true ? 'yes' : 'no' }],
        ],
        [
          'Hazardous situations',
          situations.length > 0
            ? refs(situations)
            : p.fields.safetyRelevant === false
              ? [{ text: 'none (not safety relevant)' }]
              : [{ strong: 'not recorded' }],
        ],
      ],
    },
    ...labelledText(p, 'residualRisk', 'Evaluation of residual risk (5.8.3)', {
      what: `the evaluation that ${p.id} does not contribute to an unacceptable risk`,
      clause: '5.8.3',
    }),
    ...labelledText(p, 'userImpact', 'Impact on operator use and human factors', {
      what: `the impact of ${p.id} on operator use and human factors (userImpact)`,
      clause: 'FDA element J',
    }),
    ...labelledText(p, 'workaround', 'Workarounds and mitigations', {
      what: `the workarounds or mitigations for ${p.id} (workaround)`,
      clause: 'FDA element J',
    }),
    { kind: 'paragraph', inlines: [{ strong: 'Rationale for leaving it open' }] },
  );
  const rationale = textField(p, 'rationaleNoAction');
  if (rationale !== undefined) blocks.push({ kind: 'record-text', recordId: p.id, markdown: rationale });
  if (changes.length > 0) {
    blocks.push({
      kind: 'paragraph',
      inlines: [
        { text: 'Change requests that address it (8.2.4): ' },
        ...changes.sort(compareById).flatMap((cr, i) => {
          const releases = graph.sources(cr, 'includes', 'release').filter(isActive);
          for (const r of [cr, ...releases]) included.add(r.id);
          return [
            ...(i > 0 ? [{ text: '; ' }] : []),
            { ref: cr.id },
            {
              text: ` ${cr.title} (${String(cr.fields.state ?? 'state not recorded')}, ${
                releases.length > 0
                  ? `released in ${releases.map((r) => String(r.fields.version)).join(', ')}`
                  : 'not released yet'
              })`,
            },
          ];
        }),
        {
          text: changes.every((cr) => graph.sources(cr, 'includes', 'release').some(isActive))
            ? '.'
            : '. Until the correction is released, the residual-risk evaluation above is why the anomaly is accepted.',
        },
      ],
    });
  }
  if (rationale === undefined && changes.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: `why ${p.id} is left open: a change request that addresses it or the rationale for taking no action (rationaleNoAction)`,
      clause: '9.2 d; FDA element J',
    });
  }
  blocks.push(
    ...labelledText(p, 'securityAssessment', 'Security assessment', {
      what: `the security assessment of ${p.id} (securityAssessment)`,
      clause: 'FDA element J; FDA premarket cybersecurity guidance',
    }),
    ...labelledText(p, 'partiesAdvised', 'Parties advised (9.3)', {
      what: `who was advised of ${p.id}`,
      clause: '9.3',
    }),
  );
  if (context.release && (state === 'resolved' || state === 'closed')) {
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `${p.id} is ${state} today; it is listed because the release record of ${String(context.release?.fields.version)} names it as a known anomaly of that release.`,
        },
      ],
    });
  }
  return blocks;
}
